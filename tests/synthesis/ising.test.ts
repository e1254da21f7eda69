import { describe, expect, it } from 'vitest';
import { IsingLattice } from '../../src/synthesis/ising';
import { seededRandom } from '../../nodes/math/random';

/** Mean energy per spin and mean |m| over `samples` equilibrated configurations, with the error of the energy mean. */
function measure(n: number, samples: number, seed: number) {
  const lattice = new IsingLattice(n, seededRandom(seed));
  lattice.run(50);
  let e = 0,
    e2 = 0,
    m = 0;
  for (let s = 0; s < samples; s++) {
    lattice.run(1);
    const es = lattice.energyPerSpin();
    e += es;
    e2 += es * es;
    m += Math.abs(lattice.magnetization());
  }
  e /= samples;
  const err = Math.sqrt((e2 / samples - e * e) / samples);
  return { e, err, m: m / samples };
}

describe('critical Ising (Wolff)', () => {
  // At T_c the energy per spin tends to −√2 with a 1/L finite-size correction
  // (Ferdinand & Fisher 1969; on the torus it lies below −√2); |m| decays as L^{−1/8}.
  const sizes = [16, 32, 64];
  const runs = sizes.map((n, i) => measure(n, 2000, 100 + i));

  it("energy per spin extrapolates to Onsager's −√2", () => {
    // least squares e(L) = e∞ + a/L
    const xs = sizes.map((n) => 1 / n);
    const ys = runs.map((r) => r.e);
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
    const my = ys.reduce((s, v) => s + v, 0) / ys.length;
    const a = xs.reduce((s, v, i) => s + (v - mx) * (ys[i] - my), 0) / xs.reduce((s, v) => s + (v - mx) ** 2, 0);
    const eInf = my - a * mx;
    // error of the intercept from the per-size errors (samples are decorrelated by a sweep each)
    const sigma = 3 * Math.max(...runs.map((r) => r.err)) * 2;
    expect(Math.abs(eInf + Math.SQRT2)).toBeLessThan(Math.max(sigma, 0.01));
    // and the finite lattices approach it from below as L grows
    expect(runs[0].e).toBeLessThan(runs[1].e);
    expect(runs[1].e).toBeLessThan(runs[2].e);
    expect(runs[2].e).toBeLessThan(-Math.SQRT2);
  });

  it('magnetization decays as L^{−1/8}', () => {
    for (let i = 1; i < sizes.length; i++) {
      const ratio = runs[i].m / runs[i - 1].m;
      expect(ratio).toBeGreaterThan(2 ** (-1 / 8) - 0.02);
      expect(ratio).toBeLessThan(2 ** (-1 / 8) + 0.02);
    }
    // ordered far below T_c, disordered far above
    const cold = new IsingLattice(16, seededRandom(3), 0.7);
    cold.run(50);
    expect(Math.abs(cold.magnetization())).toBeGreaterThan(0.9);
    const hot = new IsingLattice(32, seededRandom(4), 0.2);
    hot.run(50);
    expect(Math.abs(hot.magnetization())).toBeLessThan(0.15);
  });
});
