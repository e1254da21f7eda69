/** Filter evolution: snapshots on a schedule, likeness scores, distance from the wired bank. */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/research/compare';
import { evolutionHooks, type FilterSnapshot } from '../../src/research/filter-evolution';
import { chainDoc, node } from '../helpers';
import { context, tinyConv } from './helpers';

function waveletGraph(mode: string) {
  return chainDoc(
    [
      node('input', 'Input', { height: 28, width: 28, channels: 1 }),
      node('psi', 'WaveletConv', { J: 2, L: 4, mode }),
      node('mod', 'Modulus'),
      node('pool', 'MaxPool', { size: 4 }),
      node('flat', 'Flatten'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
    ],
    `wavelets ${mode}`,
  );
}

describe('filter evolution', () => {
  it('snapshots a first-layer Conv2D every N steps, with scores in [0, 1]', async () => {
    // 200 samples / batch 25 = 8 steps per epoch, 2 epochs = 16 steps; every 4 -> steps 0, 4, 8, 12, 16
    const ctx = await context(200, 50, { epochs: 2, logEvery: 2 });
    const hooks = evolutionHooks(tinyConv(), { every: 4 });
    const r = await runGraph(tinyConv(), 'conv', ctx, hooks);
    expect(r.ok).toBe(true);
    const { banks, snapshots } = hooks.result()!;
    expect(banks.map((b) => [b.nodeId, b.type, b.h, b.w, b.count])).toEqual([['conv1', 'Conv2D', 5, 5, 4]]);
    expect(snapshots.map((s: FilterSnapshot) => s.step)).toEqual([0, 4, 8, 12, 16]);
    for (const s of snapshots) {
      const b = s.banks[0];
      expect(b.re).toHaveLength(4 * 25);
      expect(b.scores).toHaveLength(4);
      for (const x of b.scores) {
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
    // the filters change with training, and the record carries the summary
    expect(snapshots[4].banks[0].re).not.toEqual(snapshots[0].banks[0].re);
    if (r.ok) {
      const f = r.record.metrics.extra!.filters as { nodeId: string; trace: { step: number }[] }[];
      expect(f[0].nodeId).toBe('conv1');
      expect(f[0].trace.map((t) => t.step)).toEqual([0, 4, 8, 12, 16]);
    }
  });

  it('a wavelet bank learned from wavelets starts as the wired bank: score 1, distance 0, then moves', async () => {
    const ctx = await context(100, 25, { epochs: 1, logEvery: 1, learningRate: 0.01 });
    const doc = waveletGraph('learned-from-wavelets');
    const hooks = evolutionHooks(doc, { every: 2 });
    const r = await runGraph(doc, 'lfw', ctx, hooks);
    expect(r.ok).toBe(true);
    const { banks, snapshots } = hooks.result()!;
    expect(banks[0]).toMatchObject({
      nodeId: 'psi',
      type: 'WaveletConv',
      mode: 'learned-from-wavelets',
      count: 8,
      complex: true,
    });
    expect(snapshots.map((s) => s.step)).toEqual([0, 2, 4]);
    const first = snapshots[0].banks[0];
    for (const x of first.scores) expect(x).toBeCloseTo(1, 5);
    expect(first.distanceFromWired).toBeCloseTo(0, 6);
    expect(snapshots[2].banks[0].distanceFromWired).toBeGreaterThan(1e-4);
  });

  it('filters learned from noise start far from the wired bank and score like noise', async () => {
    const ctx = await context(50, 25, { epochs: 1, logEvery: 1 });
    const doc = waveletGraph('learned-from-noise');
    const hooks = evolutionHooks(doc, { every: 100 });
    await runGraph(doc, 'lfn', ctx, hooks);
    const { banks, snapshots } = hooks.result()!;
    const first = snapshots[0].banks[0];
    expect(first.distanceFromWired).toBeGreaterThan(1);
    expect(first.meanScore).toBeLessThan(0.5);
    expect(Math.abs(first.meanScore - banks[0].noiseScore)).toBeLessThan(0.1);
    // the last step is always captured, even off the schedule
    expect(snapshots.map((s) => s.step)).toEqual([0, 2]);
  });
});
