import { beforeAll, describe, expect, it } from 'vitest';
import { trainableConv2d } from '../../nodes/standard/conv-ops';
import { initBackend, tf } from '../../src/platform/tf-node';

beforeAll(async () => {
  await initBackend('cpu');
});

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const conv = (x: tf.Tensor, f: tf.Tensor, stride: number, pad: 'same' | 'valid') =>
  tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad) as tf.Tensor;

describe('WASM-trainable convolution', () => {
  const cases = [
    { kernel: 5, stride: 1, padding: 'same' as const, h: 9, w: 7 },
    { kernel: 3, stride: 1, padding: 'valid' as const, h: 8, w: 8 },
    { kernel: 4, stride: 1, padding: 'same' as const, h: 6, w: 9 },
    { kernel: 3, stride: 2, padding: 'same' as const, h: 9, w: 8 },
    { kernel: 2, stride: 2, padding: 'valid' as const, h: 8, w: 6 },
    // one input channel: the filter gradient is a product of shifted copies
    { kernel: 5, stride: 1, padding: 'same' as const, h: 9, w: 7, channels: 1 },
    { kernel: 3, stride: 1, padding: 'valid' as const, h: 8, w: 10, channels: 1 },
    { kernel: 3, stride: 2, padding: 'same' as const, h: 9, w: 8, channels: 1 },
  ];
  for (const c of cases) {
    const cin = c.channels ?? 3;
    it(`matches TensorFlow.js's own gradients (k=${c.kernel}, s=${c.stride}, ${c.padding}, ${cin} in)`, async () => {
      const x = tf.randomNormal([2, c.h, c.w, cin], 0, 1, 'float32', 1);
      const f = tf.randomNormal([c.kernel, c.kernel, cin, 4], 0, 1, 'float32', 2);
      const weight = tf.randomNormal(conv(x, f, c.stride, c.padding).shape, 0, 1, 'float32', 3);
      const lossOf = (conv: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv(a, b), weight));
      const ours = tf.grads(lossOf((a, b) => trainableConv2d(tf, a, b, c)))([x, f]);
      const ref = tf.grads(lossOf((a, b) => conv(a, b, c.stride, c.padding)))([x, f]);
      expect(maxAbs(await ours[0].data(), await ref[0].data())).toBeLessThan(1e-4);
      expect(maxAbs(await ours[1].data(), await ref[1].data())).toBeLessThan(1e-4);
      const fwd = maxAbs(await trainableConv2d(tf, x, f, c).data(), await conv(x, f, c.stride, c.padding).data());
      expect(fwd).toBeLessThan(1e-5);
    });
  }

  it('skips the input gradient, and only that, when the input is fixed data', async () => {
    const g = { kernel: 5, stride: 1, padding: 'same' as const };
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 4);
    const f = tf.randomNormal([5, 5, 1, 3], 0, 1, 'float32', 5);
    const loss = (skip: boolean) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(trainableConv2d(tf, a, b, g, !skip)));
    const full = tf.grads(loss(false))([x, f]);
    const skipped = tf.grads(loss(true))([x, f]);
    expect(maxAbs(await skipped[1].data(), await full[1].data())).toBeLessThan(1e-4);
    expect(Math.max(...(await skipped[0].data()))).toBe(0);
  });

  it('tells a convolution fed by fixed data that no input gradient is needed', async () => {
    const { analyze, lower } = await import('../../compiler');
    const { chainDoc, node } = await import('../helpers');
    const doc = chainDoc([
      node('input', 'Input'),
      node('pool', 'AvgPool'),
      node('c1', 'Conv2D', { channels: 2, kernel: 3 }),
      node('c2', 'Conv2D', { channels: 2, kernel: 3 }),
      node('flat', 'Flatten'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy'),
    ]);
    const seen = new Map<string, boolean>();
    const { getNodeDefinition } = await import('../../nodes/registry');
    const def = getNodeDefinition('Conv2D')!;
    const original = def.lower;
    def.lower = function (args) {
      seen.set(args.ctx.nodeId, args.ctx.inputsNeedGradient);
      return original.call(this, args);
    };
    try {
      const a = analyze(doc);
      lower(a.validation, a.shapes, { tf, seed: 1 }).model!.dispose();
    } finally {
      def.lower = original;
    }
    expect(seen.get('c1')).toBe(false);
    expect(seen.get('c2')).toBe(true);
  });
});
