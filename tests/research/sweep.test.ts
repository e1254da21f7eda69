import { describe, expect, it } from 'vitest';
import {
  accuracyFromConfusion,
  argmaxRows,
  confusionMatrix,
  mean,
  perClassAccuracy,
  std,
  stdErr,
} from '../../src/research/metrics';
import {
  convParamCount,
  denseParamCount,
  interpolationThreshold,
  logSpacedIntegers,
  parseSweepValues,
  summarizeSweep,
} from '../../src/research/sweep';

describe('sweep values', () => {
  it('are log-spaced distinct integers including both ends', () => {
    const v = logSpacedIntegers(8, 512, 7);
    expect(v).toEqual([8, 16, 32, 64, 128, 256, 512]);
    const dense = logSpacedIntegers(1, 5, 20);
    expect(dense).toEqual([1, 2, 3, 4, 5]);
    expect(logSpacedIntegers(10, 10, 4)).toEqual([10]);
    expect(() => logSpacedIntegers(0, 10, 3)).toThrow(RangeError);
  });

  it('parse from what a user types, with a readable message when they cannot', () => {
    expect(parseSweepValues('8, 16,32')).toEqual({ ok: true, values: [8, 16, 32] });
    expect(parseSweepValues('8..512:7')).toEqual({ ok: true, values: [8, 16, 32, 64, 128, 256, 512] });
    const bad = parseSweepValues('8,,wide');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/commas/);
    expect(parseSweepValues('50..10:3').ok).toBe(false);
  });

  it('count parameters', () => {
    expect(denseParamCount(784, 10)).toBe(7850);
    expect(denseParamCount(784, 10, false)).toBe(7840);
    expect(convParamCount(5, 5, 1, 32)).toBe(832);
  });
});

describe('sweep summary', () => {
  const point = (value: number, trainable: number, errs: [number, number][]) => ({
    value,
    params: { trainable, fixed: 100 },
    runs: errs.map(([trainError, testError]) => ({ trainError, testError })),
  });

  it('sorts points by parameters and finds where training error reaches zero for good', () => {
    const rows = summarizeSweep([
      point(32, 3200, [
        [0, 0.2],
        [0, 0.22],
      ]),
      point(4, 400, [[0.3, 0.35]]),
      point(8, 800, [
        [0, 0.4],
        [0.02, 0.45],
      ]),
      point(16, 1600, [[0, 0.3]]),
      point(6, 600, [[0, 0.5]]), // a lucky fit below the threshold does not count
    ]);
    expect(rows.map((r) => r.value)).toEqual([4, 6, 8, 16, 32]);
    expect(rows[4].testError).toBeCloseTo(0.21, 12);
    expect(rows[4].testErrorStd).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(interpolationThreshold(rows)?.value).toBe(16);
    expect(interpolationThreshold(rows, 0.005)?.value).toBe(16);
    expect(interpolationThreshold(rows, 0.01)?.value).toBe(6); // point 8 averages 0.01
    expect(interpolationThreshold(rows.slice(0, 1))).toBeNull();
  });
});

describe('metrics', () => {
  it('computes mean, sample std and standard error', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(stdErr([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(std([7])).toBe(0);
    expect(Number.isNaN(mean([]))).toBe(true);
  });

  it('builds a confusion matrix from scores and reads accuracies off it', () => {
    const scores = Float32Array.from([0.9, 0.1, 0, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1, 0, 0, 1]);
    const pred = argmaxRows(scores, 4, 3);
    expect(Array.from(pred)).toEqual([0, 1, 1, 2]);
    const m = confusionMatrix([0, 1, 2, 2], pred, 3);
    expect(Array.from(m)).toEqual([1, 0, 0, 0, 1, 0, 0, 1, 1]);
    expect(accuracyFromConfusion(m, 3)).toBe(0.75);
    expect(Array.from(perClassAccuracy(m, 3))).toEqual([1, 1, 0.5]);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/out of range/);
  });
});
