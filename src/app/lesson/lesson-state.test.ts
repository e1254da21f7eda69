import { describe, expect, it } from 'vitest';
import { bestMetrics } from './lesson-state';

const epoch = (testAcc: number, trainAcc: number, loss: number) => ({ testAcc, trainAcc, loss }) as never;

describe('the metrics a lesson checks', () => {
  it('keeps the best of each metric across runs', () => {
    let m = bestMetrics({}, { epochs: [epoch(0.7, 0.75, 0.9), epoch(0.8, 0.85, 0.6)], last: undefined });
    expect(m).toEqual({ testAcc: 0.8, trainAcc: 0.85, loss: 0.6 });
    // A worse second run takes nothing back; a step's lower loss counts.
    m = bestMetrics(m, { epochs: [epoch(0.5, 0.5, 2)], last: { loss: 0.4, trainAcc: 0.6 } as never });
    expect(m).toEqual({ testAcc: 0.8, trainAcc: 0.85, loss: 0.4 });
  });

  it('ignores a diverged run and a partial report', () => {
    expect(bestMetrics({}, { epochs: [epoch(NaN, NaN, NaN)], last: undefined })).toEqual({});
    expect(bestMetrics({ loss: 1 }, { phase: 'training' } as never)).toEqual({ loss: 1 });
  });
});
