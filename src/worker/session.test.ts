/**
 * The worker's training run, driven in Node on the CPU backend: the same messages
 * the panel receives in the browser.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type GraphDocument } from '../../compiler/index';
import { initBackend as initNodeBackend, nodePlatform, tf } from '../platform/tf-node';
import type { TF } from '../../nodes/types';
import type { FromWorker, StartRequest } from './protocol';
import type { NamedArray } from '../platform/weights';
import { loadDataset, Session } from './session';

function template(name: string): GraphDocument {
  const r = loadDocument(readFileSync(`templates/${name}.json`, 'utf8'));
  if (!r.doc) throw new Error(`template ${name} did not load`);
  return r.doc;
}

function start(doc: GraphDocument, over: Partial<StartRequest['settings']> = {}): StartRequest {
  return {
    type: 'start',
    doc,
    dataset: { kind: 'synthetic', train: 256, test: 64 },
    settings: {
      optimizer: 'adam',
      learningRate: 3e-3,
      momentum: 0.9,
      batchSize: 32,
      epochs: 2,
      seed: 1,
      logEvery: 1,
      ...over,
    },
    backend: 'cpu',
    snapshotEvery: 4,
  };
}

async function runSession(req: StartRequest) {
  const messages: FromWorker[] = [];
  const session = new Session({
    tf: tf as unknown as TF,
    platform: nodePlatform,
    post: (m) => messages.push(m),
    initBackend: async (b) => ((await initNodeBackend(b)).ok ? tf.getBackend() : undefined),
  });
  await session.run(req);
  return { messages, session };
}

const of = <T extends FromWorker['type']>(ms: FromWorker[], t: T) =>
  ms.filter((m): m is Extract<FromWorker, { type: T }> => m.type === t);

describe('training session', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('trains the MLP template: loss falls, epochs report a confusion matrix and predictions', async () => {
    const doc = template('mlp');
    const dense1 = doc.nodes.find((n) => n.id === 'dense1')!;
    dense1.params.units = 32;
    const { messages, session } = await runSession(start(doc));
    const steps = of(messages, 'step');
    expect(steps.length).toBe(16);
    expect(steps.at(-1)!.metrics.loss).toBeLessThan(steps[0].metrics.loss);
    const epochs = of(messages, 'epoch');
    expect(epochs).toHaveLength(2);
    const confusion = epochs[1].metrics.confusion;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(64);
    const ds = of(messages, 'dataset')[0];
    expect(ds.samples).toHaveLength(32);
    expect(ds.samples[0].pixels).toHaveLength(28 * 28);
    expect(epochs[1].metrics.samplePredictions).toHaveLength(32);
    expect(of(messages, 'done')[0].status).toBe('completed');

    await session.featureMaps('relu1', 3);
    const fm = of(messages, 'feature-maps')[0].reply;
    expect([fm.height, fm.width, fm.channels]).toEqual([1, 1, 32]);
    expect(Math.min(...fm.values)).toBeGreaterThanOrEqual(0);
    session.dispose();
  });

  it('posts Conv2D filter snapshots that change during training', async () => {
    const doc = template('cnn');
    for (const n of doc.nodes) {
      if (n.id === 'conv1') n.params.channels = 4;
      if (n.id === 'conv2') n.params.channels = 4;
      if (n.id === 'dense1') n.params.units = 8;
    }
    const { messages, session } = await runSession(start(doc, { epochs: 1, learningRate: 1e-2 }));
    const snaps = of(messages, 'filters');
    expect(snaps.length).toBeGreaterThanOrEqual(2);
    const first = snaps[0].snapshots.find((s) => s.nodeId === 'conv1')!;
    const last = snaps.at(-1)!.snapshots.find((s) => s.nodeId === 'conv1')!;
    expect([first.height, first.width, first.count]).toEqual([5, 5, 4]);
    expect(first.fourier).toHaveLength(4 * 16 * 16);
    expect(first.initialReal).toHaveLength(4 * 25);
    expect(last.step).toBeGreaterThan(first.step);
    expect(Array.from(last.real)).not.toEqual(Array.from(first.real));
    session.dispose();
  });

  it('pauses between steps, resumes, and stops when asked', async () => {
    const doc = template('mlp');
    doc.nodes.find((n) => n.id === 'dense1')!.params.units = 16;
    const messages: FromWorker[] = [];
    let stepsWhilePaused = -1;
    const session: Session = new Session({
      tf: tf as unknown as TF,
      platform: nodePlatform,
      post: (m) => {
        messages.push(m);
        if (m.type === 'step' && m.globalStep === 2) {
          session.control.paused = true;
          setTimeout(() => {
            stepsWhilePaused = of(messages, 'step').length - 2;
            session.control.paused = false;
          }, 300);
        }
        if (m.type === 'step' && m.globalStep === 5) session.control.stop = true;
      },
      initBackend: async () => tf.getBackend(),
    });
    await session.run(start(doc));
    expect(stepsWhilePaused).toBe(0);
    expect(of(messages, 'step').length).toBe(5);
    expect(of(messages, 'done')[0].status).toBe('stopped');
    session.dispose();
  });

  it('reports a NaN loss as a diagnostic, not an exception', async () => {
    const { messages, session } = await runSession(start(template('mlp'), { optimizer: 'sgd', learningRate: 1e6 }));
    const diags = of(messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(diags.map((d) => d.code)).toContain('non-finite-loss');
    expect(of(messages, 'done')[0].status).toBe('diverged');
    session.dispose();
  });

  it('refuses a dataset that does not fit the graph, naming the Input node', async () => {
    const doc = template('mlp');
    doc.nodes.find((n) => n.id === 'input')!.params.height = 32;
    const { messages } = await runSession(start(doc));
    const diags = of(messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(diags[0]).toMatchObject({ code: 'dataset-mismatch', nodeId: 'input' });
    expect(of(messages, 'done')[0].status).toBe('failed');
  });

  it('reports a graph that fails to compile with its diagnostics', async () => {
    const doc = template('mlp');
    doc.edges = doc.edges.filter((e) => e.target !== 'dense2');
    const { messages } = await runSession(start(doc));
    const diags = of(messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(diags.some((d) => d.nodeId === 'dense2')).toBe(true);
    expect(of(messages, 'done')[0].status).toBe('failed');
  });

  it('refuses a graph over the memory budget at the batch size asked for, before loading data', async () => {
    const doc = template('mlp');
    doc.nodes.find((n) => n.type === 'Input')!.params = { height: 1024, width: 1024, channels: 4 };
    doc.nodes.find((n) => n.id === 'dense1')!.params.units = 10;
    // At batch 8 it fits (and the synthetic set's 28x28 images are what stops it); at 1024 it does not.
    const small = await runSession(start(doc, { batchSize: 8 }));
    expect(
      of(small.messages, 'diagnostics')
        .flatMap((m) => m.diagnostics)
        .map((d) => d.code),
    ).not.toContain('memory-budget');
    const { messages } = await runSession(start(doc, { batchSize: 1024 }));
    const diags = of(messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(diags.map((d) => d.code)).toEqual(['memory-budget']);
    expect(diags[0].message).toMatch(/batch size 1024/);
    expect(of(messages, 'status').map((m) => m.phase)).not.toContain('loading-data');
    expect(of(messages, 'done')[0].status).toBe('failed');
  });

  it('evaluates loaded weights without training, and trains on from them', async () => {
    const doc = template('mlp');
    doc.nodes.find((n) => n.id === 'dense1')!.params.units = 32;
    const trained = await runSession(start(doc));
    const finalAcc = of(trained.messages, 'done')[0].finalTestAcc;
    const arrays: NamedArray[] = [];
    for (const v of trained.session.model!.variables)
      arrays.push({ key: v.key, shape: v.variable.shape, data: (await v.variable.data()) as Float32Array });
    trained.session.dispose();

    const evaluated = await runSession({ ...start(doc), weights: arrays, evaluateOnly: true });
    expect(of(evaluated.messages, 'step')).toHaveLength(0);
    const [epoch] = of(evaluated.messages, 'epoch');
    expect(epoch.metrics.epoch).toBe(0);
    // Same weights, same test set: the trained run's final accuracy, not a fresh initialization's.
    expect(epoch.metrics.testAcc).toBeCloseTo(finalAcc, 6);
    expect(epoch.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(64);
    const fresh = await runSession({ ...start(doc), evaluateOnly: true });
    expect(of(fresh.messages, 'done')[0].finalTestAcc).not.toBeCloseTo(finalAcc, 6);
    // The evaluated model stays for the inspector: feature maps come from the loaded weights.
    await evaluated.session.featureMaps('relu1', 0);
    expect(of(evaluated.messages, 'feature-maps')).toHaveLength(1);
    evaluated.session.dispose();
    fresh.session.dispose();

    // Training from them starts where the first run ended: its first loss is already low.
    const resumed = await runSession({ ...start(doc, { epochs: 1 }), weights: arrays });
    const firstLoss = of(resumed.messages, 'step')[0].metrics.loss;
    expect(firstLoss).toBeLessThan(of(trained.messages, 'step')[0].metrics.loss - 0.2);
    resumed.session.dispose();
  });

  it('refuses loaded weights that no longer cover the graph, naming the node', async () => {
    const doc = template('mlp');
    doc.nodes.find((n) => n.id === 'dense1')!.params.units = 32;
    const first = await runSession({ ...start(doc), evaluateOnly: true });
    const arrays: NamedArray[] = [];
    for (const v of first.session.model!.variables)
      if (v.nodeId !== 'dense2')
        arrays.push({ key: v.key, shape: v.variable.shape, data: (await v.variable.data()) as Float32Array });
    first.session.dispose();
    const { messages } = await runSession({ ...start(doc), weights: arrays, evaluateOnly: true });
    expect(of(messages, 'done')[0].status).toBe('failed');
    const d = of(messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(d.some((x) => x.code === 'weights-mismatch' && x.nodeId === 'dense2')).toBe(true);

    doc.nodes.find((n) => n.id === 'dense1')!.params.units = 16;
    const reshaped = await runSession({ ...start(doc), weights: arrays, evaluateOnly: true });
    const d2 = of(reshaped.messages, 'diagnostics').flatMap((m) => m.diagnostics);
    expect(d2.some((x) => x.code === 'weights-mismatch' && /dense1\/.*shape/.test(x.message))).toBe(true);
  });
});

describe('uploaded datasets', () => {
  const idx = (magic: number, dims: number[], fill: (i: number) => number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const b = new Uint8Array(4 + 4 * dims.length + n);
    const v = new DataView(b.buffer);
    v.setUint32(0, magic);
    dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
    for (let i = 0; i < n; i++) b[4 + 4 * dims.length + i] = fill(i);
    return b.buffer;
  };

  it('reads four IDX files even when their names say nothing', async () => {
    const files = [
      { name: 'a', bytes: idx(0x803, [20, 4, 4], (i) => i % 256) },
      { name: 'b', bytes: idx(0x801, [20], (i) => i % 3) },
      { name: 'c', bytes: idx(0x803, [10, 4, 4], () => 255) },
      { name: 'd', bytes: idx(0x801, [10], () => 1) },
    ];
    const r = await loadDataset({ kind: 'upload', files });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.dataset.shape).toEqual([4, 4, 1]);
      expect([r.dataset.train.count, r.dataset.test.count, r.dataset.classes]).toEqual([20, 10, 3]);
    }
  });

  it('says clearly when the files are not a dataset', async () => {
    const text = new TextEncoder().encode('hello, this is a picture of a cat').buffer as ArrayBuffer;
    const r = await loadDataset({ kind: 'upload', files: [{ name: 'cat.jpg', bytes: text }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic.code).toBe('bad-dataset');
      expect(r.diagnostic.message).toContain('cat.jpg');
    }
  });

  it('reports a truncated IDX file by name', async () => {
    const files = [
      { name: 'train-images-idx3-ubyte', bytes: idx(0x803, [20, 4, 4], () => 0).slice(0, 100) },
      { name: 'train-labels-idx1-ubyte', bytes: idx(0x801, [20], () => 0) },
      { name: 't10k-images-idx3-ubyte', bytes: idx(0x803, [10, 4, 4], () => 0) },
      { name: 't10k-labels-idx1-ubyte', bytes: idx(0x801, [10], () => 0) },
    ];
    const r = await loadDataset({ kind: 'upload', files });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic.message).toMatch(/train-images-idx3-ubyte.*truncated/);
  });
});
