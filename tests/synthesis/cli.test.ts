import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/data/npy';
import { generatedTarget } from '../../src/synthesis/targets';
import { cli as wavegraph } from '../research/helpers';

/** `wavegraph synthesize` of the Gaussian template, then `args`. */
const gaussian = (...args: string[]) => wavegraph('synthesize', 'templates/synthesis-gaussian.json', ...args);
/** A 32 x 32 Ising target. */
const ising32 = ['--target', 'ising', '--size', '32'];

describe('wavegraph synthesize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-synth-'));

  it('--reference scores independent realizations of a built-in target (Ising: the difference of the shares of up spins)', async () => {
    const r = await gaussian(
      ...ising32,
      '--steps',
      '0',
      '--seed',
      '3',
      '--reference',
      '2',
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j.reference).toHaveLength(2);
    const up = (seed: number) => generatedTarget('ising', 32, 1, seed).data.filter((v) => v > 0).length / 1024;
    j.reference.forEach((ref: { ksValues: number; ksIncrements: object }, k: number) => {
      // two ±1 fields: the values' distance is the difference of their shares of +1 spins
      expect(ref.ksValues).toBeCloseTo(Math.abs(up(4 + k) - up(3)), 10);
      expect(Object.keys(ref.ksIncrements)).toEqual(['1', '4', '16']);
    });
    const text = await gaussian(...ising32, '--steps', '0', '--reference', '2', '--backend', 'cpu');
    expect(text.out).toMatch(/independent realizations of the target's process \(2, seeds 1-2\)/);
    const refused = await gaussian('--target', 'x.npy', '--reference', '1');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/--reference .*built-in target/);
  });

  it('draws samples, writes them as .npy and reports the validation statistics as JSON', async () => {
    const out = join(dir, 'samples.npy');
    const fig = join(dir, 'fig.png');
    const r = await gaussian(
      ...ising32,
      '--samples',
      '2',
      '--steps',
      '5',
      '--seed',
      '3',
      '--out',
      out,
      '--figure',
      fig,
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.size).toBe(32);
    expect(j.samples).toBe(2);
    expect(j.moments).toBe(23); // 20 wavelet energies, two low-pass energies, the mean
    expect(j.loss).toBeLessThan(j.initialLoss);
    expect(Object.keys(j.maxEntropy.ksIncrements)).toEqual(['1', '4', '16']);
    expect(j.gaussian.quantized.ksValues).toBeGreaterThanOrEqual(0);
    // ±1 spins: no continuous sample is closer than half the heavier spin's share
    expect(j.gaussian.floor.ksValues).toBeGreaterThanOrEqual(0.25);
    expect(j.maxEntropy.ksValues).toBeGreaterThanOrEqual(j.maxEntropy.floor.ksValues - 1e-3);
    expect(j.claim.ks.map((r: { statistic: string }) => r.statistic)).toEqual([
      'values',
      'increments, lag 1',
      'increments, lag 4',
      'increments, lag 16',
    ]);
    expect(typeof j.claim.met).toBe('boolean');
    // ±1 spins: the claim reads both samples on the target's values, not the raw distances at their floor
    expect(j.claim.measure).toBe('target values');
    expect(j.claim.ks[0].gaussian).toBe(j.gaussian.quantized.ksValues);
    expect(j.claim.ks[3].maxEntropy).toBe(j.maxEntropy.quantized.ksIncrements['16']);
    for (const ratio of j.gaussian.spectrumRatio) expect(ratio).toBeCloseTo(1, 4);
    const a = readNpy(new Uint8Array(readFileSync(out)));
    expect(a.shape).toEqual([2, 32, 32]);
    expect([...readFileSync(fig).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('--noise-seed draws another sample of the same target', async () => {
    const run = async (...seeds: string[]) => {
      const out = join(dir, `noise-${seeds.join('-')}.npy`);
      const r = await gaussian(...ising32, '--steps', '2', ...seeds, '--out', out, '--json', '--backend', 'cpu');
      expect(r.err).toBe('');
      return { j: JSON.parse(r.out), x: readNpy(new Uint8Array(readFileSync(out))).data };
    };
    const a = await run('--seed', '3');
    const b = await run('--seed', '3', '--noise-seed', '4');
    const c = await run('--seed', '4');
    expect(b.j.targetSpectrum).toEqual(a.j.targetSpectrum);
    expect(b.x).not.toEqual(a.x);
    expect(c.j.targetSpectrum).not.toEqual(a.j.targetSpectrum);
  });

  it('reads a float .npy target and prints a table', async () => {
    const target = join(dir, 'field.npy');
    const data = Float32Array.from({ length: 40 * 40 }, (_, i) => Math.sin(i / 3) + Math.cos(i / 17));
    writeFileSync(target, writeNpy(data, [40, 40]));
    const r = await gaussian('--target', target, '--size', '32', '--steps', '2', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/field\.npy \(1 field of 32 x 32\)/);
    expect(r.out).toMatch(/increments, lag 16/);
    expect(r.out).toMatch(/histograms, as they are \(raw\)/);
    expect(r.out).toMatch(/^claim \(raw KS .*\): (met|not met)/m);
    expect(r.out).not.toMatch(/rounding/); // a continuous target has no rounded figures
    expect(r.out).toMatch(/\|k\| in \[1, 2\)/);
  });

  it('says clearly what is wrong with bad input', async () => {
    const bytes = join(dir, 'bytes.npy');
    writeFileSync(bytes, writeNpy(new Uint8Array(32 * 32), [32, 32]));
    let r = await gaussian('--target', bytes, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /\[bad-target\].*bytes\.npy: holds \|u1 values, but a synthesis target must be a float field/,
    );
    r = await gaussian('--target', 'ising', '--size', '16', '--steps', '1', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /The 16 x 16 target does not fit this statistics graph\. .*multiple of 2\^\(J - resolution\) = 32/,
    );
    r = await wavegraph('synthesize', 'templates/mlp.json', ...ising32, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a statistics model/);
    r = await gaussian('--target', 'smoke');
    expect(r.err).toMatch(/--target must be ising, turbulence or a \.npy file, got "smoke"/);
  });
});
