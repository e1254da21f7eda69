/** `wavegraph bench [--json] [--quick]`: the performance figures (see bench/). */
import { flagBool, parseArgs, type CliIO } from '../io';

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'quick', 'help']);
  if (flagBool(p, 'help')) {
    io.out(
      'Usage: wavegraph bench [--json] [--quick]\nTraining and scattering throughput, side by side with PyTorch when python3-torch is installed.',
    );
    return 0;
  }
  const { runBenchmarks, printTable } = await import('../../../bench/suite');
  const rows = await runBenchmarks({ quick: flagBool(p, 'quick'), log: (s) => io.err(s) });
  if (flagBool(p, 'json')) io.out(JSON.stringify(rows));
  else printTable(rows, io.out);
  return 0;
}
