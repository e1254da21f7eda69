/**
 * Stage 4: the training loop. Platform-free: the same code runs in the command-line
 * tool and in a browser Web Worker; time and yielding come through `TrainPlatform`.
 */
import type { Tensor } from '../nodes/types';
import { permutation, seededRandom } from '../nodes/math/random';
import { diag, type Diagnostic } from '../document/diagnostics';
import type { Dataset, DataSplit } from './dataset';
import type { CompiledModel } from './3-lower';
import { FeatureBank } from './feature-bank';
import type { TrainPlatform } from './platform';
import { alphaScaled, checkAlpha, frozenCopy, scaledLearningRate } from './lazy';

export interface TrainSettings {
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  /** SGD momentum. */
  momentum: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Report step metrics every this many steps. */
  logEvery: number;
  /**
   * Learning-rate schedule: constant, or cosine annealing from the learning rate down
   * to 0 over all steps of all epochs (the last epochs then move the weights little,
   * so the final accuracy does not depend on where the last noisy step landed).
   */
  schedule?: LearningRateSchedule;
  /** Output scale of lazy training (compiler/lazy.ts): alpha (f_w - f_w0), loss / alpha^2. */
  alpha?: number;
}

export const LEARNING_RATE_SCHEDULES = ['constant', 'cosine'] as const;
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

/** The learning rate at step `step` (0-based) of `total` steps. */
export function learningRateAt(
  s: Pick<TrainSettings, 'learningRate' | 'schedule'>,
  step: number,
  total: number,
): number {
  if (s.schedule !== 'cosine' || total <= 1) return s.learningRate;
  return s.learningRate * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
}

export const DEFAULT_SETTINGS: TrainSettings = {
  optimizer: 'adam',
  learningRate: 1e-3,
  momentum: 0.9,
  batchSize: 128,
  epochs: 1,
  seed: 1,
  logEvery: 20,
};

/**
 * A loss past this has diverged even if it is still finite: a cross-entropy of ln(N)
 * (about 2.3 for 10 classes) means guessing, and GPU backends may never produce NaN.
 */
export const EXPLODED_LOSS = 1e6;

export type { TrainPlatform } from './platform';

export interface StepMetrics {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  trainAcc: number;
  samplesPerSec: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
  samplesPerSec: number;
  seconds: number;
  backend: string;
  /** confusion[true][predicted] counts on the test set. */
  confusion: number[][];
  /** Predicted classes of the first test images (for a prediction grid). */
  samplePredictions: number[];
}

export interface TrainControl {
  stop?: boolean;
  paused?: boolean;
}

export interface TrainCallbacks {
  onStep?(m: StepMetrics): void;
  /**
   * Whether onStep reads the model's weights at this global step (1-based): a runner
   * that trains copies on other threads brings the caller's model up to date first.
   */
  weightsAt?(step: number): boolean;
  /** Awaited before the next epoch starts (it may evaluate the model, or set control.stop). */
  onEpoch?(m: EpochMetrics): void | Promise<void>;
  /** Called after the frozen front end was computed (or found cached). */
  onFrozen?(info: { nodes: string[]; seconds: number }): void;
}

export interface TrainResult {
  /** failed: the run could not go on (a worker thread died, say); diagnostics say why. */
  status: 'completed' | 'stopped' | 'diverged' | 'failed';
  epochs: EpochMetrics[];
  diagnostics: Diagnostic[];
  finalTestAcc: number;
}

/**
 * Mean cross-entropy and the number of correct predictions of one training batch.
 * Call inside tidy (or minimize); also used by the worker threads of data-parallel
 * training, so that each computes exactly what this loop does on its share.
 */
export function batchLoss(
  model: CompiledModel,
  features: FeatureBank,
  classes: number,
  idx: Uint32Array,
  step: number,
): { loss: Tensor; correct: Tensor } {
  const { tf } = model;
  const { x, preset, labels } = features.batch('train', idx);
  const { logits } = model.forward(x, { training: true, step, preset });
  const objective = lossObjective(model, classes);
  const correct = tf.sum(tf.cast(tf.equal(objective.predict(logits), labels), 'float32'));
  return { loss: objective.loss(logits, labels), correct };
}

/**
 * The loss and prediction of the model's loss node: what its declaration says, or
 * softmax cross-entropy over one score per class and the largest score.
 */
export function lossObjective(
  model: Pick<CompiledModel, 'tf' | 'validation' | 'lossNode'>,
  classes: number,
): { loss(scores: Tensor, labels: Tensor): Tensor; predict(scores: Tensor): Tensor } {
  const { tf } = model;
  const n = model.validation.nodes.get(model.lossNode);
  const o = n?.def.objective;
  if (o && n)
    return {
      loss: (s, y) => o.loss(tf, s, y, n.params as never),
      predict: (s) => o.predict(tf, s, n.params as never),
    };
  return {
    loss: (s, y) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), s),
    predict: (s) => tf.argMax(s, 1),
  };
}

/** The optimizer the settings name (the same in every copy of a model). */
export function makeOptimizer(tf: CompiledModel['tf'], s: TrainSettings) {
  const optimizer =
    s.optimizer === 'adam' ? tf.train.adam(s.learningRate) : tf.train.momentum(s.learningRate, s.momentum);
  const setLearningRate = (lr: number) => {
    // SGD keeps the rate as a scalar tensor; Adam reads the field at every step.
    if ('setLearningRate' in optimizer) (optimizer as { setLearningRate(v: number): void }).setLearningRate(lr);
    else (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  return { optimizer, setLearningRate };
}

/** The diagnostic of a loss that left the finite range at a step. */
export function divergence(lossValue: number, epoch: number, step: number, classes: number): Diagnostic {
  const what = Number.isFinite(lossValue)
    ? `exploded to ${lossValue.toPrecision(3)} (about ${Math.log(classes).toFixed(1)} means guessing)`
    : `became ${lossValue}`;
  return diag('non-finite-loss', `Training stopped at epoch ${epoch}, step ${step}: the loss ${what}.`, {
    fix: 'Lower the learning rate (try 10x smaller), add a normalization layer, or check the data for extreme values.',
  });
}

/**
 * How a training run computes its steps: one optimizer step on a global batch, and
 * the predictions of a split. The default runs in this thread; another may spread
 * each batch over worker threads (src/platform/train-parallel-node.ts).
 */
export interface StepRunner {
  /** One optimizer step on the samples `idx` at global step `step`: mean loss and correct count. */
  step(idx: Uint32Array, step: number, learningRate: number): Promise<{ loss: number; correct: number }>;
  /**
   * The next step may be started before this one's values are read: a step's work is
   * queued on the device when step() returns, and reading its loss waits for the device.
   * Then the loop reads a step's values while the next one runs, except at a step it
   * reports (onStep, weight snapshots, the epoch's end), where the model is up to date.
   */
  pipelined?: boolean;
  predict(split: 'test' | 'train', batch: number): Promise<Int32Array>;
  /** Bring the caller's model up to date (before each onEpoch and at the end). */
  sync?(): Promise<void>;
  dispose(): void | Promise<void>;
}

/** A runner for a model whose feature bank is prepared; undefined: train in this thread. */
export type StepRunnerFactory = (
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  settings: TrainSettings,
) => Promise<StepRunner | undefined>;

/** A failure that ends a run with a message (status "failed"), rather than a crash. */
export class TrainingFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function localRunner(
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  s: TrainSettings,
  platform: TrainPlatform,
): StepRunner {
  const { tf } = model;
  const { optimizer, setLearningRate } = makeOptimizer(tf, s);
  return {
    // On WebGPU and WebGL a read-back stalls the device until the CPU has queued the next
    // step: reading step k's loss while step k + 1 runs keeps the device busy.
    pipelined: true,
    async step(idx, stepNo, learningRate) {
      if (s.schedule === 'cosine') setLearningRate(learningRate);
      let correct: Tensor | undefined;
      const cost = optimizer.minimize(
        () => {
          const r = batchLoss(model, features, data.classes, idx, stepNo);
          correct = tf.keep(r.correct);
          return r.loss as never;
        },
        true,
        model.trainableVariables,
      );
      const [loss] = await cost!.data();
      const [correctValue] = await correct!.data();
      cost!.dispose();
      correct!.dispose();
      return { loss, correct: correctValue };
    },
    predict: (split, batch) => predict(model, features, data, batch, platform, split, 0, data[split].count),
    dispose: () => optimizer.dispose(),
  };
}

export async function train(
  model: CompiledModel,
  data: Dataset,
  settings: TrainSettings,
  platform: TrainPlatform,
  callbacks: TrainCallbacks = {},
  control: TrainControl = {},
  bank?: FeatureBank,
  runnerFactory?: StepRunnerFactory,
): Promise<TrainResult> {
  if (settings.alpha !== undefined) return trainAlphaScaled(model, data, settings, platform, callbacks, control, bank);
  const s = settings;
  const batch = Math.max(1, Math.min(s.batchSize, data.train.count));
  const stepsPerEpoch = Math.floor(data.train.count / batch);
  const totalSteps = stepsPerEpoch * s.epochs;
  const features = bank ?? new FeatureBank(model, data);
  const t0 = platform.now();
  // A streaming bank lets the first epoch start on the images computed so far (drawn at
  // random from them, at the pace they are computed) while the rest of the front end is
  // computed; then the run goes on as usual. Without streaming the whole front end comes first and runs are reproducible.
  let prepared = false;
  const preparing = features.prepare(platform).then(() => {
    prepared = true;
    if (features.frozenNodes.length && !control.stop)
      callbacks.onFrozen?.({ nodes: features.frozenNodes, seconds: (platform.now() - t0) / 1000 });
  });
  if (features.streaming)
    preparing.catch(() => undefined); // surfaced by whenAvailable() and the wait before evaluation
  else await preparing;
  const rng = seededRandom(s.seed ^ 0x5bd1e995);
  const epochs: EpochMetrics[] = [];
  let runner: StepRunner | undefined;
  const result = async (status: TrainResult['status'], diagnostics: Diagnostic[] = []): Promise<TrainResult> => {
    if (runner && status !== 'failed') await runner.sync?.();
    await runner?.dispose();
    if (!prepared) features.abandon();
    if (!bank) features.dispose();
    return { status, epochs, diagnostics, finalTestAcc: epochs.at(-1)?.testAcc ?? NaN };
  };
  try {
    runner = (await runnerFactory?.(model, features, data, s)) ?? localRunner(model, features, data, s, platform);
    let globalStep = 0;
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      const order = permutation(data.train.count, rng);
      const start = platform.now();
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let windowStart = start;
      let windowSeen = 0;
      // A step whose values are still being read (see StepRunner.pipelined).
      let pending: { values: Promise<{ loss: number; correct: number }>; n: number; step: number } | undefined;
      const settle = async (): Promise<TrainResult | undefined> => {
        if (!pending) return undefined;
        const p = pending;
        pending = undefined;
        const { loss: lossValue, correct: correctValue } = await p.values;
        if (!(Math.abs(lossValue) < EXPLODED_LOSS))
          return await result('diverged', [divergence(lossValue, epoch, p.step + 1, data.classes)]);
        lossSum += lossValue * p.n;
        correctSum += correctValue;
        seen += p.n;
        windowSeen += p.n;
        return undefined;
      };
      for (let step = 0; step < stepsPerEpoch; step++) {
        if (pending && (control.paused || control.stop)) {
          const ended = await settle();
          if (ended) return ended;
        }
        while (control.paused && !control.stop) await platform.yield();
        if (control.stop) return await result('stopped');
        let idx = order.subarray(step * batch, (step + 1) * batch);
        if (!prepared) {
          // Paced by the front end: step k waits for (k + 1) batches' worth of computed images,
          // so the first epoch sees about as many images as usual, not the first few again and again.
          await features.whenAvailable('train', Math.min(data.train.count, (step + 1) * batch));
          const ready = features.available.train;
          if (!prepared)
            idx = Uint32Array.from({ length: batch }, () => Math.min(ready - 1, Math.floor(rng.next() * ready)));
        }
        const stepNo = globalStep++;
        const values = runner.step(idx, stepNo, learningRateAt(s, stepNo, totalSteps));
        values.catch(() => undefined); // read (and thrown) by settle(), maybe after the next step starts
        const reported = (step + 1) % s.logEvery === 0 || step + 1 === stepsPerEpoch;
        const earlier = await settle();
        if (earlier) return earlier;
        pending = { values, n: idx.length, step };
        if (reported || !runner.pipelined) {
          const ended = await settle();
          if (ended) return ended;
        }
        if (reported) {
          if (callbacks.weightsAt?.(stepNo + 1)) await runner.sync?.();
          const now = platform.now();
          callbacks.onStep?.({
            epoch,
            step: step + 1,
            stepsPerEpoch,
            loss: lossSum / seen,
            trainAcc: correctSum / seen,
            samplesPerSec: windowSeen / Math.max(1e-9, (now - windowStart) / 1000),
          });
          windowStart = now;
          windowSeen = 0;
        }
        await platform.yield();
      }
      const seconds = (platform.now() - start) / 1000;
      await preparing;
      if (control.stop) return await result('stopped');
      const evalResult = evaluation(data.test, await runner.predict('test', batch), data.classes);
      await runner.sync?.();
      const m: EpochMetrics = {
        epoch,
        loss: lossSum / Math.max(1, seen),
        trainAcc: correctSum / Math.max(1, seen),
        testAcc: evalResult.accuracy,
        samplesPerSec: seen / Math.max(1e-9, seconds),
        seconds,
        backend: model.backend,
        confusion: evalResult.confusion,
        samplePredictions: evalResult.predictions.slice(0, 32),
      };
      epochs.push(m);
      await callbacks.onEpoch?.(m);
    }
    return await result('completed');
  } catch (e) {
    if (e instanceof TrainingFailure) return await result('failed', [e.diagnostic]);
    await runner?.dispose();
    throw e;
  }
}

export interface Evaluation {
  accuracy: number;
  confusion: number[][];
  predictions: number[];
}

/** Accuracy and confusion matrix on the test split, in fixed-size batches. */
export async function evaluate(
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  batch: number,
  platform: TrainPlatform,
  split: 'test' | 'train' = 'test',
): Promise<Evaluation> {
  const predictions = await predict(model, features, data, batch, platform, split, 0, data[split].count);
  return evaluation(data[split], predictions, data.classes);
}

/** Predicted classes of samples [start, end) of a split, in fixed-size batches. */
export async function predict(
  model: CompiledModel,
  features: FeatureBank,
  data: Dataset,
  batch: number,
  platform: TrainPlatform,
  split: 'test' | 'train',
  start: number,
  end: number,
): Promise<Int32Array> {
  const { tf } = model;
  const out = new Int32Array(Math.max(0, end - start));
  for (let first = start; first < end; first += batch) {
    const n = Math.min(batch, end - first);
    // Keep the batch shape fixed (pad the last batch by repeating its first index).
    const idx = new Uint32Array(batch);
    for (let i = 0; i < batch; i++) idx[i] = first + (i < n ? i : 0);
    const pred = tf.tidy(() => {
      const { x, preset } = features.batch(split, idx);
      return lossObjective(model, data.classes).predict(model.forward(x, { training: false, preset }).logits);
    });
    const values = await pred.data();
    pred.dispose();
    for (let i = 0; i < n; i++) out[first - start + i] = values[i];
    await platform.yield();
  }
  return out;
}

/** Accuracy and confusion matrix of predictions for a whole split. */
export function evaluation(part: DataSplit, predicted: ArrayLike<number>, classes: number): Evaluation {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const predictions: number[] = [];
  let correct = 0;
  for (let i = 0; i < part.count; i++) {
    const y = part.labels[i];
    const p = predicted[i];
    predictions.push(p);
    confusion[y][p]++;
    if (p === y) correct++;
  }
  return { accuracy: correct / Math.max(1, part.count), confusion, predictions };
}

/**
 * Train with the output scaled by alpha (settings.alpha; compiler/lazy.ts builds the
 * scaled model). Runs in this thread: the data-parallel workers compute the plain loss
 * of their own copies.
 */
async function trainAlphaScaled(
  model: CompiledModel,
  data: Dataset,
  settings: TrainSettings,
  platform: TrainPlatform,
  callbacks: TrainCallbacks,
  control: TrainControl,
  bank?: FeatureBank,
): Promise<TrainResult> {
  const alpha = settings.alpha!;
  const bad = checkAlpha(alpha);
  if (bad) return { status: 'failed', epochs: [], diagnostics: [bad], finalTestAcc: NaN };
  const initial = frozenCopy(model);
  try {
    return await train(
      alphaScaled(model, initial, alpha),
      data,
      { ...settings, alpha: undefined, learningRate: scaledLearningRate(settings, alpha) },
      platform,
      callbacks,
      control,
      bank,
    );
  } finally {
    initial.dispose();
  }
}
