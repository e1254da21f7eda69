import { main } from './src/cli/main';
import { tf } from './src/platform/tf-node';
import * as T from './compiler/4-train';
const orig = T.train;
const args = process.argv.slice(2);
const t0 = performance.now();
const code = await main(args);
console.error('total', ((performance.now()-t0)/1000).toFixed(1), 's; tensors', tf.memory().numTensors, 'bytes', tf.memory().numBytes);
process.exit(code);
