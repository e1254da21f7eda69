/**
 * One copy of the model on a worker thread of data-parallel training (see
 * train-parallel-node.ts): computes the gradients of its share of each batch and
 * applies the averaged gradients the main thread sends back, so every copy stays equal.
 */
import { parentPort } from 'node:worker_threads';
import { analyze, type Dataset, type GraphDocument, type TrainSettings } from '../../compiler';
import { lower } from '../../compiler/3-lower';
import { batchLoss, makeOptimizer, predict } from '../../compiler/4-train';
import { FeatureBank, type PreparedFeatures } from '../../compiler/feature-bank';
import type { Tensor } from '../../nodes/types';
import { initBackend, nodePlatform, tf } from './tf-node';
import type { NamedArray } from './weights';

export interface InitMessage {
  type: 'init';
  doc: GraphDocument;
  backend: string;
  settings: TrainSettings;
  weights: NamedArray[];
  data: Dataset;
  prepared: PreparedFeatures;
}

export type ToWorker =
  | InitMessage
  | { type: 'step'; idx: Uint32Array; step: number }
  | { type: 'apply'; grads: Float32Array; learningRate: number }
  | { type: 'predict'; split: 'test' | 'train'; start: number; end: number; batch: number }
  | { type: 'weights' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'grads'; loss: number; correct: number; grads: Float32Array }
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
  return { model, features, data: m.data, settings: m.settings, ...makeOptimizer(tf, m.settings) };
}

async function handle(m: ToWorker): Promise<FromWorker | undefined> {
  if (m.type === 'init') {
    state = await init(m);
    return { type: 'ready' };
  }
  const s = state!;
  const vars = s.model.trainableVariables;
  if (m.type === 'step') {
    const { value, grads, correct } = tf.tidy(() => {
      let c: Tensor | undefined;
      const r = tf.variableGrads(() => {
        const b = batchLoss(s.model, s.features, s.data.classes, m.idx, m.step);
        c = tf.keep(b.correct);
        return b.loss as never;
      }, vars);
      return { ...r, correct: c! };
    });
    const flat = new Float32Array(vars.reduce((n, v) => n + v.size, 0));
    let o = 0;
    for (const v of vars) {
      const g = grads[v.name];
      if (g) flat.set(g.dataSync() as Float32Array, o);
      o += v.size;
    }
    const loss = value.dataSync()[0];
    const correctValue = correct.dataSync()[0];
    tf.dispose([value, correct, ...Object.values(grads)]);
    return { type: 'grads', loss, correct: correctValue, grads: flat };
  }
  if (m.type === 'apply') {
    if (s.settings.schedule === 'cosine') s.setLearningRate(m.learningRate);
    const named: Record<string, Tensor> = {};
    let o = 0;
    for (const v of vars) {
      named[v.name] = tf.tensor(m.grads.subarray(o, o + v.size), v.shape);
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
  const arrays = s.model.variables.map((v) => ({
    key: v.key,
    shape: v.variable.shape,
    data: v.variable.dataSync() as Float32Array,
  }));
  return { type: 'weights', arrays };
}

// Messages are handled one after another, in the order they came.
let queue = Promise.resolve();
parentPort?.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    try {
      const reply = await handle(m);
      if (reply) parentPort!.postMessage(reply, reply.type === 'grads' ? [reply.grads.buffer as ArrayBuffer] : []);
    } catch (e) {
      parentPort!.postMessage({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
      } satisfies FromWorker);
    }
  });
});
