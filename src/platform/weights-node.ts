/** Saving and loading trained weights to a folder (weights.json + weights.bin). */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '../../compiler/3-lower';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { Tensor, TF } from '../../nodes/types';
import { encodeWeights, readWeights } from './weights';

export async function saveWeights(model: CompiledModel, dir: string, graph?: string): Promise<void> {
  const arrays = [];
  for (const v of model.variables) {
    arrays.push({ key: v.key, shape: v.variable.shape, data: (await v.variable.data()) as Float32Array });
  }
  const { manifest, bin } = encodeWeights(arrays, graph);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), bin);
  writeFileSync(join(dir, 'weights.json'), JSON.stringify(manifest, null, 1) + '\n');
}

export function loadWeights(dir: string, tf: TF): { weights?: Map<string, Tensor>; diagnostic?: Diagnostic } {
  const mf = join(dir, 'weights.json');
  const bf = join(dir, 'weights.bin');
  if (!existsSync(mf) || !existsSync(bf)) {
    return {
      diagnostic: diag('weights-mismatch', `No trained weights in "${dir}" (expected weights.json and weights.bin).`, {
        fix: 'Train the graph first with "wavegraph train <graph.json> --save <dir>".',
      }),
    };
  }
  const read = readWeights(readFileSync(mf, 'utf8'), new Uint8Array(readFileSync(bf)), dir);
  if (!read.arrays) return { diagnostic: read.diagnostic };
  return { weights: new Map(read.arrays.map((a) => [a.key, tf.tensor(a.data, a.shape)])) };
}
