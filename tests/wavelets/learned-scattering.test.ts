import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_SETTINGS, loadDocument, lower, train, type Dataset } from '../../compiler';
import { resolveDataset } from '../../src/data/registry';
import { makeSynthetic } from '../../src/data/synthetic';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { cifarBytes } from '../data/files';

const load = (name: string) => {
  const r = loadDocument(readFileSync(`templates/${name}.json`, 'utf8'));
  expect(r.diagnostics).toEqual([]);
  return r.doc!;
};

beforeAll(async () => {
  await initBackend('wasm');
});

/** Train a template a few steps; return each variable's values before and after, by key. */
async function trainFew(name: string, data: Dataset) {
  const doc = load(name);
  const a = analyze(doc);
  expect(a.diagnostics).toEqual([]);
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed: 2 });
  expect(diagnostics).toEqual([]);
  const before = new Map(
    model!.variables.map((v) => [v.key, Float32Array.from(v.variable.dataSync() as Float32Array)]),
  );
  const r = await train(
    model!,
    data,
    { ...DEFAULT_SETTINGS, batchSize: 8, epochs: 1, logEvery: 1, learningRate: 0.01 },
    nodePlatform,
  );
  expect(r.status).toBe('completed');
  const vars = model!.variables.map((v) => ({
    key: v.key,
    nodeId: v.nodeId,
    role: v.role,
    trainable: v.trainable,
    before: before.get(v.key)!,
    after: Float32Array.from(v.variable.dataSync() as Float32Array),
  }));
  model!.dispose();
  return { a, doc, vars, r };
}

const moved = (v: { before: Float32Array; after: Float32Array }) => v.before.some((x, i) => x !== v.after[i]);

function expectFixedWavelets(t: Awaited<ReturnType<typeof trainFew>>) {
  expect(t.doc.nodes.filter((n) => n.type === 'WaveletConv').length).toBe(3);
  const fixedStages = t.doc.nodes.filter((n) => /^(psi|low|mod|cat)\d$/.test(n.id));
  expect(fixedStages.length).toBe(12);
  for (const n of fixedStages) expect(t.a.shapes.paramCounts.get(n.id)?.trainable ?? 0).toBe(0);
  const filters = t.vars.filter((v) => v.role === 'filter-real' || v.role === 'filter-imag');
  expect(filters.length).toBe(6); // real and imaginary banks of the three wavelet layers
  for (const f of filters) {
    expect(f.trainable).toBe(false);
    expect(moved(f)).toBe(false);
  }
  // Every learned interaction moved: training did run.
  const mixes = t.vars.filter((v) => /^mix\d$/.test(v.nodeId) && v.role === 'weight');
  expect(mixes.length).toBe(3);
  for (const m of mixes) expect(moved(m)).toBe(true);
  // The canvas's counts: only the 1x1 mixes, normalizations and head are trainable.
  const trainable = [...t.a.shapes.paramCounts]
    .filter(([, c]) => c.trainable > 0)
    .map(([id]) => id)
    .sort();
  expect(trainable).toEqual(['classifier', 'mix1', 'mix2', 'mix3', 'norm1', 'norm2', 'norm3']);
  expect(t.a.shapes.total.fixed).toBeGreaterThan(0);
}

describe('learned-scattering templates', () => {
  it('learned-scattering (28x28 grey): three wavelet layers halve the map; trains with its wavelets fixed', async () => {
    const data = makeSynthetic({ seed: 4, train: 24, test: 16 });
    const t = await trainFew('learned-scattering', data);
    expect(t.a.shapes.outputs.get('cat1')!.out.shape).toEqual([14, 14, 9]);
    expect(t.a.shapes.outputs.get('cat2')!.out.shape).toEqual([7, 7, 32 * 9]);
    expect(t.a.shapes.outputs.get('cat3')!.out.shape).toEqual([4, 4, 64 * 9]);
    expect(t.a.shapes.paramCounts.get('mix2')!.trainable).toBe(32 * 9 * 64);
    expectFixedWavelets(t);
  }, 120_000);

  it('learned-scattering-cifar (32x32 colour) trains on CIFAR-10 binary files with its wavelets fixed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavegraph-cifar-'));
    try {
      const labels = (n: number, o: number) => Array.from({ length: n }, (_, i) => (i + o) % 10);
      writeFileSync(join(dir, 'data_batch_1.bin'), cifarBytes(labels(16, 0)));
      writeFileSync(join(dir, 'test_batch.bin'), cifarBytes(labels(8, 3)));
      const r = await resolveDataset('cifar10', { dataDir: dir });
      if (!r.ok) throw new Error(r.diagnostic.message);
      expect(r.dataset.shape).toEqual([32, 32, 3]);
      const t = await trainFew('learned-scattering-cifar', r.dataset);
      expect(t.a.shapes.outputs.get('cat1')!.out.shape).toEqual([16, 16, 3 * 9]);
      expect(t.a.shapes.outputs.get('cat3')!.out.shape).toEqual([4, 4, 128 * 9]);
      expectFixedWavelets(t);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('scattering-istc trains its dictionary and projection; the scattering stays fixed', async () => {
    const data = makeSynthetic({ seed: 4, train: 24, test: 16 });
    const t = await trainFew('scattering-istc', data);
    expect(t.a.shapes.paramCounts.get('scattering')!.trainable).toBe(0);
    const dict = t.vars.find((v) => v.nodeId === 'istc' && v.role === 'dictionary')!;
    expect(dict.trainable).toBe(true);
    expect(moved(dict)).toBe(true);
    expect(moved(t.vars.find((v) => v.nodeId === 'projection' && v.role === 'weight')!)).toBe(true);
  }, 120_000);

  it('scattering-lista says which parts learn: its dictionary is fixed and the description says so', () => {
    const doc = load('scattering-lista');
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([]);
    const { model } = lower(a.validation, a.shapes, { tf, seed: 1 });
    const dict = model!.variables.find((v) => v.nodeId === 'lista' && v.role === 'dictionary')!;
    model!.dispose();
    expect(dict.trainable).toBe(false);
    expect(doc.description).toMatch(/dictionary itself stays fixed/);
    expect(doc.description).not.toMatch(/learned dictionary \(LISTA/);
  });
});
