import { afterAll, describe, expect, it } from 'vitest';
import { fftAxis0, fftPlan } from '../../nodes/math/fft';
import { dft2 } from '../../nodes/math/dft';
import { scatteringForward } from '../../nodes/math/scattering-fast';
import { scatteringForwardParallel, stopScatteringWorkers } from '../../src/platform/scattering-fast-node';
import { scatteringReference, scatteringShape, type ScatteringOptions } from '../../nodes/math/scattering-reference';

function images(B: number, H: number, W: number, seed: number): Float32Array {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  // smooth blobs plus noise, so that every channel carries some energy
  return Float32Array.from({ length: B * H * W }, (_, i) => {
    const r = Math.floor(i / W) % H,
      c = i % W;
    return Math.sin(r * 0.7 + seed) * Math.cos(c * 0.4) + rnd();
  });
}

/** Largest relative L2 error over (image, channel) pairs. */
function worstChannelError(fast: Float32Array, ref: Float64Array, B: number, K: number, hw: number): number {
  let worst = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      let e = 0,
        n = 0;
      for (let i = 0; i < hw; i++) {
        const j = (b * K + k) * hw + i;
        e += (fast[j] - ref[j]) ** 2;
        n += ref[j] ** 2;
      }
      worst = Math.max(worst, Math.sqrt(e / n));
    }
  }
  return worst;
}

/** fftAxis0 on V interleaved columns of length n equals the direct DFT, both directions, to `digits`. */
function expectLikeDft(n: number, re: Float64Array, im: Float64Array, V: number, digits: number): void {
  for (const inverse of [false, true]) {
    const r = Float64Array.from(re),
      m = Float64Array.from(im);
    fftAxis0(fftPlan(n), r, m, V, inverse, new Float64Array(n * V), new Float64Array(n * V));
    for (let v = 0; v < V; v++) {
      const col = {
        re: Float64Array.from({ length: n }, (_, k) => re[k * V + v]),
        im: Float64Array.from({ length: n }, (_, k) => im[k * V + v]),
      };
      const d = dft2(col, n, 1, inverse);
      for (let k = 0; k < n; k++) {
        expect(r[k * V + v]).toBeCloseTo(d.re[k] * (inverse ? n : 1), digits);
        expect(m[k * V + v]).toBeCloseTo(d.im[k] * (inverse ? n : 1), digits);
      }
    }
  }
}

describe('mixed-radix FFT', () => {
  it('equals the direct DFT for composite and prime lengths, both directions', () => {
    for (const n of [1, 2, 5, 7, 9, 12, 18, 20, 26, 36, 40, 44, 48, 49]) {
      const V = 3;
      const re = Float64Array.from({ length: n * V }, (_, i) => Math.sin(i * 1.3));
      const im = Float64Array.from({ length: n * V }, (_, i) => Math.cos(i * 0.7));
      expectLikeDft(n, re, im, V, 10);
    }
  });
});

describe('radix-9 passes', () => {
  it('equal the direct DFT wherever the pass falls (first, later, twice, beside other radices)', () => {
    for (const n of [27, 45, 63, 72, 81, 162]) {
      const V = 2;
      const re = Float64Array.from({ length: n * V }, (_, i) => Math.sin(i * 0.9) + (i % 7) * 0.1);
      const im = Float64Array.from({ length: n * V }, (_, i) => Math.cos(i * 1.7));
      expectLikeDft(n, re, im, V, 9);
    }
  });
});

describe('fast scattering agrees with the float64 reference (relative L2 <= 1e-4 per channel)', () => {
  const cases: Array<[number, number, ScatteringOptions]> = [];
  for (const J of [1, 2, 3]) {
    for (const L of [4, 6, 8]) {
      for (const maxOrder of [1, 2] as const) {
        // alternate square and non-square, multiple and non-multiple of 2^J
        const square = (J + L + maxOrder) % 2 === 0;
        cases.push(square ? [16, 16, { J, L, maxOrder }] : [19, 13, { J, L, maxOrder }]);
      }
    }
  }
  cases.push(
    [28, 28, { J: 2, L: 8, maxOrder: 2 }],
    [28, 28, { J: 3, L: 8, maxOrder: 2 }],
    [30, 23, { J: 2, L: 5, maxOrder: 2 }],
    [8, 11, { J: 3, L: 3, maxOrder: 2 }],
  );

  for (const [H, W, o] of cases) {
    it(`${H}x${W} J=${o.J} L=${o.L} order ${o.maxOrder}`, () => {
      const B = 3;
      const x = images(B, H, W, H * 31 + W + o.J);
      const { K, h, w } = scatteringShape(H, W, o);
      const fast = scatteringForward(x, B, H, W, o);
      expect(fast).toHaveLength(B * K * h * w);
      const worst = worstChannelError(fast, scatteringReference(x, B, H, W, o), B, K, h * w);
      expect(worst).toBeLessThan(1e-4);
    });
  }
});

describe('multi-threaded scattering', () => {
  afterAll(() => stopScatteringWorkers());
  it('gives exactly the single-thread result, for even and odd splits', async () => {
    const o: ScatteringOptions = { J: 2, L: 4, maxOrder: 2 };
    for (const B of [1, 17, 33]) {
      const x = images(B, 14, 15, B);
      const one = scatteringForward(x, B, 14, 15, o);
      const many = await scatteringForwardParallel(x, B, 14, 15, o, 3);
      expect(Array.from(many)).toEqual(Array.from(one));
    }
  });
  it('reports bad sizes before starting any thread', async () => {
    await expect(
      scatteringForwardParallel(new Float32Array(64 * 3 * 3), 64, 3, 3, { J: 2, L: 8, maxOrder: 2 }),
    ).rejects.toThrow(/smallest image side/);
  });
});
