import { templateThroughput } from './bench/training';
const v = await templateThroughput('cnn.json', 'wasm', 12);
console.log('bench cnn', v.toFixed(0));
process.exit(0);
