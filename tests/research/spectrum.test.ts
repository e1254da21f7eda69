import { describe, expect, it } from 'vitest';
import { gaussianMatrix, matmul, seededRandom } from '../../nodes/math/linalg';
import {
  convKernelRows,
  effectiveRank,
  eigenSpectrum,
  factorCovariance,
  gramSpectrum,
  ksDistance,
  marchenkoPastur,
  weightCovariance,
  whiteNoiseReference,
} from '../../src/research/spectrum';

describe('Marchenko-Pastur law', () => {
  it.each([0.25, 1, 4])('has total mass 1 and mean sigma2 (ratio %f)', (ratio) => {
    const law = marchenkoPastur(ratio, 2);
    expect(law.cdf(law.hi)).toBe(1);
    expect(law.cdf(-1)).toBe(0);
    // Mean from the quantile function, and the continuous mass from the density.
    const K = 20000;
    let m = 0;
    for (let i = 0; i < K; i++) m += law.quantile((i + 0.5) / K);
    expect(m / K).toBeCloseTo(2, 3);
    // lambda = lo + (hi - lo) t^2 tames the 1 / sqrt(lambda) edge of ratio 1.
    let mass = 0;
    const steps = 200000,
      h = 1 / steps,
      w = law.hi - law.lo;
    for (let i = 0; i < steps; i++) {
      const t = (i + 0.5) * h;
      mass += law.density(law.lo + w * t * t) * 2 * w * t * h;
    }
    expect(mass).toBeCloseTo(1 - law.atom, 3);
  });

  it('has the support sigma2 (1 -+ sqrt(ratio))^2 and an atom at zero for wide matrices', () => {
    const law = marchenkoPastur(4, 1);
    expect(law.lo).toBeCloseTo(1, 12);
    expect(law.hi).toBeCloseTo(9, 12);
    expect(law.atom).toBeCloseTo(0.75, 12);
    expect(law.cdfBelow(0)).toBe(0);
    expect(law.cdf(0)).toBeCloseTo(0.75, 12);
    const q = law.quantile(law.cdf(3));
    expect(q).toBeCloseTo(3, 3);
  });

  it('describes the covariance spectrum of a large Gaussian matrix (N = 2000, D = 500)', () => {
    const N = 2000,
      D = 500,
      sigma = 0.7;
    const W = gaussianMatrix(seededRandom(3), N, D, sigma);
    const spectrum = gramSpectrum(W, N, D);
    const law = marchenkoPastur(D / N, sigma * sigma);
    expect(ksDistance(spectrum, law.cdf, law.cdfBelow)).toBeLessThan(0.02);
    // Edges within a few percent.
    expect(spectrum[0] / law.hi).toBeGreaterThan(0.97);
    expect(spectrum[0] / law.hi).toBeLessThan(1.03);
    // The matched reference finds the variance by itself.
    expect(whiteNoiseReference(spectrum, N, D).law.sigma2).toBeCloseTo(sigma * sigma, 2);
  });

  it('describes a wide matrix too, zeros included (N = 250, D = 1000)', () => {
    const N = 250,
      D = 1000;
    const W = gaussianMatrix(seededRandom(4), N, D);
    const spectrum = gramSpectrum(W, N, D);
    const law = marchenkoPastur(D / N, 1);
    expect(ksDistance(spectrum, law.cdf, law.cdfBelow)).toBeLessThan(0.02);
  });

  it('tells a low-rank learned covariance apart from white noise', () => {
    const rng = seededRandom(5);
    const N = 400,
      D = 100,
      r = 5;
    // Rows drawn from N(0, Q^T Q) with Q of rank 5, plus a little isotropic noise.
    const W = matmul(gaussianMatrix(rng, N, r), gaussianMatrix(rng, r, D), N, r, D);
    for (let i = 0; i < W.length; i++) W[i] += 0.05 * rng.normal();
    const spectrum = gramSpectrum(W, N, D);
    const ref = whiteNoiseReference(spectrum, N, D);
    expect(ksDistance(spectrum, ref.law.cdf, ref.law.cdfBelow)).toBeGreaterThan(0.5);
    expect(effectiveRank(spectrum).participation).toBeLessThan(6);
    expect(ref.quantiles.length).toBe(D);
    for (let k = 1; k < D; k++) expect(ref.quantiles[k]).toBeLessThanOrEqual(ref.quantiles[k - 1]);
  });
});

describe('covariances and spectra', () => {
  it('computes the same spectrum from either Gram matrix', () => {
    const rng = seededRandom(6);
    const N = 30,
      D = 50;
    const W = gaussianMatrix(rng, N, D);
    const viaSmall = gramSpectrum(W, N, D);
    const viaFull = eigenSpectrum(weightCovariance(W, N, D), D);
    for (let i = 0; i < D; i++) expect(viaSmall[i]).toBeCloseTo(Math.max(viaFull[i], 0), 10);
    expect(viaSmall[N]).toBe(0);
  });

  it('builds C = Q^T Q for a RandomFeature factor and flattens convolution kernels by output channel', () => {
    const Q = Float64Array.from([1, 2, 0, 0, 1, 1]); // 2 x 3
    expect(Array.from(factorCovariance(Q, 2, 3))).toEqual([1, 2, 0, 2, 5, 1, 0, 1, 1]);
    // kernel [kh=1, kw=2, cin=1, cout=2]: taps (0,0) -> [a0, b0], (0,1) -> [a1, b1]
    const kernel = Float32Array.from([1, 10, 2, 20]);
    const { W, N, D } = convKernelRows(kernel, 1, 2, 1, 2);
    expect([N, D]).toEqual([2, 2]);
    expect(Array.from(W)).toEqual([1, 2, 10, 20]);
  });

  it('computes effective ranks: k for k equal eigenvalues, less for a decaying spectrum', () => {
    const flat = effectiveRank([2, 2, 2, 2, 0, 0]);
    expect(flat.entropy).toBeCloseTo(4, 12);
    expect(flat.participation).toBeCloseTo(4, 12);
    const decay = effectiveRank([1, 0.5, 0.25, 0.125]);
    expect(decay.entropy).toBeGreaterThan(1);
    expect(decay.entropy).toBeLessThan(4);
    expect(decay.participation).toBeCloseTo(1.875 ** 2 / (1 + 0.25 + 0.0625 + 0.015625), 12);
    expect(effectiveRank([0, 0]).entropy).toBe(0);
  });
});
