/**
 * The validation claim on small fields, end to end: a critical Ising target of 64 x 64,
 * the phase-harmonic template, two samples, 300 L-BFGS steps (about a minute on WASM). The
 * maximum-entropy samples must be at most half the Gaussian samples' KS distance from
 * the target on every statistic that was not fitted (values and increments at lags 1, 4
 * and 16, read on the spins), and both spectra within 10% at every octave. The full
 * figures (128 x 128, both targets, several seeds) are in the README.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../../compiler';
import { synthesize } from '../../src/synthesis/engine';
import { gaussianSamples } from '../../src/synthesis/gaussian';
import { generatedTarget } from '../../src/synthesis/targets';
import { checkClaim, compareToTarget } from '../../src/synthesis/validation';
import type { TF } from '../../nodes/types';
import { tf, useBackend } from '../wavelets/helpers';

beforeAll(() => useBackend('wasm'));

describe('maximum entropy against the Gaussian model, on statistics not fitted', () => {
  it('critical Ising 64 x 64: every distance at most half the Gaussian’s, spectra within 10%', async () => {
    const n = 64;
    const samples = 2;
    const target = generatedTarget('ising', n, 1, 1).data;
    const doc = loadDocument(readFileSync('templates/synthesis-phase-harmonics.json', 'utf8')).doc!;
    const out = await synthesize(tf as unknown as TF, doc, target, n, { samples, steps: 300, seed: 1 });
    expect(out.diagnostics).toEqual([]);
    const maxEntropy = compareToTarget(out.result!.samples, target, n);
    const gaussian = compareToTarget(gaussianSamples(target, n, samples, 1 ^ 0x2545f491), target, n);
    const claim = checkClaim(gaussian, maxEntropy);
    expect(claim.measure).toBe('target values');
    for (const row of claim.ks) expect(row.ratio, row.statistic).toBeLessThanOrEqual(0.5);
    expect(claim.spectrum).toEqual({ gaussian: true, maxEntropy: true });
    expect(claim.met).toBe(true);
    // the Gaussian sample is no straw man: its distances are small, as spins go
    expect(gaussian.quantized!.ksValues).toBeLessThan(0.05);
  }, 240_000);
});
