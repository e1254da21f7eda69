import { describe, expect, it } from 'vitest';
import { padBefore, padSize, phiSpatial, psiSpatial } from '../../nodes/math/filter-bank';
import { reflectIndex, reflectPad, scatteringReference, scatteringShape } from '../../nodes/math/scattering-reference';

function randomImages(B: number, H: number, W: number, seed = 1): Float64Array {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Float64Array.from({ length: B * H * W }, rnd);
}

describe('reference scattering: shapes', () => {
  it('matches Kymatio sizes and channel counts', () => {
    expect(scatteringShape(28, 28, { J: 3, L: 8, maxOrder: 2 })).toMatchObject({ K: 217, h: 3, w: 3, M: 40, N: 40 });
    expect(scatteringShape(28, 28, { J: 2, L: 8, maxOrder: 2 })).toMatchObject({ K: 81, h: 7, w: 7 });
    expect(scatteringShape(30, 23, { J: 2, L: 6, maxOrder: 1 })).toMatchObject({ K: 13, h: 7, w: 5, M: 36, N: 28 });
    expect(scatteringReference(randomImages(2, 30, 23), 2, 30, 23, { J: 2, L: 4, maxOrder: 2 })).toHaveLength(
      2 * 25 * 7 * 5,
    );
  });
  it('refuses J too large for the image, and L < 1', () => {
    expect(() => scatteringShape(7, 28, { J: 3, L: 8, maxOrder: 2 })).toThrow(/smallest image side/);
    expect(() => scatteringShape(28, 28, { J: 2, L: 0, maxOrder: 2 })).toThrow(/L must be/);
  });
  it('accepts 2^J equal to the smallest side', () => {
    const s = scatteringReference(randomImages(1, 4, 6), 1, 4, 6, { J: 2, L: 4, maxOrder: 2 });
    expect(s.every(Number.isFinite)).toBe(true);
  });
});

describe('reflect padding', () => {
  it('mirrors without repeating the edge, like numpy reflect', () => {
    expect([-2, -1, 0, 1, 2, 3, 4].map((i) => reflectIndex(i, 3))).toEqual([2, 1, 0, 1, 2, 1, 0]);
    const img = Float64Array.from({ length: 5 * 6 }, (_, i) => i);
    const { data, M, N } = reflectPad(img, 5, 6, 1);
    const top = padBefore(5, 1),
      left = padBefore(6, 1);
    expect(M).toBe(padSize(5, 1));
    expect(data[top * N + left]).toBe(0);
    expect(data[(top - 1) * N + left]).toBe(img[6]); // row -1 mirrors row 1
    expect(data[top * N + left - 1]).toBe(img[1]);
  });
});

describe('reference scattering: known answers', () => {
  it('maps a constant image to S0 = c phi^(0) and zero elsewhere', () => {
    const c = 0.7;
    const s = scatteringReference(new Float64Array(12 * 16).fill(c), 1, 12, 16, { J: 2, L: 4, maxOrder: 2 });
    const hw = scatteringShape(12, 16, { J: 2, L: 4, maxOrder: 2 });
    for (let i = 0; i < hw.h * hw.w; i++) expect(s[i]).toBeCloseTo((c * Math.PI) / 3.1415, 12);
    for (let i = hw.h * hw.w; i < s.length; i++) expect(Math.abs(s[i])).toBeLessThan(1e-12);
  });

  it('is positively homogeneous: S0 linear, S1 and S2 scale by |a|', () => {
    const x = randomImages(1, 10, 9, 3);
    const o = { J: 2, L: 4, maxOrder: 2 } as const;
    const s = scatteringReference(x, 1, 10, 9, o);
    const t = scatteringReference(
      x.map((v) => -2 * v),
      1,
      10,
      9,
      o,
    );
    const n0 = scatteringShape(10, 9, o).h * scatteringShape(10, 9, o).w;
    for (let i = 0; i < s.length; i++) expect(t[i]).toBeCloseTo(i < n0 ? -2 * s[i] : 2 * s[i], 10);
  });

  it('agrees with a direct spatial computation (J = 1)', () => {
    const H = 10,
      W = 12,
      J = 1,
      L = 4;
    const x = randomImages(1, H, W, 7);
    const s = scatteringReference(x, 1, H, W, { J, L, maxOrder: 1 });
    const { data: xp, M, N } = reflectPad(x, H, W, J);
    const { h, w } = scatteringShape(H, W, { J, L, maxOrder: 1 });
    const phi = phiSpatial(M, N, J).re;
    const at = (a: number, b: number) => (((a % M) + M) % M) * N + (((b % N) + N) % N);
    const lowpass = (f: Float64Array, y: number, xx: number) => {
      let acc = 0;
      const py = 2 * (y + 1),
        px = 2 * (xx + 1);
      for (let r = 0; r < M; r++) for (let c = 0; c < N; c++) acc += f[r * N + c] * phi[at(py - r, px - c)];
      return acc;
    };
    for (const [y, xx] of [
      [0, 0],
      [2, 3],
      [h - 1, w - 1],
    ]) {
      expect(s[y * w + xx]).toBeCloseTo(lowpass(xp, y, xx), 10);
    }
    const l = 1;
    const psi = psiSpatial(M, N, 0, l, L);
    const U = new Float64Array(M * N);
    for (let v1 = 0; v1 < M; v1++)
      for (let v2 = 0; v2 < N; v2++) {
        let re = 0,
          im = 0;
        for (let r = 0; r < M; r++)
          for (let c = 0; c < N; c++) {
            const k = at(v1 - r, v2 - c);
            re += xp[r * N + c] * psi.re[k];
            im += xp[r * N + c] * psi.im[k];
          }
        U[v1 * N + v2] = Math.hypot(re, im);
      }
    for (const [y, xx] of [
      [0, 0],
      [3, 1],
      [h - 1, w - 1],
    ]) {
      expect(s[(1 + l) * h * w + y * w + xx]).toBeCloseTo(lowpass(U, y, xx), 9);
    }
  });

  it('is equivariant under transposition: channels follow theta -> pi/2 - theta', () => {
    const n = 13,
      L = 8,
      J = 2;
    const x = randomImages(1, n, n, 11);
    const xt = new Float64Array(n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) xt[c * n + r] = x[r * n + c];
    const o = { J, L, maxOrder: 2 } as const;
    const s = scatteringReference(x, 1, n, n, o);
    const t = scatteringReference(xt, 1, n, n, o);
    const { h, w, K } = scatteringShape(n, n, o);
    const mirror = (l: number) => (((L / 2 - 2 - l) % L) + L) % L;
    // channel index of each (path) and of its mirrored path
    const idx: Array<[number, number]> = [[0, 0]];
    for (let j = 0; j < J; j++) for (let l = 0; l < L; l++) idx.push([1 + j * L + l, 1 + j * L + mirror(l)]);
    let k = 1 + J * L;
    const s2 = (j1: number, l1: number, j2: number, l2: number) => {
      let c = 1 + J * L;
      for (let a = 0; a < J; a++)
        for (let b = 0; b < L; b++)
          for (let d = a + 1; d < J; d++)
            for (let e = 0; e < L; e++) {
              if (a === j1 && b === l1 && d === j2 && e === l2) return c;
              c++;
            }
      return -1;
    };
    for (let j1 = 0; j1 < J; j1++)
      for (let l1 = 0; l1 < L; l1++)
        for (let j2 = j1 + 1; j2 < J; j2++)
          for (let l2 = 0; l2 < L; l2++) {
            idx.push([k++, s2(j1, mirror(l1), j2, mirror(l2))]);
          }
    expect(idx).toHaveLength(K);
    let maxErr = 0,
      scale = 0;
    for (const [a, b] of idx) {
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          maxErr = Math.max(maxErr, Math.abs(s[(a * h + y) * w + xx] - t[(b * h + xx) * w + y]));
          scale = Math.max(scale, Math.abs(s[(a * h + y) * w + xx]));
        }
    }
    expect(maxErr).toBeLessThan(1e-9 * scale);
  });
});
