import { describe, expect, it } from 'vitest';
import { tf, useBackend, build, images, makeContext } from './helpers';
import { WaveletConv } from '../../nodes/wavelets/wavelet-conv';
import { reflectPad2d } from '../../nodes/wavelets/reflect-pad-ops';
import { filterSpectrum, forward2d, fromComplexPlanes, inverse2dAt, toPlanes } from '../../nodes/wavelets/spectral-ops';
import { waveletGeometry, type WaveletConvParams } from '../../nodes/wavelets/wavelet-geometry';
import type { AnyNodeDefinition, Tensor } from '../../nodes/types';

/** The whole-grid DFT path of WaveletConv, as the reference for compact filters. */
function spectral(p: WaveletConvParams, x: Tensor, re: Tensor, im: Tensor): Tensor {
  const [, H, W, C] = x.shape as number[];
  const g = waveletGeometry(p, H, W);
  if ('message' in g) throw new Error(g.message);
  const xp = g.pad ? reflectPad2d(tf, x, g.gridH, g.gridW, g.pad.top, g.pad.left) : x;
  const X = forward2d(tf, toPlanes(tf, xp));
  const S = filterSpectrum(tf, { re: tf.transpose(re, [2, 0, 1]), im: tf.transpose(im, [2, 0, 1]) }, g.gridH, g.gridW);
  const xr = tf.expandDims(X.re, 1);
  const xi = tf.expandDims(X.im, 1);
  const Y = { re: tf.sub(tf.mul(xr, S.re), tf.mul(xi, S.im)), im: tf.add(tf.mul(xr, S.im), tf.mul(xi, S.re)) };
  return fromComplexPlanes(tf, inverse2dAt(tf, Y, g.gridH, g.gridW, g.rows, g.cols, false), C * g.filters);
}

const cases: Array<{ name: string; p: Partial<WaveletConvParams>; shape: [number, number, number] }> = [
  {
    name: 'reflect padding, 7 taps, every scale',
    p: { J: 2, L: 4, scale: 'all', padding: 'reflect', support: 7, subsample: false },
    shape: [12, 12, 1],
  },
  {
    name: 'circular, scale 1 subsampled, 15 taps, two channels',
    p: { J: 2, L: 4, scale: '1', padding: 'circular', support: 15, subsample: true },
    shape: [20, 24, 2],
  },
  {
    name: 'circular at resolution 1, even support',
    p: { J: 3, L: 2, scale: '2', padding: 'circular', resolution: 1, support: 6, subsample: true },
    shape: [16, 16, 3],
  },
];

describe('WaveletConv with compact learned filters (one strided spatial convolution)', () => {
  for (const c of cases) {
    it(`matches the DFT path and its filter gradient: ${c.name}`, async () => {
      await useBackend('wasm');
      const ctx = makeContext('wc');
      const params = { mode: 'learned-from-noise', resolution: 0, ...c.p } as WaveletConvParams;
      const conv = build(
        WaveletConv as unknown as AnyNodeDefinition,
        params as never,
        { kind: 'map', shape: c.shape },
        ctx,
      );
      const [H, W, C] = c.shape;
      const x = tf.tensor4d(images(2 * H * W * C, 3), [2, H, W, C]);
      const re = ctx.variables.get('psi_real')!.v;
      const im = ctx.variables.get('psi_imag')!.v;
      const w = tf.randomNormal([2, ...conv.out.shape], 0, 1, 'float32', 4);
      const got = conv.apply(x);
      const want = spectral(params, x, re, im);
      expect(got.shape).toEqual(want.shape);
      const err = (await tf.max(tf.abs(tf.sub(got, want))).data())[0];
      const scale = (await tf.max(tf.abs(want)).data())[0];
      expect(err).toBeLessThan(1e-4 * scale);
      const loss = (f: () => Tensor) => tf.variableGrads(() => tf.sum(tf.mul(f(), w)) as tf.Scalar, [re, im]).grads;
      const a = loss(() => conv.apply(x));
      const b = loss(() => spectral(params, x, re, im));
      for (const v of [re, im]) {
        const d = (await tf.max(tf.abs(tf.sub(a[v.name], b[v.name]))).data())[0];
        const s = (await tf.max(tf.abs(b[v.name])).data())[0];
        expect(d).toBeLessThan(1e-3 * s);
      }
      const gx = tf.grad((t: Tensor) => tf.sum(tf.mul(conv.apply(t), w)))(x);
      const hx = tf.grad((t: Tensor) => tf.sum(tf.mul(spectral(params, t, re, im), w)))(x);
      const dx = (await tf.max(tf.abs(tf.sub(gx, hx))).data())[0];
      expect(dx).toBeLessThan(1e-3 * (await tf.max(tf.abs(hx)).data())[0]);
      tf.disposeVariables();
    });
  }
});
