import { describe, expect, it } from 'vitest';
import {
  channelCount,
  filterBank,
  outputSize,
  padBefore,
  padSize,
  periodizeFourier,
  psiSpatial,
  realFourier,
} from '../../nodes/math/filter-bank';
import { dft2 } from '../../nodes/math/dft';

describe('padding rule', () => {
  it('gives the sizes Kymatio uses', () => {
    expect(padSize(28, 2)).toBe(36);
    expect(padSize(32, 2)).toBe(40);
    expect(padSize(28, 3)).toBe(40);
    expect(padSize(32, 3)).toBe(48);
    expect(padBefore(28, 3)).toBe(6);
    expect(padSize(23, 2)).toBe(28);
    expect(padBefore(23, 2)).toBe(2); // 28 - 23 = 5: 2 before, 3 after
    expect(outputSize(28, 3)).toBe(3);
    expect(outputSize(28, 2)).toBe(7);
  });
  it('counts channels', () => {
    expect(channelCount(2, 8)).toBe(81);
    expect(channelCount(3, 8)).toBe(217);
    expect(channelCount(3, 8, 1)).toBe(25);
  });
});

describe('Morlet filter bank', () => {
  const bank = filterBank(40, 48, 3, 8);

  it('orders wavelets j major, l minor, with j + 1 levels of the right sizes', () => {
    expect(bank.psi).toHaveLength(24);
    bank.psi.forEach((p, i) => {
      expect(p.j).toBe(Math.floor(i / 8));
      expect(p.l).toBe(i % 8);
      expect(p.levels).toHaveLength(p.j + 1);
      p.levels.forEach((lv, r) => expect(lv.length).toBe((40 >> r) * (48 >> r)));
    });
    expect(bank.phi.levels).toHaveLength(4);
  });

  it('has zero-mean wavelets (zero at frequency 0, at every level)', () => {
    for (const p of bank.psi) for (const lv of p.levels) expect(Math.abs(lv[0])).toBeLessThan(1e-12);
    const s = psiSpatial(40, 48, 1, 3, 8);
    let re = 0,
      im = 0;
    for (let i = 0; i < s.re.length; i++) {
      re += s.re[i];
      im += s.im[i];
    }
    expect(Math.hypot(re, im)).toBeLessThan(1e-12);
  });

  it("has a low-pass equal to 1 at frequency 0 (to Kymatio's 3.1415 normalization)", () => {
    for (const lv of bank.phi.levels) expect(lv[0]).toBeCloseTo(Math.PI / 3.1415, 9);
    expect(Math.abs(bank.phi.levels[0][0] - 1)).toBeLessThan(1e-4);
  });

  it('peaks near 0.97 in Fourier, at the frequency xi in direction theta', () => {
    for (const p of bank.psi) {
      const F = p.levels[0];
      let best = 0,
        at = 0;
      for (let i = 0; i < F.length; i++)
        if (F[i] > best) {
          best = F[i];
          at = i;
        }
      // 1 - exp(-(0.6 pi)^2) ~ 0.97 at the centre; coarse scales are narrow and the
      // grid samples them off-peak, so allow less there
      if (p.j === 0) expect(Math.abs(best - 0.97)).toBeLessThan(0.005);
      expect(best).toBeGreaterThan(0.85);
      expect(best).toBeLessThan(1.0);
      // the peak's frequency (folded to [-pi, pi)) points along theta with magnitude ~xi
      const k1 = Math.floor(at / 48),
        k2 = at % 48;
      const w1 = (2 * Math.PI * (k1 >= 20 ? k1 - 40 : k1)) / 40;
      const w2 = (2 * Math.PI * (k2 >= 24 ? k2 - 48 : k2)) / 48;
      const xi = (3 * Math.PI) / 4 / 2 ** p.j;
      const d = Math.hypot(w1 - xi * Math.cos(p.theta), w2 - xi * Math.sin(p.theta));
      expect(d).toBeLessThan(0.6 * xi);
    }
  });

  it('keeps the imaginary part of the Fourier filters negligible (Hermitian spatial filters)', () => {
    const s = psiSpatial(40, 48, 2, 5, 8);
    const F = dft2(s, 40, 48);
    let maxRe = 0,
      maxIm = 0;
    for (let i = 0; i < F.re.length; i++) {
      maxRe = Math.max(maxRe, Math.abs(F.re[i]));
      maxIm = Math.max(maxIm, Math.abs(F.im[i]));
    }
    expect(maxIm).toBeLessThan(1e-9 * maxRe);
    expect(realFourier(s, 40, 48)).toEqual(F.re);
  });

  it('builds coarser copies by cutting above the new Nyquist and folding', () => {
    const F = new Float64Array(8 * 8).map((_, i) => i);
    const c = periodizeFourier(F, 8, 8, 1);
    // rows/cols 2..5 are zeroed; kept (0,1,6,7) fold onto 0..3: row 0 <- rows 0 and 4(zeroed)
    expect(c.length).toBe(16);
    expect(c[0]).toBe(0); // only F[0, 0] survives in that block
    expect(c[3 * 4 + 3]).toBe(F[7 * 8 + 7]); // (3,3) <- (7,7) alone (3 is zeroed)
    expect(c[1 * 4 + 2]).toBe(F[1 * 8 + 6]); // (1,2) <- (1,6)
  });

  it('is cached per size', () => {
    expect(filterBank(40, 48, 3, 8)).toBe(bank);
  });
});
