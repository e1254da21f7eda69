/**
 * Known answers for the statistics nodes: each output against the same moment written
 * out as a plain sum over positions, and their gradients against finite differences.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CrossCovariance } from '../../nodes/statistics/cross-covariance';
import { SpatialMean } from '../../nodes/statistics/spatial-mean';
import { meanOver } from '../../nodes/statistics/mean-ops';
import { fullParams, makeContext, tf, useBackend } from '../wavelets/helpers';
import { seededRandom } from '../../nodes/math/random';
import type { TensorSpec } from '../../nodes/types';

beforeAll(() => useBackend('cpu'));

const H = 3;
const W = 4;
const N = H * W;

/** Random [B, H, W, K] map data. */
function randomMap(B: number, K: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  // a mean per channel, so that centring matters
  const offsets = Array.from({ length: K }, () => 2 * r.normal());
  return Float32Array.from({ length: B * N * K }, (_, i) => offsets[i % K] + r.normal());
}

/** Channel c at position u of image b as a complex number (imaginary part 0 for a real map). */
function at(x: Float32Array, K: number, complex: boolean, b: number, u: number, c: number): [number, number] {
  const o = (b * N + u) * K;
  return complex ? [x[o + c], x[o + K / 2 + c]] : [x[o + c], 0];
}

/** The node's output written out: pairs by group, then i, then j; Re then Im. */
function reference(
  a: Float32Array,
  Ka: number,
  ca: boolean,
  b: Float32Array,
  Kb: number,
  cb: boolean,
  B: number,
  G: number,
  normalize: boolean,
  [dy, dx]: [number, number] = [0, 0],
): number[][] {
  /** Position u + τ on the periodic H x W grid. */
  const moved = (u: number) => {
    const r = (((Math.floor(u / W) + dy) % H) + H) % H;
    const c = ((((u % W) + dx) % W) + W) % W;
    return r * W + c;
  };
  const Ca = ca ? Ka / 2 : Ka;
  const Cb = cb ? Kb / 2 : Kb;
  const out: number[][] = [];
  for (let s = 0; s < B; s++) {
    const stats = (x: Float32Array, K: number, complex: boolean, c: number) => {
      let mr = 0;
      let mi = 0;
      for (let u = 0; u < N; u++) {
        const [r, i] = at(x, K, complex, s, u, c);
        mr += r / N;
        mi += i / N;
      }
      let p = 0;
      for (let u = 0; u < N; u++) {
        const [r, i] = at(x, K, complex, s, u, c);
        p += ((r - mr) ** 2 + (i - mi) ** 2) / N;
      }
      return { mr, mi, p };
    };
    const re: number[] = [];
    const im: number[] = [];
    for (let g = 0; g < G; g++) {
      for (let qi = 0; qi < Ca / G; qi++) {
        for (let qj = 0; qj < Cb / G; qj++) {
          const i = qi * G + g;
          const j = qj * G + g;
          const sa = stats(a, Ka, ca, i);
          const sb = stats(b, Kb, cb, j);
          let cr = 0;
          let ci = 0;
          for (let u = 0; u < N; u++) {
            const [ar, ai] = at(a, Ka, ca, s, u, i);
            const [br, bi] = at(b, Kb, cb, s, moved(u), j);
            const [xr, xi, yr, yi] = [ar - sa.mr, ai - sa.mi, br - sb.mr, bi - sb.mi];
            // x conj(y)
            cr += (xr * yr + xi * yi) / N;
            ci += (xi * yr - xr * yi) / N;
          }
          const scale = normalize ? Math.sqrt(sa.p * sb.p) : 1;
          re.push(cr / scale);
          im.push(ci / scale);
        }
      }
    }
    out.push(ca || cb ? [...re, ...im] : re);
  }
  return out;
}

function lowerCovariance(params: Record<string, unknown>, a: TensorSpec, b: TensorSpec) {
  const p = fullParams(CrossCovariance, params);
  const ctx = makeContext();
  const res = CrossCovariance.inferShape(p as never, { a: [a], b: [b] }, { nodeId: 'n' });
  if (!res.ok) throw new Error(res.diagnostics.map((d) => d.message).join('; '));
  const node = CrossCovariance.lower({ params: p as never, inputs: { a: [a], b: [b] }, outputs: res.outputs, ctx });
  return {
    size: res.outputs.out.shape[0],
    apply: (x: tf.Tensor, y: tf.Tensor) => node.apply({ a: [x], b: [y] }, { training: false, step: 0 }).out,
  };
}

const spec = (K: number, complex: boolean): TensorSpec => ({ kind: complex ? 'complex' : 'map', shape: [H, W, K] });

describe('CrossCovariance', () => {
  const cases: [boolean, boolean][] = [
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ];
  for (const pairs of ['all', 'same-orientation'] as const) {
    for (const normalize of [true, false]) {
      for (const [ca, cb] of cases) {
        it(`equals the covariances written out (${pairs}, a ${ca ? 'complex' : 'real'}, b ${cb ? 'complex' : 'real'}, ${normalize ? 'normalized' : 'raw'})`, async () => {
          const B = 2;
          const Ka = ca ? 4 : 2;
          const Kb = cb ? 8 : 4;
          const a = randomMap(B, Ka, 3);
          const b = randomMap(B, Kb, 4);
          const node = lowerCovariance({ pairs, L: 2, normalize }, spec(Ka, ca), spec(Kb, cb));
          const y = await node.apply(tf.tensor4d(a, [B, H, W, Ka]), tf.tensor4d(b, [B, H, W, Kb])).data();
          const want = reference(a, Ka, ca, b, Kb, cb, B, pairs === 'all' ? 1 : 2, normalize);
          expect(node.size).toBe(want[0].length);
          want.flat().forEach((v, i) => expect(y[i], `entry ${i}`).toBeCloseTo(v, 4));
        });
      }
    }
  }

  for (const pairs of ['all', 'same-orientation'] as const) {
    for (const shift of [
      [1, -2],
      [-4, 5],
      [0, 3],
    ] as [number, number][]) {
      it(`with an offset τ = (${shift}), pairs a(u) with b(u + τ) on the periodic grid (${pairs})`, async () => {
        const a = randomMap(2, 4, 11);
        const b = randomMap(2, 8, 12);
        const node = lowerCovariance(
          { pairs, L: 2, normalize: true, dy: shift[0], dx: shift[1] },
          spec(4, true),
          spec(8, true),
        );
        const y = await node.apply(tf.tensor4d(a, [2, H, W, 4]), tf.tensor4d(b, [2, H, W, 8])).data();
        const want = reference(a, 4, true, b, 8, true, 2, pairs === 'all' ? 1 : 2, true, shift);
        want.flat().forEach((v, i) => expect(y[i], `entry ${i}`).toBeCloseTo(v, 4));
        // the offset changes the pairs: without it the values differ
        const still = reference(a, 4, true, b, 8, true, 2, pairs === 'all' ? 1 : 2, true);
        expect(still.flat().some((v, i) => Math.abs(v - y[i]) > 1e-2)).toBe(true);
      });
    }
  }

  it('has the gradient of central finite differences (pairs all, complex a and b, normalized, with an offset)', () => {
    const K = 4;
    const a0 = randomMap(1, K, 5);
    const b0 = randomMap(1, K, 6);
    const node = lowerCovariance({ pairs: 'all', normalize: true, dy: 1, dx: -1 }, spec(K, true), spec(K, true));
    const w = tf.tensor1d(randomMap(1, 1, 7).subarray(0, node.size));
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(node.apply(x, y), w)) as tf.Scalar;
    const [ga, gb] = tf.grads(f)([tf.tensor4d(a0, [1, H, W, K]), tf.tensor4d(b0, [1, H, W, K])]);
    const h = 1e-2;
    for (const [which, g0] of [
      ['a', ga.dataSync()],
      ['b', gb.dataSync()],
    ] as const) {
      for (let i = 0; i < a0.length; i += 5) {
        const value = (d: number) => {
          const a = Float32Array.from(a0);
          const b = Float32Array.from(b0);
          (which === 'a' ? a : b)[i] += d;
          return f(tf.tensor4d(a, [1, H, W, K]), tf.tensor4d(b, [1, H, W, K])).dataSync()[0];
        };
        const fd = (value(h) - value(-h)) / (2 * h);
        expect(Math.abs(g0[i] - fd), `${which}[${i}]`).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('meanOver', () => {
  it('is tf.mean, and its gradient is the same', () => {
    const x = tf.tensor3d(randomMap(1, 3, 8), [2, 6, 3]);
    const w = tf.tensor2d([1, -2, 0.5, 3, 0.25, -1], [2, 3]);
    for (const keep of [false, true]) {
      const ours = meanOver(tf, x, [1], keep);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(tf.mean(x, [1], keep).dataSync()));
      const g = (m: (t: tf.Tensor) => tf.Tensor) =>
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(m(t), [2, 3]), w)) as tf.Scalar)(x)
          .dataSync();
      const ref = g((t) => tf.mean(t, [1], keep));
      Array.from(g((t) => meanOver(tf, t, [1], keep))).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
    }
  });
});

describe('SpatialMean', () => {
  it('normalized, divides each moment of order p by the p/2 power of the mean square', async () => {
    const K = 2;
    const x = randomMap(1, K, 9).map(Math.abs);
    const p = fullParams(SpatialMean, { order: 3, normalize: true });
    const res = SpatialMean.inferShape(p as never, { in: [spec(K, false)] }, { nodeId: 'n' });
    if (!res.ok) throw new Error('refused');
    const node = SpatialMean.lower({
      params: p as never,
      inputs: { in: [spec(K, false)] },
      outputs: res.outputs,
      ctx: makeContext(),
    });
    const y = await node.apply({ in: [tf.tensor4d(x, [1, H, W, K])] }, { training: false, step: 0 }).out.data();
    for (let c = 0; c < K; c++) {
      const m = (q: number) => Array.from({ length: N }, (_, u) => x[u * K + c] ** q).reduce((s, v) => s + v) / N;
      expect(y[c]).toBeCloseTo(m(1) / Math.sqrt(m(2)), 5);
      expect(y[K + c]).toBeCloseTo(1, 5);
      expect(y[2 * K + c]).toBeCloseTo(m(3) / m(2) ** 1.5, 5);
    }
  });
});
