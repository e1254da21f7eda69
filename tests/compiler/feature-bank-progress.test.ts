/** The frozen front end reports how far it is, can be abandoned, and says when it came from the cache. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, FeatureBank, lower, type Dataset } from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { chainDoc, node } from '../helpers';

let data: Dataset;
beforeAll(async () => {
  await initBackend('wasm');
  data = makeSynthetic({ seed: 3, train: 2000, test: 600 });
});

function build() {
  const doc = chainDoc([
    node('input', 'Input'),
    node('pool', 'AvgPool', { size: 2 }),
    node('abs', 'Abs'),
    node('flat', 'Flatten'),
    node('fc', 'Dense', { units: 10 }),
    node('loss', 'SoftmaxCrossEntropy'),
  ]);
  const a = analyze(doc);
  return lower(a.validation, a.shapes, { tf, seed: 1 }).model!;
}

describe('feature bank progress', () => {
  it('reports growing progress up to both splits, then reuses the stored features', async () => {
    const model = build();
    const stored = new Map<string, Float32Array>();
    const cache = { get: async (k: string) => stored.get(k), set: async (k: string, v: Float32Array) => void stored.set(k, v) };
    const seen: [number, number][] = [];
    const bank = new FeatureBank(model, data, { cache, precomputeBatch: 256, onProgress: (d, t) => seen.push([d, t]) });
    await bank.prepare(nodePlatform);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every(([, t]) => t === 2600)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThanOrEqual(seen[i - 1][0]);
    expect(seen.at(-1)![0]).toBe(2600);
    expect(bank.reused).toEqual([]);

    const again: [number, number][] = [];
    const bank2 = new FeatureBank(model, data, { cache, onProgress: (d, t) => again.push([d, t]) });
    await bank2.prepare(nodePlatform);
    expect(bank2.reused).toEqual(['train', 'test']);
    expect(again.at(-1)).toEqual([2600, 2600]);
    model.dispose();
  });

  it('stops between chunks when cancelled and stores nothing partial', async () => {
    const model = build();
    const stored = new Map<string, Float32Array>();
    const cache = { get: async (k: string) => stored.get(k), set: async (k: string, v: Float32Array) => void stored.set(k, v) };
    let calls = 0;
    const bank = new FeatureBank(model, data, { cache, precomputeBatch: 256, cancelled: () => ++calls > 3 });
    let last = 0;
    const withProgress = new FeatureBank(model, data, { cache, precomputeBatch: 256, cancelled: () => last > 500, onProgress: (d) => (last = d) });
    await bank.prepare(nodePlatform);
    await withProgress.prepare(nodePlatform);
    expect(stored.size).toBe(0);
    expect(last).toBeLessThan(1000);
    model.dispose();
  });
});
