import { beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import {
  analyze,
  DEFAULT_SETTINGS,
  evaluate,
  FeatureBank,
  lower,
  train,
  type Dataset,
  type GraphDocument,
  type TrainSettings,
} from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { parallelRunner } from '../../src/platform/train-parallel-node';
import { chainDoc, node } from '../helpers';

let data: Dataset;
beforeAll(async () => {
  await initBackend('wasm');
  data = makeSynthetic({ seed: 4, train: 640, test: 300 });
});

const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({
  ...DEFAULT_SETTINGS,
  batchSize: 64,
  epochs: 2,
  logEvery: 1,
  seed: 9,
  ...over,
});

/** A small CNN, with `before` (more nodes) between its Dense head and the loss. */
const convDoc = (before: ReturnType<typeof node>[] = []): GraphDocument =>
  chainDoc([
    node('input', 'Input', { height: 28, width: 28, channels: 1 }),
    node('conv', 'Conv2D', { channels: 4, kernel: 3 }),
    node('relu', 'ReLU'),
    node('pool', 'MaxPool'),
    node('flat', 'Flatten'),
    node('fc', 'Dense', { units: 10 }),
    ...before,
    node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
  ]);

// A wired scattering in front: the workers read the frozen outputs the main thread computed.
const scatterDoc = (): GraphDocument =>
  chainDoc([
    node('input', 'Input', { height: 28, width: 28, channels: 1 }),
    node('scat', 'Scattering2D', { J: 2, L: 4, maxOrder: 1 }),
    node('flat', 'Flatten'),
    node('fc', 'Dense', { units: 10 }),
    node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
  ]);

async function run(doc: GraphDocument, s: TrainSettings, workers: number, onWorkers?: (w: Worker[]) => void) {
  const a = analyze(doc);
  expect(a.diagnostics).toEqual([]);
  const model = lower(a.validation, a.shapes, { tf, seed: s.seed }).model!;
  const bank = new FeatureBank(model, data, { shared: workers > 1 });
  const losses: number[] = [];
  const result = await train(
    model,
    data,
    s,
    nodePlatform,
    {
      onStep: (m) => {
        losses.push(m.loss);
      },
    },
    {},
    bank,
    workers > 1 ? parallelRunner(doc, { workers, onWorkers }) : undefined,
  );
  const weights = model.variables.map((v) => Array.from(v.variable.dataSync()));
  model.dispose();
  return { result, losses, weights };
}

function expectClose(a: number[], b: number[], tol: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

describe('data-parallel training on worker threads', () => {
  it('follows the one-thread curve for the same seed and global batch', async () => {
    // SGD: Adam's steps hardly change when every gradient is scaled, so they would hide a wrong average.
    const s = settings({ schedule: 'cosine', optimizer: 'sgd', learningRate: 0.05 });
    const one = await run(convDoc(), s, 1);
    const two = await run(convDoc(), s, 2);
    expect(two.result.status).toBe('completed');
    expect(one.losses.length).toBe(20);
    expectClose(two.losses, one.losses, 1e-4);
    expectClose(
      two.result.epochs.map((e) => e.trainAcc),
      one.result.epochs.map((e) => e.trainAcc),
      1e-9,
    );
    // the caller's model ends with the trained weights
    for (let v = 0; v < one.weights.length; v++) expectClose(two.weights[v], one.weights[v], 1e-3);
    expect(Math.abs(two.result.finalTestAcc - one.result.finalTestAcc)).toBeLessThanOrEqual(2 / data.test.count);
    expect(two.result.epochs[1].confusion.flat().reduce((x, y) => x + y, 0)).toBe(data.test.count);
  }, 120_000);

  it('shares a frozen front end with the workers and still follows the curve', async () => {
    const s = settings({ epochs: 1, optimizer: 'sgd', learningRate: 0.05 });
    const one = await run(scatterDoc(), s, 1);
    const two = await run(scatterDoc(), s, 3);
    expect(two.result.status).toBe('completed');
    expectClose(two.losses, one.losses, 1e-4);
  }, 120_000);

  it('evaluates a BatchNorm model on every worker with the model it hands back', async () => {
    // Each copy's running statistics follow its own shares; before an evaluation spread
    // over the workers, every copy takes the first one's, which sync() returns.
    // momentum 0: the running statistics are the last share's, far apart between copies
    const doc = convDoc([node('bn', 'BatchNorm', { momentum: 0 })]);
    const s = settings({ epochs: 1, batchSize: 32 });
    const a = analyze(doc);
    const model = lower(a.validation, a.shapes, { tf, seed: s.seed }).model!;
    const bank = new FeatureBank(model, data, { shared: true });
    const result = await train(model, data, s, nodePlatform, {}, {}, bank, parallelRunner(doc, { workers: 2 }));
    expect(result.status).toBe('completed');
    const here = await evaluate(model, bank, data, s.batchSize, nodePlatform);
    expect(result.epochs[0].confusion).toEqual(here.confusion);
    expect(result.epochs[0].samplePredictions).toEqual(here.predictions.slice(0, 32));
    model.dispose();
  }, 120_000);

  it('stops with a message, without hanging, when a worker dies', async () => {
    let workers: Worker[] = [];
    const doc = convDoc();
    const a = analyze(doc);
    const model = lower(a.validation, a.shapes, { tf, seed: 1 }).model!;
    let steps = 0;
    const result = await train(
      model,
      data,
      settings({ epochs: 3 }),
      nodePlatform,
      {
        onStep: () => {
          if (++steps === 2) void workers[1].terminate();
        },
      },
      {},
      undefined,
      parallelRunner(doc, { workers: 2, onWorkers: (w) => (workers = w) }),
    );
    model.dispose();
    expect(result.status).toBe('failed');
    expect(steps).toBeLessThan(10);
    expect(result.diagnostics[0].code).toBe('worker-failed');
    expect(result.diagnostics[0].message).toMatch(/Training worker 2 of 2 stopped .*training was stopped/);
  }, 120_000);
});
