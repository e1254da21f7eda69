/** Entry of `npm run bench`. */
import { printTable, runBenchmarks } from './suite';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const rows = await runBenchmarks({ quick, log: (s) => process.stderr.write(s + '\n') });
if (json) console.log(JSON.stringify(rows));
else printTable(rows, (s) => console.log(s));
process.exit(0);
