import { beforeAll, describe, expect, it } from 'vitest';
import { acrossScales, crossScaleCorrelations } from '../../src/synthesis/correlations';
import { generatedTarget } from '../../src/synthesis/targets';
import type { TF } from '../../nodes/types';
import { tf, useBackend } from '../wavelets/helpers';

beforeAll(() => useBackend('cpu'));

describe('cross-scale correlation instrument', () => {
  // Measured on this 128 x 128 field: mean |corr| two octaves apart 0.11 (linear) against
  // 0.19 (modulus), one octave apart 0.22 against 0.34. The linear ones are not zero:
  // the Morlet bands overlap in their tails, weighted by Ising's steep spectrum.
  it('moduli of wavelet coefficients correlate across scales more than the coefficients do (critical Ising)', async () => {
    const t = generatedTarget('ising', 128, 1, 2);
    const m = await crossScaleCorrelations(tf as unknown as TF, t.data, 128, 4, 4);
    expect(m.linear.length).toBe(16 * 16);
    // a channel with itself: correlation 1
    for (let c = 0; c < 16; c++) expect(m.linear[c * 16 + c]).toBeCloseTo(1, 4);
    const lin = acrossScales(m.linear, 4, 4, 2);
    const mod = acrossScales(m.modulus, 4, 4, 2);
    expect(lin).toBeLessThan(0.15);
    expect(mod).toBeGreaterThan(1.5 * lin);
    expect(acrossScales(m.modulus, 4, 4, 1)).toBeGreaterThan(1.3 * acrossScales(m.linear, 4, 4, 1));
  });
});
