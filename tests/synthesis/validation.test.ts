/**
 * The validation claim on fields with known spectra: a band-limited target (no power
 * outside the square |k_x|, |k_y| < n/3, as 2/3-rule dealiasing leaves turbulence),
 * samples made from it with a known error at some frequencies.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../nodes/math/random';
import { fft2, freq } from '../../src/synthesis/fft2';
import { checkClaim, compareToTarget, noPowerAllowance, targetHasNoPower } from '../../src/synthesis/validation';

const n = 32;

/** A real field with random Fourier coefficients where `keep(kr, kc)` holds, zero elsewhere. */
function field(seed: number, keep: (kr: number, kc: number) => boolean, gain: (k: number) => number = () => 1) {
  const r = seededRandom(seed);
  const re = Float64Array.from({ length: n * n }, () => r.normal());
  const im = new Float64Array(n * n);
  fft2(re, im, n, n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      const g = keep(freq(a, n), freq(b, n)) ? gain(Math.hypot(freq(a, n), freq(b, n))) : 0;
      re[a * n + b] *= g;
      im[a * n + b] *= g;
    }
  fft2(re, im, n, n, true);
  return Float32Array.from(re);
}

const inSquare = (kr: number, kc: number) => Math.abs(kr) < n / 3 && Math.abs(kc) < n / 3;
const corners = (kr: number, kc: number) => Math.hypot(kr, kc) >= n / 2;
const target = field(1, inSquare, (k) => 1 / (1 + k * k));

describe('the validation claim', () => {
  it('needs every octave within 10% of the target where it has power', () => {
    const same = compareToTarget(target, target, n);
    expect(checkClaim(same, same).spectrum).toEqual({ gaussian: true, maxEntropy: true });
    const louder = compareToTarget(
      target.map((v) => 1.1 * v),
      target,
      n,
    ); // power x 1.21
    expect(checkClaim(same, louder).spectrum.maxEntropy).toBe(false);
    const close = compareToTarget(
      target.map((v) => 1.04 * v),
      target,
      n,
    ); // power x 1.08
    expect(checkClaim(same, close).spectrum.maxEntropy).toBe(true);
  });

  it('where the target has no power, allows a tenth of its faintest octave with power, no more', () => {
    const same = compareToTarget(target, target, n);
    const empty = same.targetSpectrum.map((_, j) => targetHasNoPower(same, j));
    expect(empty.at(-1)).toBe(true); // the corners
    const allowance = noPowerAllowance(same);
    const faintest = Math.min(...same.targetSpectrum.filter((_, j) => !empty[j]));
    expect(allowance).toBeCloseTo(0.1 * faintest, 12);
    const noise = field(2, corners);
    const withNoise = (power: number) => {
      const unit = compareToTarget(noise, noise, n).spectrum.at(-1)!;
      const s = Math.sqrt(power / unit);
      return compareToTarget(
        target.map((v, i) => v + s * noise[i]),
        target,
        n,
      );
    };
    const quiet = withNoise(0.5 * allowance);
    expect(quiet.spectrum.at(-1)).toBeCloseTo(0.5 * allowance, 8);
    expect(checkClaim(same, quiet).spectrum.maxEntropy).toBe(true);
    expect(checkClaim(same, withNoise(2 * allowance)).spectrum.maxEntropy).toBe(false);
  });

  it('needs every raw KS distance at most half the Gaussian model’s', () => {
    const r = compareToTarget(target, target, n);
    const report = (values: number, lag: number) => ({
      ...r,
      ksValues: values,
      ksIncrements: { 1: lag, 4: lag, 16: lag },
    });
    const gaussian = report(0.04, 0.04);
    expect(checkClaim(gaussian, report(0.02, 0.02)).met).toBe(true);
    const c = checkClaim(gaussian, report(0.019, 0.021));
    expect(c.met).toBe(false);
    expect(c.ks.map((row) => row.met)).toEqual([true, false, false, false]);
    expect(c.ks[1].ratio).toBeCloseTo(0.525, 10);
    expect(c.measure).toBe('raw');
  });

  it('for a target with a few discrete values, reads both samples on those values', () => {
    // spins ±1; a maximum-entropy sample near ±1 but continuous, a Gaussian one spread out
    const r = seededRandom(9);
    const spins = Float32Array.from({ length: n * n }, (_, i) => ((i >> 3) % 3 === 0 ? -1 : 1));
    const nearSpins = Float32Array.from(spins, (v) => v * (1 + 0.05 * r.normal()));
    const spread = Float32Array.from(spins, (v) => v + 0.9 * r.normal());
    const me = compareToTarget(nearSpins, spins, n);
    const g = compareToTarget(spread, spins, n);
    // raw: both sit at the floor, half the heavier spin's share (2/3 of the sites are +1)
    expect(me.floor!.ksValues).toBeCloseTo(1 / 3, 2);
    expect(me.ksValues).toBeGreaterThanOrEqual(me.floor!.ksValues - 1e-9);
    expect(me.ksValues / g.ksValues).toBeGreaterThan(0.5);
    // on the spins' values the near-spin sample is exact and the spread one is not
    const c = checkClaim(g, me);
    expect(c.measure).toBe('target values');
    expect(me.quantized!.ksValues).toBe(0);
    expect(c.ks.map((row) => row.maxEntropy)).toEqual([0, 0, 0, 0]);
    expect(c.ks.every((row) => row.gaussian > 0.01 && row.met)).toBe(true);
    // swapped, the claim fails on every statistic
    expect(checkClaim(me, g).ks.every((row) => !row.met)).toBe(true);
  });
});
