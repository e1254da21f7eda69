/**
 * The worker's research side, driven in Node on the CPU backend with the messages
 * the research panel receives in the browser.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type GraphDocument } from '../../compiler/index';
import { withParam } from '../research/compare';
import { loadRunRecords, saveRunRecords } from '../research/run-record';
import { initBackend as initNodeBackend, nodePlatform, tf } from '../platform/tf-node';
import type { TF } from '../../nodes/types';
import type { NamedArray } from '../platform/weights';
import type {
  ResearchReply,
  ResearchRequest,
  ResearchRequestBody,
  ResearchResult,
  ResearchWork,
} from './research-protocol';
import { ResearchSession } from './research-session';

function template(name: string): GraphDocument {
  const r = loadDocument(readFileSync(`templates/${name}.json`, 'utf8'));
  if (!r.doc) throw new Error(`template ${name} did not load`);
  return r.doc;
}

const settings = {
  optimizer: 'adam' as const,
  learningRate: 3e-3,
  momentum: 0.9,
  batchSize: 32,
  epochs: 1,
  seed: 3,
  logEvery: 1,
};
const common = { dataset: { kind: 'synthetic' as const, train: 192, test: 64 }, backend: 'cpu' };

let session: ResearchSession;
let messages: ResearchReply[];
let nextId = 1;

async function ask(req: ResearchRequestBody): Promise<{
  results: ResearchResult[];
  done: Extract<ResearchReply, { type: 'research-done' }>;
  progress: number;
  work: ResearchWork[];
}> {
  const id = nextId++;
  messages.length = 0;
  await session.run({ ...req, id } as ResearchRequest);
  const mine = messages.filter((m) => m.id === id);
  const done = mine.filter((m) => m.type === 'research-done');
  expect(done).toHaveLength(1);
  return {
    results: mine.flatMap((m) => (m.type === 'research-result' ? [m.result] : [])),
    done: done[0] as Extract<ResearchReply, { type: 'research-done' }>,
    progress: mine.filter((m) => m.type === 'research-progress').length,
    work: mine.flatMap((m) => (m.type === 'research-progress' && m.work ? [m.work] : [])),
  };
}

beforeAll(() => {
  messages = [];
  session = new ResearchSession({
    tf: tf as unknown as TF,
    platform: nodePlatform,
    post: (m) => messages.push(m),
    initBackend: async (b) => ((await initNodeBackend(b)).ok ? tf.getBackend() : undefined),
  });
});

describe('research requests in the worker', () => {
  const mlp = withParam(template('mlp'), 'dense1', 'units', 24);
  const narrow = withParam(mlp, 'dense1', 'units', 8);

  it('trains an A/B pair with the same settings, keeps records that re-open, and keeps the weights', async () => {
    const r = await ask({
      type: 'research-ab',
      ...common,
      graphs: [
        { doc: mlp, label: 'A', runId: 'a' },
        { doc: narrow, label: 'B', runId: 'b' },
      ],
      settings,
      snapshotEvery: 2,
    });
    expect(r.done.ok).toBe(true);
    const runs = r.results.filter((x) => x.kind === 'run');
    expect(runs.map((x) => x.runId)).toEqual(['a', 'b']);
    const [a, b] = runs.map((x) => x.record);
    expect(a.settings).toEqual(b.settings);
    expect(a.metrics.params.trainable).toBe(784 * 24 + 24 + 24 * 10 + 10);
    expect(b.metrics.params.trainable).toBeLessThan(a.metrics.params.trainable);
    expect(a.metrics.steps.length).toBe(6);
    expect(r.progress).toBeGreaterThan(6);
    // The progress bar counts networks: it moves through A's steps, then B's, to the end
    // (each network's frozen front end, here the Flatten, has a bar of its own in images).
    const training = r.work.filter((w) => w.total === 2);
    expect(r.work.filter((w) => w.total === 256).map((w) => w.what)).toContain(
      '"B": computing the fixed front end (images)',
    );
    expect(training.length).toBeGreaterThan(2);
    for (let i = 1; i < training.length; i++) expect(training[i].done).toBeGreaterThanOrEqual(training[i - 1].done);
    expect(training.some((w) => w.done > 0 && w.done < 1 && w.what === 'Training "A" (1 of 2)')).toBe(true);
    expect(r.work.at(-1)).toEqual({ what: 'Training "B" (2 of 2)', done: 2, total: 2 });
    const back = loadRunRecords(saveRunRecords([a, b]));
    expect(back.diagnostics).toEqual([]);
    expect(back.records[1].graph.nodes.find((n) => n.id === 'dense1')!.params.units).toBe(8);
    expect([...session.runs.keys()]).toEqual(['a', 'b']);
  }, 60_000);

  it('refuses to compare graphs that read different inputs', async () => {
    const other = withParam(mlp, 'input', 'height', 32);
    const r = await ask({
      type: 'research-ab',
      ...common,
      graphs: [
        { doc: mlp, label: 'A', runId: 'x' },
        { doc: other, label: 'B', runId: 'y' },
      ],
      settings,
      snapshotEvery: 2,
    });
    expect(r.done.ok).toBe(false);
    expect(r.done.diagnostics[0].message).toMatch(/Input nodes differ/);
  });

  it('probes a kept run: R_f for the output and every layer, and example deformations', async () => {
    const r = await ask({
      type: 'research-probe',
      ...common,
      source: { kind: 'run', runId: 'a' },
      T: 0.01,
      c: 3,
      samples: 16,
      seed: 1,
    });
    expect(r.done.ok).toBe(true);
    const p = r.results[0];
    if (p.kind !== 'probe') throw new Error('expected a probe');
    expect(p.report.layers.map((l) => l.node)).toEqual(['input', 'flatten', 'dense1', 'relu1', 'dense2']);
    expect(Number.isFinite(p.report.output.R)).toBe(true);
    expect(p.report.examples.deformed.length).toBeGreaterThan(0);
    expect(p.report.temperatureRange.Tmin).toBeLessThan(p.report.temperatureRange.Tmax);
    expect(r.work.at(-1)).toMatchObject({ done: 16, total: 16 });
    expect(r.work.at(-1)!.what).toMatch(/^Probing A \(trained\)/);
  }, 60_000);

  it('says clearly when a run is not in memory', async () => {
    const r = await ask({
      type: 'research-probe',
      ...common,
      source: { kind: 'run', runId: 'gone' },
      T: 0.01,
      c: 3,
      samples: 16,
      seed: 1,
    });
    expect(r.done.ok).toBe(false);
    expect(r.done.diagnostics[0].message).toMatch(/no longer in memory/);
  });

  it('gives covariance spectra with a white-noise reference of the same length', async () => {
    const r = await ask({ type: 'research-spectra', ...common, source: { kind: 'run', runId: 'a' } });
    const s = r.results[0];
    if (s.kind !== 'spectra') throw new Error('expected spectra');
    expect(s.layers.map((l) => l.node)).toEqual(['dense1', 'dense2']);
    expect(s.layers[0].eigenvalues.length).toBe(784);
    expect(s.layers[0].whiteNoise.length).toBe(784);
    expect(s.layers[0].effectiveRank.participation).toBeLessThanOrEqual(24 + 1e-6);
  }, 60_000);

  it('reads weights loaded in the app as a model: the same spectra as the run they were saved from', async () => {
    const run = session.runs.get('a')!;
    const arrays: NamedArray[] = [];
    for (const [key, t] of run.weights) arrays.push({ key, shape: t.shape, data: (await t.data()) as Float32Array });
    const source = { kind: 'weights' as const, doc: mlp, seed: 99, arrays, label: 'weights.json' };
    const fromFile = await ask({ type: 'research-spectra', ...common, source });
    const fromRun = await ask({ type: 'research-spectra', ...common, source: { kind: 'run', runId: 'a' } });
    const [f, k] = [fromFile.results[0], fromRun.results[0]];
    if (f.kind !== 'spectra' || k.kind !== 'spectra') throw new Error('expected spectra');
    expect(f.source).toMatch(/weights\.json/);
    expect(Array.from(f.layers[0].eigenvalues.slice(0, 5))).toEqual(Array.from(k.layers[0].eigenvalues.slice(0, 5)));

    const partial = await ask({ type: 'research-spectra', ...common, source: { ...source, arrays: arrays.slice(1) } });
    expect(partial.done.ok).toBe(false);
    expect(partial.done.diagnostics[0].code).toBe('weights-mismatch');
  }, 60_000);

  it('tests whether the weights are Gaussian, layer by layer: a Gaussian initialization passes', async () => {
    const r = await ask({ type: 'research-gaussianity', ...common, source: { kind: 'init', doc: mlp, seed: 1 } });
    expect(r.done.ok).toBe(true);
    const g = r.results[0];
    if (g.kind !== 'gaussianity') throw new Error('expected gaussianity');
    expect(g.source).toBe('current graph (initialized)');
    expect(g.layers.map((l) => [l.node, l.neurons, l.inputs])).toEqual([
      ['dense1', 24, 784],
      ['dense2', 10, 24],
    ]);
    expect(g.layers[0].gaussianity.qq.normal.length).toBe(101);
    // Projections of i.i.d. initial weights on the eigenvectors are Gaussian up to the finite-N bias −6/(N+1).
    const k = g.layers[0].gaussianity;
    expect(Math.abs(k.pooledKurtosis + 6 / 25)).toBeLessThan(4 * k.kurtosisError);
    expect(k.gaussian).toBe(true);
  }, 60_000);

  it('sweeps a width and reports a sweep over a param that does not exist', async () => {
    const r = await ask({
      type: 'research-sweep',
      ...common,
      doc: mlp,
      node: 'dense1',
      param: 'units',
      values: [4, 16],
      maxSteps: 4,
      settings,
    });
    expect(r.done.ok).toBe(true);
    const s = r.results[0];
    if (s.kind !== 'sweep') throw new Error('expected a sweep');
    expect(s.report.rows.map((x) => x.value)).toEqual([4, 16]);
    const bad = await ask({
      type: 'research-sweep',
      ...common,
      doc: mlp,
      node: 'dense1',
      param: 'width',
      values: [4],
      maxSteps: 4,
      settings,
    });
    expect(bad.done.ok).toBe(false);
    expect(bad.done.diagnostics[0].fix).toMatch(/units/);
  }, 60_000);

  it('reads out every unrolled LISTA step', async () => {
    const doc = template('scattering-lista');
    const r = await ask({ type: 'research-lista', ...common, source: { kind: 'init', doc, seed: 1 }, samples: 8 });
    expect(r.done.diagnostics).toEqual([]);
    const l = r.results[0];
    if (l.kind !== 'lista') throw new Error('expected read-outs');
    const K = Number(doc.nodes.find((n) => n.type === 'LISTA')!.params.K ?? 3);
    expect(l.rows[0].steps.map((s) => s.step)).toEqual(Array.from({ length: K + 1 }, (_, k) => k));
    for (const s of l.rows[0].steps) {
      expect(s.active).toBeGreaterThanOrEqual(0);
      expect(s.active).toBeLessThanOrEqual(1);
      expect(Number.isFinite(s.reconstructionError)).toBe(true);
    }
  }, 120_000);
});
