import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, train } from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { SpectraEvolution, summarizeSpectra } from '../../src/research/spectra-evolution';
import { chain, compile, tf, useCpu } from '../sparse/helpers';

beforeAll(useCpu);

const graph = () =>
  chain(
    [28, 28, 1],
    [
      { id: 'conv', type: 'Conv2D', params: { channels: 48, kernel: 5, bias: false } },
      { id: 'pool', type: 'AvgPool', params: { size: 4 } },
      { id: 'mix', type: 'Conv2D', params: { channels: 200, kernel: 1, init: 'glorot' } },
      { id: 'flat', type: 'Flatten' },
      { id: 'hidden', type: 'Dense', params: { units: 300 } },
      { id: 'head', type: 'Dense', params: { units: 10 } },
    ],
    'spectra',
  );

describe('weight spectra through training', () => {
  it('at step 0 of a Gaussian initialization, every layer follows Marchenko-Pastur', { timeout: 300_000 }, async () => {
    const model = compile(graph(), 3);
    const evo = new SpectraEvolution(model, 5);
    expect(evo.layers.map((l) => [l.node, l.neurons, l.inputs])).toEqual([
      ['conv', 48, 25],
      ['mix', 200, 48],
      ['hidden', 300, 7 * 7 * 200],
      ['head', 10, 300],
    ]);
    evo.capture(0, 0);
    const [s0] = await evo.finish();
    for (const l of s0.layers) {
      const info = evo.layers.find((x) => x.node === l.node)!;
      // KS distance to the law; the head has only 10 non-zero eigenvalues, so a looser bound.
      expect(l.ks, l.node).toBeLessThan(info.neurons >= 48 ? 0.08 : 0.2);
      expect(l.outliers, l.node).toBeLessThanOrEqual(1);
      expect(l.eigenvalues).toHaveLength(info.inputs);
    }
    // A structured layer does not: 'mix' made rank 2.
    const mix = model.variables.find((v) => v.key === 'mix/kernel')!.variable;
    mix.assign(tf.mul(tf.tile(tf.slice(mix, [0, 0, 0, 0], [1, 1, 48, 2]), [1, 1, 1, 100]), tf.scalar(1)) as never);
    evo.capture(1, 0);
    const snaps = await evo.finish();
    const low = snaps[1].layers.find((l) => l.node === 'mix')!;
    expect(low.ks).toBeGreaterThan(0.5);
    expect(low.effectiveRank.entropy).toBeLessThan(2.5);
    model.dispose();
  });

  it('snapshots every N steps while training, with the effective rank over time', async () => {
    const small = chain(
      [28, 28, 1],
      [
        { id: 'pool', type: 'AvgPool', params: { size: 4 } },
        { id: 'conv', type: 'Conv2D', params: { channels: 8, kernel: 3 } },
        { id: 'mix', type: 'Conv2D', params: { channels: 16, kernel: 1 } },
        { id: 'flat', type: 'Flatten' },
        { id: 'head', type: 'Dense', params: { units: 10 } },
      ],
    );
    const model = compile(small, 3);
    const evo = new SpectraEvolution(model, 4);
    const data = makeSynthetic({ seed: 1, train: 384, test: 32 });
    await train(
      model,
      data,
      { ...DEFAULT_SETTINGS, epochs: 1, batchSize: 32, logEvery: 4, learningRate: 3e-3 },
      { now: () => performance.now(), yield: async () => {} },
      evo.callbacks(),
    );
    const snaps = await evo.finish();
    expect(snaps.map((s) => s.step)).toEqual([0, 4, 8, 12]);
    const rows = summarizeSpectra(evo.layers, snaps);
    expect(rows.map((r) => r.trace.length)).toEqual([4, 4, 4]);
    // Learning moves the spectra: the distance from white noise changes.
    for (const r of rows) expect(r.trace[3].ks).not.toBe(r.trace[0].ks);
    model.dispose();
  }, 300_000);
});
