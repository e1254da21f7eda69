import { describe, expect, it } from 'vitest';
import { morlet2d, waveletParams } from '../../nodes/math/filter-bank';
import { seededRandom } from '../../nodes/math/linalg';
import { bankLikeness, morletCandidates, morletKernel, waveletLikeness } from '../../src/research/wavelet-likeness';

const k = 9;
const J = 2,
  L = 8;

describe('Morlet candidates', () => {
  it('are the bank filters, cropped around the origin to the kernel size', () => {
    const cands = morletCandidates(k, k, { J, L, grid: 32 });
    expect(cands.length).toBe(J * L);
    const p = waveletParams(1, 3, L);
    const c = cands[L + 3];
    expect(c.theta).toBeCloseTo(p.theta, 14);
    expect(c.sigma).toBeCloseTo(p.sigma, 14);
    const full = morlet2d(32, 32, p.sigma, p.theta, p.xi, p.slant);
    // kernel centre (4, 4) is the origin; tap (4 + 1, 4 - 2) is full-grid (1, 30).
    expect(c.re[4 * k + 4]).toBe(full.re[0]);
    expect(c.im[5 * k + 2]).toBe(full.im[1 * 32 + 30]);
  });

  it('equal the periodized filter itself when the grid is the kernel size', () => {
    const p = waveletParams(0, 1, L);
    const ker = morletKernel(8, 8, p, 8);
    const full = morlet2d(8, 8, p.sigma, p.theta, p.xi, p.slant);
    expect(ker.re[4 * 8 + 4]).toBe(full.re[0]);
    expect(ker.re[0]).toBe(full.re[4 * 8 + 4]);
  });
});

describe('waveletLikeness', () => {
  const cands = morletCandidates(k, k, { J, L });

  it('scores 1 for a filter equal to a Morlet filter of the bank, at the right scale and angle', () => {
    for (const idx of [0, 5, L + 2]) {
      const c = cands[idx];
      const res = waveletLikeness({ re: c.re, im: c.im }, k, k, cands);
      expect(res.score).toBeCloseTo(1, 12);
      expect(res.index).toBe(idx);
      expect(res.j).toBe(c.j);
    }
  });

  it('ignores a global complex factor, and scores a real filter against every phase', () => {
    const c = cands[3];
    const phase = 0.7,
      gain = -2.5;
    const re = c.re.map((v, i) => gain * (Math.cos(phase) * v - Math.sin(phase) * c.im[i]));
    const im = c.re.map((v, i) => gain * (Math.sin(phase) * v + Math.cos(phase) * c.im[i]));
    expect(waveletLikeness({ re, im }, k, k, cands).score).toBeCloseTo(1, 12);
    // A real filter: the real part of the rotated filter is a phase of the same Morlet.
    expect(waveletLikeness({ re }, k, k, cands).score).toBeCloseTo(1, 12);
    expect(waveletLikeness({ re: c.im }, k, k, cands).score).toBeCloseTo(1, 12);
  });

  it('finds a shifted wavelet only when shifts are allowed', () => {
    const c = cands[L + 1];
    // Shift by one row down: tap (r, q) takes the value at (r - 1, q), zero on the first row.
    const re = new Float64Array(k * k),
      im = new Float64Array(k * k);
    for (let r = 1; r < k; r++)
      for (let q = 0; q < k; q++) {
        re[r * k + q] = c.re[(r - 1) * k + q];
        im[r * k + q] = c.im[(r - 1) * k + q];
      }
    const still = waveletLikeness({ re, im }, k, k, cands, 0);
    const shifted = waveletLikeness({ re, im }, k, k, cands, 1);
    expect(still.score).toBeLessThan(0.95);
    expect(shifted.score).toBeCloseTo(1, 12);
    expect(shifted.shift).toEqual([1, 0]);
  });

  it('gives noise a low score and a finer search a score at least as high', () => {
    const rng = seededRandom(1);
    const noise = Array.from({ length: 20 }, () => ({
      re: Float64Array.from({ length: k * k }, () => rng.normal()),
      im: Float64Array.from({ length: k * k }, () => rng.normal()),
    }));
    const coarse = bankLikeness(noise, k, k, cands);
    expect(coarse.mean).toBeLessThan(0.5);
    const fine = bankLikeness(noise, k, k, morletCandidates(k, k, { J, L, scalesPerOctave: 2, orientations: 2 * L }));
    expect(fine.mean).toBeGreaterThanOrEqual(coarse.mean);
    expect(waveletLikeness({ re: new Float64Array(k * k) }, k, k, cands).score).toBe(0);
  });
});
