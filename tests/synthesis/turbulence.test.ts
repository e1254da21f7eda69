import { describe, expect, it } from 'vitest';
import { bandLimitedNoise, turbulenceField, VorticitySolver } from '../../src/synthesis/turbulence';

describe('2D Navier-Stokes (pseudo-spectral)', () => {
  it('conserves energy and enstrophy without viscosity, drag or forcing', () => {
    const s = new VorticitySolver(32, bandLimitedNoise(32, 4, 1), 0, 0, null);
    const e0 = s.energy();
    const z0 = s.enstrophy();
    for (let i = 0; i < 40; i++) s.step(0.02);
    expect(s.t).toBeCloseTo(0.8, 10);
    expect(Math.abs(s.energy() - e0) / e0).toBeLessThan(1e-8);
    expect(Math.abs(s.enstrophy() - z0) / z0).toBeLessThan(1e-7);
    // the flow did move: the vorticity field is not the initial one
    const w = s.vorticity();
    const w0 = bandLimitedNoise(32, 4, 1);
    let diff = 0;
    for (let i = 0; i < w.length; i++) diff += (w[i] - w0[i]) ** 2;
    expect(diff / w.length).toBeGreaterThan(1e-3);
  });

  it('viscosity dissipates energy', () => {
    const s = new VorticitySolver(32, bandLimitedNoise(32, 4, 1), 0.01, 0, null);
    const e0 = s.energy();
    for (let i = 0; i < 20; i++) s.step(0.02);
    expect(s.energy()).toBeLessThan(e0 * 0.999);
  });

  it('behaves as 2D turbulence: enstrophy cascades to small scales and is dissipated, energy much less so', () => {
    const n = 64;
    const s = new VorticitySolver(n, bandLimitedNoise(n, 5, 3), 0.5 / (n / 3) ** 2, 0, null);
    const e0 = s.energy();
    const z0 = s.enstrophy();
    while (s.t < 10) s.step(Math.min(s.cflDt(0.8, 0.1), 10 - s.t));
    const energyLost = 1 - s.energy() / e0;
    const enstrophyLost = 1 - s.enstrophy() / z0;
    expect(enstrophyLost).toBeGreaterThan(0.3);
    expect(energyLost).toBeLessThan(enstrophyLost / 3);
  });

  it('generates a seeded unit-rms vorticity field', () => {
    const a = turbulenceField(32, { seed: 5, time: 2 });
    const b = turbulenceField(32, { seed: 5, time: 2 });
    expect(a).toEqual(b);
    expect(a.reduce((s, v) => s + v * v, 0) / a.length).toBeCloseTo(1, 5);
  });
});
