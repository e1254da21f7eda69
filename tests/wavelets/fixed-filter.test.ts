import { afterEach, describe, expect, it } from 'vitest';
import { tf, useBackend, build, images } from './helpers';
import { WaveletConv } from '../../nodes/wavelets/wavelet-conv';
import { LowPass } from '../../nodes/wavelets/low-pass';
import { fixedFilterFastPath } from '../../nodes/wavelets/fixed-filter-ops';
import type { AnyNodeDefinition, Tensor, TensorSpec } from '../../nodes/types';

/** The node built with the fixed-filter matrices and with the DFT-matrix path they replace. */
function both(def: AnyNodeDefinition, params: Record<string, unknown>, spec: TensorSpec) {
  fixedFilterFastPath.enabled = true;
  const fast = build(def, params, spec);
  fixedFilterFastPath.enabled = false;
  const old = build(def, params, spec);
  fixedFilterFastPath.enabled = true;
  return { fast, old };
}

const maxAbs = async (t: Tensor) => (await tf.max(tf.abs(t)).data())[0];

/** Output and input gradient (of a random weighting of the output) agree to float32 round-off. */
async function expectSame(def: AnyNodeDefinition, params: Record<string, unknown>, spec: TensorSpec, B = 2) {
  const { fast, old } = both(def, params, spec);
  const x = tf.tensor4d(images(B * spec.shape.reduce((a, b) => a * b, 1), 9), [B, ...spec.shape] as never);
  const want = old.apply(x);
  const got = fast.apply(x);
  expect(got.shape).toEqual(want.shape);
  expect(await maxAbs(tf.sub(got, want))).toBeLessThan(1e-5 * (await maxAbs(want)));
  const w = tf.randomNormal(want.shape, 0, 1, 'float32', 5);
  const gradOf = (apply: (t: Tensor) => Tensor) => tf.grad((t: Tensor) => tf.sum(tf.mul(apply(t), w)))(x);
  const gOld = gradOf(old.apply);
  const gFast = gradOf(fast.apply);
  expect(await maxAbs(tf.sub(gFast, gOld))).toBeLessThan(1e-5 * (await maxAbs(gOld)));
}

const wavelet = WaveletConv as unknown as AnyNodeDefinition;
const lowPass = LowPass as unknown as AnyNodeDefinition;

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`fixed filters as matrices equal the DFT path, forward and gradient (${backend})`, () => {
    afterEach(() => {
      fixedFilterFastPath.enabled = true;
      tf.disposeVariables();
    });

    it('wired wavelets after a learned layer (learned-first-layer: 36 x 36 grid, scale 1 subsampled, 8 channels)', async () => {
      await useBackend(backend);
      const p = { J: 2, L: 8, scale: '1', mode: 'wired', padding: 'circular', subsample: true };
      await expectSame(wavelet, p, { kind: 'map', shape: [36, 36, 8] });
    });

    it('wired wavelets, reflect padding, subsampled by 4, non-square', async () => {
      await useBackend(backend);
      const p = { J: 3, L: 4, scale: '2', mode: 'wired', padding: 'reflect', subsample: true };
      await expectSame(wavelet, p, { kind: 'map', shape: [13, 18, 1] });
    });

    it('wired wavelets at resolution 1, subsampled, three channels', async () => {
      await useBackend(backend);
      const p = { J: 3, L: 2, scale: '2', mode: 'wired', padding: 'circular', resolution: 1, subsample: true };
      await expectSame(wavelet, p, { kind: 'map', shape: [16, 24, 3] });
    });

    it('low-pass with reflect padding (the order-0 channel)', async () => {
      await useBackend(backend);
      await expectSame(lowPass, { J: 2, padding: 'reflect', unpad: true }, { kind: 'map', shape: [28, 28, 1] });
    });

    it('low-pass at resolution 1 on a complex map, not unpadded', async () => {
      await useBackend(backend);
      const p = { J: 2, padding: 'circular', resolution: 1, unpad: false };
      await expectSame(lowPass, p, { kind: 'complex', shape: [18, 18, 6] });
    });
  });
}
