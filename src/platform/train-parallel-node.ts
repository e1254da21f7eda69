/**
 * Data-parallel training in Node: one copy of the model per worker thread (each with
 * its own TensorFlow.js WASM instance). Every global batch is split into contiguous
 * shares; each worker computes the gradient of its share's mean loss, the workers
 * average them weighted by share size (the gradient of the global batch's mean loss)
 * through shared memory (gradient-exchange.ts), and every copy applies the average
 * with its own optimizer. This thread hands out the shares and collects the losses.
 * The copies start from this thread's weights and apply the same updates, so they
 * stay equal and follow the curve of one thread with the same seed and global batch,
 * up to float rounding. (Layers that look at the whole batch, BatchNorm and Dropout,
 * see each share on its own, as in other data-parallel trainers.)
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CompiledModel } from '../../compiler/3-lower';
import type { Dataset, DataSplit } from '../../compiler/dataset';
import { diag } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import { batchLoss, TrainingFailure, type StepRunner, type StepRunnerFactory } from '../../compiler/4-train';
import type { FeatureBank } from '../../compiler/feature-bank';
import type { FromWorker, ToWorker } from './train-worker';
import { abortExchange, makeExchange } from './gradient-exchange';
import { assignArrays, variableArrays } from './weights';
import { spawnModuleWorker } from './worker-spawn';

export interface ParallelOptions {
  /**
   * Worker threads. Unset: one per core, unless the whole run would take less time
   * in this thread than starting the workers is worth (see MIN_PARALLEL_SECONDS).
   */
  workers?: number;
  /** Called with the workers once they run (tests stop one to check a failure's message). */
  onWorkers?: (workers: Worker[]) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starting a worker (loading TensorFlow.js and the compiler) costs one to a few
 * seconds of a core: runs estimated to train in less than this on one thread stay there.
 */
export const MIN_PARALLEL_SECONDS = 15;

/**
 * Seconds one thread would take for the whole run, from the time of one forward and
 * backward pass on a batch (the gradient is dropped: nothing changes).
 */
function estimateSeconds(
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  s: Parameters<StepRunnerFactory>[3],
): number {
  const { tf } = model;
  const batch = Math.max(1, Math.min(s.batchSize, data.train.count));
  const idx = Uint32Array.from({ length: batch }, (_, i) => i);
  const pass = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => batchLoss(model, features, data.classes, idx, 0).loss as never,
        model.trainableVariables,
      );
      value.dataSync();
      Object.values(grads).forEach((g) => g.dataSync());
    });
  pass(); // the first pass compiles kernels
  const t0 = performance.now();
  pass();
  const steps = Math.floor(data.train.count / batch) * s.epochs;
  return ((performance.now() - t0) / 1000) * steps;
}

/** Images in shared memory, copied once per dataset split however many runs use them. */
const sharedImages = new WeakMap<Float32Array, Float32Array>();
function shared(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  let s = sharedImages.get(a);
  if (!s) {
    s = new Float32Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    sharedImages.set(a, s);
  }
  return s;
}

/** A runner factory for `train` that trains `doc` (the graph of the model) on worker threads. */
export function parallelRunner(doc: GraphDocument, options: ParallelOptions = {}): StepRunnerFactory {
  return async (model, features, data, settings) => {
    if (
      options.workers === undefined &&
      (defaultWorkers() === 1 || estimateSeconds(model, features, data, settings) < MIN_PARALLEL_SECONDS)
    )
      return undefined;
    return startWorkers(doc, model, features, data, settings, options);
  };
}

async function startWorkers(
  doc: GraphDocument,
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  settings: Parameters<StepRunnerFactory>[3],
  options: ParallelOptions,
): Promise<StepRunner> {
  const count = Math.max(1, options.workers ?? defaultWorkers());
  const prepared = features.prepared;
  const needImages = prepared.frontier.length === 0;
  const split = (p: DataSplit): DataSplit => ({
    images: needImages ? shared(p.images) : new Float32Array(0),
    labels: p.labels,
    count: p.count,
  });
  const workerData: Dataset = { ...data, train: split(data.train), test: split(data.test) };
  const weights = variableArrays(model);
  const total = model.trainableVariables.reduce((n, v) => n + v.size, 0);
  const exchange = makeExchange(count, total);
  // State (BatchNorm's running statistics) follows each worker's own shares: before an
  // evaluation spread over the workers, every copy takes the first worker's, so the
  // figures come from one consistent model (as other data-parallel trainers broadcast
  // their first copy's buffers), the one sync() hands back.
  const stateKeys = new Set(model.variables.filter((v) => !v.trainable).map((v) => v.key));

  const workers: Worker[] = [];
  // Replies come in the order of the requests, per worker.
  const waiting: Array<Array<{ resolve: (m: FromWorker) => void; reject: (e: Error) => void }>> = [];
  let failure: TrainingFailure | undefined;
  let closing = false;
  const fail = (i: number, why: string) => {
    if (failure || closing) return;
    failure = new TrainingFailure(
      diag('worker-failed', `Training worker ${i + 1} of ${count} stopped (${why}); training was stopped.`, {
        fix: 'Run again; if it stops again, train on one thread with --workers 1, which shows the error directly.',
      }),
    );
    abortExchange(exchange);
    for (const q of waiting) for (const p of q.splice(0)) p.reject(failure);
    for (const w of workers) void w.terminate();
  };
  for (let i = 0; i < count; i++) {
    const w = await spawnModuleWorker(import.meta.url, 'train-worker');
    waiting.push([]);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'error') return fail(i, m.message);
      waiting[i].shift()?.resolve(m);
    });
    w.on('error', (e) => fail(i, e.message));
    w.on('exit', (code) => fail(i, `exit code ${code}`));
    workers.push(w);
  }
  options.onWorkers?.(workers);
  const send = (i: number, m: ToWorker, transfer: ArrayBuffer[] = []) => workers[i].postMessage(m, transfer);
  const ask = <T extends FromWorker['type']>(i: number, m: ToWorker): Promise<Extract<FromWorker, { type: T }>> => {
    if (failure) return Promise.reject(failure);
    const reply = new Promise<FromWorker>((resolve, reject) => waiting[i].push({ resolve, reject }));
    send(i, m);
    return reply as Promise<Extract<FromWorker, { type: T }>>;
  };
  const stopAll = async () => {
    closing = true;
    abortExchange(exchange);
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(
      workers.map((_, i) =>
        ask(i, {
          type: 'init',
          doc,
          backend: model.backend,
          settings,
          weights,
          data: workerData,
          prepared,
          exchange,
          index: i,
        }),
      ),
    );
  } catch (e) {
    await stopAll();
    throw e;
  }

  return {
    async step(idx, step, learningRate) {
      const n = idx.length;
      const k = Math.min(count, n);
      const bounds = Array.from({ length: count + 1 }, (_, i) => Math.floor((Math.min(i, k) * n) / k));
      const shares = Array.from({ length: count }, (_, i) => (bounds[i + 1] - bounds[i]) / n);
      // every copy takes part in every step, to apply the same average
      const replies = await Promise.all(
        workers.map((_, i) =>
          ask<'grads'>(i, {
            type: 'step',
            idx: idx.slice(bounds[i], bounds[i + 1]),
            step,
            shares,
            learningRate,
          }),
        ),
      );
      let loss = 0;
      let correct = 0;
      replies.forEach((r, i) => {
        loss += shares[i] * r.loss;
        correct += r.correct;
      });
      return { loss, correct };
    },
    async predict(splitName, batch) {
      const n = data[splitName].count;
      const k = Math.min(count, Math.max(1, Math.floor(n / batch)));
      if (k > 1 && stateKeys.size) {
        const { arrays } = await ask<'weights'>(0, { type: 'weights' });
        const state = arrays.filter((a) => stateKeys.has(a.key));
        await Promise.all(Array.from({ length: k - 1 }, (_, i) => ask(i + 1, { type: 'state', arrays: state })));
      }
      const bounds = Array.from({ length: k + 1 }, (_, i) => Math.floor((i * n) / k));
      const parts = await Promise.all(
        Array.from({ length: k }, (_, i) =>
          ask<'predicted'>(i, { type: 'predict', split: splitName, start: bounds[i], end: bounds[i + 1], batch }),
        ),
      );
      const out = new Int32Array(n);
      parts.forEach((p, i) => out.set(p.values, bounds[i]));
      return out;
    },
    async sync() {
      const { arrays } = await ask<'weights'>(0, { type: 'weights' });
      assignArrays(model, arrays);
    },
    dispose: stopAll,
  };
}
