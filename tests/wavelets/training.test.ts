import { describe, expect, it } from 'vitest';
import { tf, useBackend, build, images, makeContext } from './helpers';
import { WaveletConv } from '../../nodes/wavelets/wavelet-conv';
import { Modulus } from '../../nodes/wavelets/modulus';
import { LowPass } from '../../nodes/wavelets/low-pass';
import type { AnyNodeDefinition, Tensor, TensorSpec } from '../../nodes/types';

const defs = {
  conv: WaveletConv as unknown as AnyNodeDefinition,
  mod: Modulus as unknown as AnyNodeDefinition,
  low: LowPass as unknown as AnyNodeDefinition,
};

/** Wavelet convolution -> modulus -> low-pass, the first scattering layer. */
function layer(mode: string, spec: TensorSpec, seed: number) {
  const ctx = makeContext(`conv-${mode}`, seed);
  const conv = build(defs.conv, { J: 2, L: 4, mode, support: 9 }, spec, ctx);
  const mod = build(defs.mod, {}, conv.out);
  const low = build(defs.low, { J: 2 }, mod.out);
  return { ctx, apply: (x: Tensor) => low.apply(mod.apply(conv.apply(x))) };
}

describe('a learned wavelet convolution trains on the wasm backend', () => {
  it('moves noise filters toward a wired Morlet teacher (loss decreases)', async () => {
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const spec: TensorSpec = { kind: 'map', shape: [16, 16, 1] };
    const teacher = layer('wired', spec, 1);
    const student = layer('learned-from-noise', spec, 2);
    const x = tf.tensor4d(images(8 * 16 * 16, 9), [8, 16, 16, 1]);
    const target = teacher.apply(x);
    const vars = [...student.ctx.variables.values()].map((e) => e.v);
    expect(vars.every((v) => v.trainable)).toBe(true);
    const before = vars.map((v) => v.clone());
    const opt = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(student.apply(x), target))) as tf.Scalar, true, vars)!;
      losses.push((await loss.data())[0]);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    const moved = await tf.max(tf.abs(tf.sub(vars[0], before[0]))).data();
    expect(moved[0]).toBeGreaterThan(0);
    opt.dispose();
    tf.disposeVariables();
  });
});
