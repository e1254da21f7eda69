/**
 * One copy of the model on a worker thread of data-parallel training (see
 * train-parallel-node.ts): computes the gradient of its share of each batch, averages
 * it with the other workers' through shared memory (gradient-exchange.ts) and applies
 * the average, so every copy stays equal.
 */
import { parentPort } from 'node:worker_threads';
import { analyze, type Dataset, type GraphDocument, type TrainSettings } from '../../compiler';
import { lower } from '../../compiler/3-lower';
import { batchLoss, makeOptimizer, predict } from '../../compiler/4-train';
import { FeatureBank, type PreparedFeatures } from '../../compiler/feature-bank';
import type { Tensor } from '../../nodes/types';
import { GradientExchange, type ExchangeBuffers } from './gradient-exchange';
import { initBackend, nodePlatform, tf } from './tf-node';
import { assignArrays, variableArrays, type NamedArray } from './weights';

export interface InitMessage {
  type: 'init';
  doc: GraphDocument;
  backend: string;
  settings: TrainSettings;
  weights: NamedArray[];
  data: Dataset;
  prepared: PreparedFeatures;
  exchange: ExchangeBuffers;
  /** This worker's place among the run's workers. */
  index: number;
}

export type ToWorker =
  | InitMessage
  /** Samples idx (possibly none) of a batch whose shares per worker are `shares`. */
  | { type: 'step'; idx: Uint32Array; step: number; shares: number[]; learningRate: number }
  | { type: 'predict'; split: 'test' | 'train'; start: number; end: number; batch: number }
  | { type: 'weights' }
  /** Take these values of non-trainable variables (another copy's running statistics). */
  | { type: 'state'; arrays: NamedArray[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'grads'; loss: number; correct: number }
  | { type: 'predicted'; values: Int32Array }
  | { type: 'weights'; arrays: NamedArray[] }
  | { type: 'error'; message: string };

let state: Awaited<ReturnType<typeof init>> | undefined;

async function init(m: InitMessage) {
  const choice = await initBackend(m.backend);
  if (!choice.ok) throw new Error(`backend ${m.backend} did not start in the worker: ${choice.notes.join('; ')}`);
  const a = analyze(m.doc);
  const weights = new Map(m.weights.map((w) => [w.key, tf.tensor(w.data, w.shape)] as [string, Tensor]));
  const built = lower(a.validation, a.shapes, { tf, seed: m.settings.seed, weights });
  for (const t of weights.values()) t.dispose();
  if (!built.model) throw new Error(built.diagnostics.map((d) => d.message).join(' '));
  const model = built.model;
  const features = new FeatureBank(model, m.data, { prepared: m.prepared });
  await features.prepare(nodePlatform);
  const exchange = new GradientExchange(m.exchange, m.index);
  const average = new Float32Array(m.exchange.size);
  return { model, features, data: m.data, settings: m.settings, exchange, average, ...makeOptimizer(tf, m.settings) };
}

async function handle(m: ToWorker): Promise<FromWorker | undefined> {
  if (m.type === 'init') {
    state = await init(m);
    return { type: 'ready' };
  }
  const s = state!;
  const vars = s.model.trainableVariables;
  if (m.type === 'step') {
    const slot = s.exchange.slot();
    let loss = 0;
    let correctValue = 0;
    if (m.idx.length) {
      const { value, grads, correct } = tf.tidy(() => {
        let c: Tensor | undefined;
        const r = tf.variableGrads(() => {
          const b = batchLoss(s.model, s.features, s.data.classes, m.idx, m.step);
          c = tf.keep(b.correct);
          return b.loss as never;
        }, vars);
        return { ...r, correct: c! };
      });
      let o = 0;
      for (const v of vars) {
        const g = grads[v.name];
        if (g) slot.set(g.dataSync() as Float32Array, o);
        else slot.fill(0, o, o + v.size);
        o += v.size;
      }
      loss = value.dataSync()[0];
      correctValue = correct.dataSync()[0];
      tf.dispose([value, correct, ...Object.values(grads)]);
    } else slot.fill(0);
    // The main thread hands out the next batch as soon as every worker has reported,
    // while the workers average and apply this one.
    parentPort!.postMessage({ type: 'grads', loss, correct: correctValue } satisfies FromWorker);
    s.exchange.average(m.shares, s.average);
    if (s.settings.schedule === 'cosine') s.setLearningRate(m.learningRate);
    const named: Record<string, Tensor> = {};
    let o = 0;
    for (const v of vars) {
      named[v.name] = tf.tensor(s.average.subarray(o, o + v.size), v.shape);
      o += v.size;
    }
    s.optimizer.applyGradients(named as Parameters<typeof s.optimizer.applyGradients>[0]);
    tf.dispose(Object.values(named));
    return undefined;
  }
  if (m.type === 'predict') {
    const values = await predict(s.model, s.features, s.data, m.batch, nodePlatform, m.split, m.start, m.end);
    return { type: 'predicted', values };
  }
  if (m.type === 'state') {
    assignArrays(s.model, m.arrays, (v) => !v.trainable);
    return { type: 'ready' };
  }
  return { type: 'weights', arrays: variableArrays(s.model) };
}

// Messages are handled one after another, in the order they came.
let queue = Promise.resolve();
parentPort?.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    try {
      const reply = await handle(m);
      if (reply) parentPort!.postMessage(reply);
    } catch (e) {
      parentPort!.postMessage({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
      } satisfies FromWorker);
    }
  });
});
