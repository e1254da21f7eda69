/**
 * A frozen Scattering2D front end is computed without TensorFlow.js (the fast
 * framework-free transform); it must give the numbers the node's own lowering gives,
 * in the graph's layout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, FeatureBank, lower } from '../../compiler';
import type { PrecomputeKernels } from '../../nodes/types';
import { scatteringForward } from '../../nodes/math/scattering-fast';
import { makeSynthetic } from '../../src/data/synthetic';
import { nodeKernels } from '../../src/platform/accelerate-node';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { chainDoc, node } from '../helpers';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Scattering2D precompute', () => {
  const impls: Array<[string, NonNullable<PrecomputeKernels['scattering']>]> = [
    ['single thread', scatteringForward],
    ['worker threads', nodeKernels.scattering!],
  ];
  for (const [name, impl] of impls) {
    it(`matches the TensorFlow.js lowering (${name})`, async () => {
      let calls = 0;
      // Scattering2D's precompute asks the platform for its scattering kernel: count the calls.
      const kernels: PrecomputeKernels = {
        scattering: (...args) => {
          calls++;
          return impl(...args);
        },
      };
      const doc = chainDoc([
        node('input', 'Input', { height: 28, width: 28, channels: 1 }),
        node('scat', 'Scattering2D', { J: 2, L: 4, maxOrder: 2 }),
        node('bn', 'BatchNorm'),
        node('flat', 'Flatten'),
        node('fc', 'Dense', { units: 10 }),
        node('loss', 'SoftmaxCrossEntropy'),
      ]);
      const a = analyze(doc);
      expect(a.diagnostics).toEqual([]);
      const model = lower(a.validation, a.shapes, { tf, seed: 1 }).model!;
      const data = makeSynthetic({ seed: 2, train: 40, test: 16 });
      const bank = new FeatureBank(model, data, { kernels });
      await bank.prepare(nodePlatform);
      expect(calls).toBe(2); // train and test splits, without TensorFlow.js
      const idx = Uint32Array.from({ length: 16 }, (_, i) => i);
      const fromBank = tf.tidy(() => bank.batch('test', idx).preset!.get('scat')!.out.clone());
      const x = tf.tensor4d(data.test.images.subarray(0, 16 * 784), [16, 28, 28, 1]);
      const direct = tf.tidy(() =>
        model
          .forward(x, { training: false, keep: new Set(['scat']) })
          .kept.get('scat')!
          .out.clone(),
      );
      expect(fromBank.shape).toEqual(direct.shape);
      const a1 = await fromBank.data();
      const b1 = await direct.data();
      let num = 0;
      let den = 0;
      for (let i = 0; i < a1.length; i++) {
        num += (a1[i] - b1[i]) ** 2;
        den += b1[i] ** 2;
      }
      expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
      tf.dispose([fromBank, direct, x]);
      model.dispose();
    });
  }
});
