/** The frozen front end reports how far it is, can be abandoned, and says when it came from the cache. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_SETTINGS, FeatureBank, lower, train, type Dataset } from '../../compiler';
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

/** A framework-free front end (a scattering, which streams) and a small head. */
function buildScattering() {
  const doc = chainDoc([
    node('input', 'Input'),
    node('scat', 'Scattering2D', { J: 2, L: 4, maxOrder: 1 }),
    node('bn', 'BatchNorm'),
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
    const cache = {
      get: async (k: string) => stored.get(k),
      set: async (k: string, v: Float32Array) => void stored.set(k, v),
    };
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
    const cache = {
      get: async (k: string) => stored.get(k),
      set: async (k: string, v: Float32Array) => void stored.set(k, v),
    };
    let calls = 0;
    const bank = new FeatureBank(model, data, { cache, precomputeBatch: 256, cancelled: () => ++calls > 3 });
    let last = 0;
    const withProgress = new FeatureBank(model, data, {
      cache,
      precomputeBatch: 256,
      cancelled: () => last > 500,
      onProgress: (d) => (last = d),
    });
    await bank.prepare(nodePlatform);
    await withProgress.prepare(nodePlatform);
    expect(stored.size).toBe(0);
    expect(last).toBeLessThan(1000);
    model.dispose();
  });

  it('streams: training starts on the first computed images, and the run still learns', async () => {
    // A framework-free front end (a scattering) streams; the tfjs-only one above does not.
    const model = buildScattering();
    expect(new FeatureBank(build(), data, { stream: true }).streaming).toBe(false);
    const events: string[] = [];
    const bank = new FeatureBank(model, data, {
      stream: true,
      precomputeBatch: 64,
      onProgress: (d) => events.push(`progress ${d}`),
    });
    const settings = { ...DEFAULT_SETTINGS, batchSize: 32, epochs: 2, logEvery: 1, learningRate: 0.01 };
    const r = await train(
      model,
      data,
      settings,
      nodePlatform,
      { onStep: (m) => events.push(`step ${m.epoch}`), onFrozen: () => events.push('frozen') },
      {},
      bank,
    );
    const firstStep = events.indexOf('step 1');
    expect(firstStep).toBeGreaterThan(0);
    expect(firstStep).toBeLessThan(events.indexOf('frozen'));
    // The first step waited for no more than one chunk of the front end (512 images).
    const before = events
      .slice(0, firstStep)
      .filter((e) => e.startsWith('progress'))
      .map((e) => Number(e.split(' ')[1]));
    expect(Math.max(...before)).toBeLessThanOrEqual(512);
    expect(r.status).toBe('completed');
    expect(r.finalTestAcc).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('streams a stored front end: training starts on the first images read back, before the whole entry is read', async () => {
    const model = buildScattering();
    const stored = new Map<string, Float32Array>();
    const plain = {
      get: async (k: string) => stored.get(k),
      set: async (k: string, v: Float32Array) => void stored.set(k, v),
    };
    await new FeatureBank(model, data, { cache: plain }).prepare(nodePlatform);
    expect(stored.size).toBe(2);

    // A store that reads an entry in pieces of 100 images, one piece per turn of the event loop.
    const events: string[] = [];
    let damaged = false;
    const streaming = {
      ...plain,
      async readInto(k: string, begin: (n: number) => Float32Array | undefined, filled: (v: number) => void) {
        const v = stored.get(k);
        const out = v && begin(v.length);
        if (!v || !out) return false;
        const piece = (v.length / (k.includes('|train|') ? 2000 : 600)) * 100;
        for (let at = 0; at < v.length; at += piece) {
          if (damaged && at > 0) {
            stored.delete(k); // as the browser's store forgets a damaged entry
            return false;
          }
          out.set(v.subarray(at, at + piece), at);
          filled(Math.min(v.length, at + piece));
          if (k.includes('|train|')) events.push(`read ${Math.min(v.length, at + piece)}`);
          await new Promise((r) => setTimeout(r, 0));
        }
        return true;
      },
    };
    const bank = new FeatureBank(model, data, { cache: streaming, stream: true });
    const settings = { ...DEFAULT_SETTINGS, batchSize: 32, epochs: 1, logEvery: 1, learningRate: 0.01 };
    const r = await train(model, data, settings, nodePlatform, { onStep: () => events.push('step') }, {}, bank);
    expect(bank.reused).toEqual(['train', 'test']);
    const firstStep = events.indexOf('step');
    expect(firstStep).toBeGreaterThan(0);
    expect(firstStep).toBeLessThan(
      events.lastIndexOf(`read ${stored.get([...stored.keys()].find((k) => k.includes('|train|'))!)!.length}`),
    );
    expect(r.status).toBe('completed');
    expect(r.finalTestAcc).toBeGreaterThan(0.5);

    // A damaged entry is computed again, and the run is the same as with a whole read.
    damaged = true;
    const again = new FeatureBank(model, data, { cache: streaming, stream: true });
    await again.prepare(nodePlatform);
    expect(again.reused).toEqual([]);
    expect(again.available).toEqual({ train: 2000, test: 600 });
    model.dispose();
  });

  it('computes the frozen front end alone, not the trainable nodes after it', async () => {
    const model = build();
    const bank = new FeatureBank(model, data);
    const info = await tf.profile(() => bank.prepare(nodePlatform));
    const kernels = new Set(info.kernelNames);
    expect(kernels.has('AvgPool')).toBe(true);
    expect(kernels.has('Abs')).toBe(true);
    // the Dense head (a matrix product) runs in training steps, never here
    expect([...kernels].filter((k) => /MatMul/.test(k))).toEqual([]);
    // the frontier is the last frozen node, the Flatten; its stored values are the graph's
    const idx = new Uint32Array([0, 1]);
    const fromBank = bank.batch('train', idx);
    const direct = model.outputs(
      tf.tensor4d(data.train.images.slice(0, 2 * 28 * 28), [2, 28, 28, 1]),
      new Set(['flat']),
      {
        training: false,
      },
    );
    expect(Array.from(await fromBank.preset!.get('flat')!.out.data())).toEqual(
      Array.from(await direct.get('flat')!.out.data()),
    );
    bank.dispose();
    model.dispose();
  });
});
