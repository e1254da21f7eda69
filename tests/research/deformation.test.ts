import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../nodes/math/linalg';
import {
  deformBatch,
  displacementField,
  exactTypicalDisplacement,
  matchedNoise,
  modePairs,
  rmsDisplacement,
  sampleDeformation,
  temperatureRange,
  typicalDisplacement,
  warpImage,
} from '../../src/research/deformation';

function randomImages(seed: number, size: number): Float32Array {
  const rng = seededRandom(seed);
  return Float32Array.from({ length: size }, () => rng.next());
}

function norm(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - (b ? b[i] : 0)) ** 2;
  return Math.sqrt(s);
}

describe('random smooth deformations', () => {
  it('keeps the modes with sqrt(i^2 + j^2) < c + 1/2', () => {
    expect(modePairs(1)).toEqual([[1, 1]]);
    expect(modePairs(3).length).toBe(6); // (1,1) (1,2) (2,1) (2,2) (1,3) (3,1) ; (2,3) is out
    expect(modePairs(3)).not.toContainEqual([2, 3]);
  });

  it('is the identity at T = 0, for non-square multi-channel images', () => {
    const H = 12,
      W = 9,
      C = 3;
    const x = randomImages(1, 2 * H * W * C);
    expect(Array.from(deformBatch(x, 2, H, W, C, 0, 5, 7))).toEqual(Array.from(x));
  });

  it('moves pixels at T > 0, keeps the border rows fixed, and is reproducible from its seed', () => {
    const n = 16,
      C = 2;
    const x = randomImages(2, 3 * n * n * C);
    const { Tmax } = temperatureRange(n, 3);
    const a = deformBatch(x, 3, n, n, C, Tmax, 3, 11);
    expect(Array.from(deformBatch(x, 3, n, n, C, Tmax, 3, 11))).toEqual(Array.from(a));
    expect(norm(a, x)).toBeGreaterThan(0.1);
    const field = displacementField(sampleDeformation(seededRandom(4), Tmax, 3), n, n);
    for (let q = 0; q < n; q++) {
      expect(field.dRow[q]).toBeCloseTo(0, 12);
      expect(field.dCol[(n - 1) * n + q]).toBeCloseTo(0, 12);
    }
  });

  it('warps a constant image to itself and a ramp by the displacement (bilinear, clamped)', () => {
    const H = 6,
      W = 6;
    const ones = new Float32Array(H * W).fill(0.5);
    const dRow = new Float64Array(H * W).fill(0.3),
      dCol = new Float64Array(H * W).fill(-10);
    expect(Array.from(warpImage(ones, H, W, 1, { dRow, dCol }))).toEqual(Array.from(ones));
    // A ramp along columns, displaced by 0.25 columns: values shift by 0.25 inside the image.
    const ramp = Float32Array.from({ length: H * W }, (_, p) => p % W);
    const out = warpImage(ramp, H, W, 1, { dRow: new Float64Array(H * W), dCol: new Float64Array(H * W).fill(0.25) });
    expect(out[2 * W + 3]).toBeCloseTo(2.75, 6);
    expect(out[2 * W + 0]).toBe(0); // clamped at the border
  });

  it('has the typical displacement of the formula, on average over draws', () => {
    const n = 28;
    for (const c of [3, 10]) {
      const { Tmin, Tmax } = temperatureRange(n, c);
      const T = Math.sqrt(Tmin * Tmax);
      const rng = seededRandom(c);
      const draws = 600;
      let s2 = 0;
      for (let k = 0; k < draws; k++) s2 += rmsDisplacement(displacementField(sampleDeformation(rng, T, c), n, n)) ** 2;
      const measured = Math.sqrt(s2 / draws);
      // Each draw's mean square is a weighted sum of chi-squares (at least 6 modes x 2 components):
      // the relative standard error of the average is below 1.5% here; allow 5%.
      expect(Math.abs(measured / exactTypicalDisplacement(n, T, c) - 1)).toBeLessThan(0.05);
      // delta = (n / 2) sqrt(pi T ln c) is the large-c form of the same sum: within 25%.
      expect(Math.abs(measured / typicalDisplacement(n, T, c) - 1)).toBeLessThan(0.25);
    }
  });

  it('puts T_min at half a pixel and T_max above it', () => {
    for (const [n, c] of [
      [28, 3],
      [32, 10],
    ]) {
      const { Tmin, Tmax } = temperatureRange(n, c);
      expect(typicalDisplacement(n, Tmin, c)).toBeCloseTo(0.5, 12);
      expect(Tmax).toBeGreaterThan(Tmin);
      expect(Tmax).toBeCloseTo(4 / (Math.PI ** 3 * c * c * Math.log(c)), 15);
    }
  });
});

describe('matched-norm noise', () => {
  it('has exactly the norm of the deformation and a random direction', () => {
    const n = 20,
      C = 1;
    const x = randomImages(3, n * n * C);
    const rng = seededRandom(8);
    const { Tmax } = temperatureRange(n, 4);
    const moved = warpImage(x, n, n, C, displacementField(sampleDeformation(rng, Tmax, 4), n, n));
    const eta = matchedNoise(x, moved, rng);
    const target = norm(moved, x);
    expect(target).toBeGreaterThan(0);
    expect(Math.abs(norm(eta) - target) / target).toBeLessThan(1e-12);
    const eta2 = matchedNoise(x, moved, rng);
    expect(norm(eta2, eta)).toBeGreaterThan(target / 2);
    expect(norm(matchedNoise(x, x, rng))).toBe(0);
  });
});
