import { describe, expect, it } from 'vitest';
import { tf, useBackend, build, images, makeContext } from './helpers';
import { Scattering2D } from '../../nodes/wavelets/scattering2d';
import { WaveletConv } from '../../nodes/wavelets/wavelet-conv';
import { Modulus } from '../../nodes/wavelets/modulus';
import { seededRandom } from '../../nodes/math/random';
import type { AnyNodeDefinition, Tensor } from '../../nodes/types';

function normal(shape: number[], seed: number): Tensor {
  const r = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => r.normal()),
    shape,
  );
}

/**
 * Central difference of f along a direction. The modulus has a cone at zero and some
 * responses on a grid come within 1e-3 of it, so the step must be small (3e-4): larger
 * steps cross the cone and disagree with the (correct) derivative by several percent.
 */
async function centralDifference(y: (t: number) => Tensor, w: Tensor, eps: number): Promise<number> {
  // weight and sum the output differences in float64: a float32 sum of the whole
  // output would lose the small difference to round-off
  const plus = await y(eps).data();
  const minus = await y(-eps).data();
  const wd = await w.data();
  let acc = 0;
  for (let i = 0; i < wd.length; i++) acc += wd[i] * (plus[i] - minus[i]);
  return acc / (2 * eps);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gradients agree with finite differences (${backend})`, () => {
    it('of the scattering output with respect to the input', async () => {
      await useBackend(backend);
      const [B, H, W] = [2, 16, 12];
      const node = build(
        Scattering2D as unknown as AnyNodeDefinition,
        { J: 2, L: 4, maxOrder: 2 },
        { kind: 'map', shape: [H, W, 1] },
      );
      const x = tf.tensor4d(images(B * H * W, 11), [B, H, W, 1]);
      const w = normal([B, ...node.out.shape], 12);
      const f = (t: Tensor) => tf.sum(tf.mul(node.apply(t), w));
      const g = tf.grad(f)(x);
      expect(Array.from(await g.data()).every(Number.isFinite)).toBe(true);
      for (const seed of [1, 2, 3]) {
        const v = normal(x.shape, seed);
        const analytic = (await tf.sum(tf.mul(g, v)).data())[0];
        const numeric = await centralDifference((t) => node.apply(tf.add(x, tf.mul(v, t))), w, 3e-4);
        expect(Math.abs(analytic - numeric)).toBeLessThan(2e-2 * Math.max(Math.abs(analytic), 0.1));
      }
      tf.disposeVariables();
    });

    it('of a learned wavelet convolution with respect to its filters', async () => {
      await useBackend(backend);
      const [B, H, W] = [2, 12, 12];
      const ctx = makeContext('wc');
      const conv = build(
        WaveletConv as unknown as AnyNodeDefinition,
        { J: 2, L: 2, mode: 'learned-from-wavelets', support: 7, subsample: false },
        { kind: 'map', shape: [H, W, 1] },
        ctx,
      );
      const mod = build(Modulus as unknown as AnyNodeDefinition, {}, conv.out);
      const x = tf.tensor4d(images(B * H * W, 5), [B, H, W, 1]);
      // |z| has a cone at 0: outputs within reach of it are left out of the check
      const w = tf.mul(
        normal([B, ...mod.out.shape], 6),
        tf.cast(tf.greater(mod.apply(conv.apply(x)), 0.02), 'float32'),
      );
      const re = ctx.variables.get('psi_real')!.v;
      const im = ctx.variables.get('psi_imag')!.v;
      const loss = () => tf.sum(tf.mul(mod.apply(conv.apply(x)), w)) as tf.Scalar;
      const { grads } = tf.variableGrads(loss, [re, im]);
      const d = { re: normal(re.shape, 21), im: normal(im.shape, 22) };
      const analytic = (
        await tf.addN([tf.sum(tf.mul(grads[re.name], d.re)), tf.sum(tf.mul(grads[im.name], d.im))]).data()
      )[0];
      const r0 = re.clone();
      const i0 = im.clone();
      const numeric = await centralDifference(
        (t) => {
          re.assign(tf.add(r0, tf.mul(d.re, t)));
          im.assign(tf.add(i0, tf.mul(d.im, t)));
          return mod.apply(conv.apply(x));
        },
        w,
        1e-4,
      );
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
      expect(Math.abs(analytic - numeric)).toBeLessThan(2e-2 * Math.max(Math.abs(analytic), 0.1));
      tf.disposeVariables();
    });
  });
}
