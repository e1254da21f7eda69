/**
 * Stage 4: the training loop. Platform-free: the same code runs in the command-line
 * tool and in a browser Web Worker; time and yielding come through `TrainPlatform`.
 */
import type { Tensor } from '../nodes/types';
import { permutation, seededRandom } from '../nodes/math/random';
import { diag, type Diagnostic } from './diagnostics';
import type { Dataset, DataSplit } from './dataset';
import type { CompiledModel } from './3-lower';
import { FeatureBank } from './feature-bank';

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
}

export const LEARNING_RATE_SCHEDULES = ['constant', 'cosine'] as const;
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

/** The learning rate at step `step` (0-based) of `total` steps. */
export function learningRateAt(s: Pick<TrainSettings, 'learningRate' | 'schedule'>, step: number, total: number): number {
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

export interface TrainPlatform {
  now(): number;
  /** Let the event loop run (messages, UI); resolves soon. */
  yield(): Promise<void>;
}

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
  /** Awaited before the next epoch starts (it may evaluate the model, or set control.stop). */
  onEpoch?(m: EpochMetrics): void | Promise<void>;
  /** Called after the frozen front end was computed (or found cached). */
  onFrozen?(info: { nodes: string[]; seconds: number }): void;
}

export interface TrainResult {
  status: 'completed' | 'stopped' | 'diverged';
  epochs: EpochMetrics[];
  diagnostics: Diagnostic[];
  finalTestAcc: number;
}

export async function train(
  model: CompiledModel,
  data: Dataset,
  settings: TrainSettings,
  platform: TrainPlatform,
  callbacks: TrainCallbacks = {},
  control: TrainControl = {},
  bank?: FeatureBank,
): Promise<TrainResult> {
  const { tf } = model;
  const s = settings;
  const sampleSize = data.shape[0] * data.shape[1] * data.shape[2];
  const batch = Math.max(1, Math.min(s.batchSize, data.train.count));
  const stepsPerEpoch = Math.floor(data.train.count / batch);
  const optimizer = s.optimizer === 'adam' ? tf.train.adam(s.learningRate) : tf.train.momentum(s.learningRate, s.momentum);
  const totalSteps = stepsPerEpoch * s.epochs;
  const setLearningRate = (lr: number) => {
    // SGD keeps the rate as a scalar tensor; Adam reads the field at every step.
    if ('setLearningRate' in optimizer) (optimizer as { setLearningRate(v: number): void }).setLearningRate(lr);
    else (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  const features = bank ?? new FeatureBank(model, data);
  const t0 = platform.now();
  // A streaming bank lets the first epoch start on the images computed so far (drawn at
  // random from them, at the pace they are computed) while the rest of the front end is
  // computed; then the run goes on as usual. Without streaming the whole front end comes first and runs are reproducible.
  let prepared = false;
  const preparing = features.prepare(platform).then(() => {
    prepared = true;
    if (features.frozenNodes.length && !control.stop) callbacks.onFrozen?.({ nodes: features.frozenNodes, seconds: (platform.now() - t0) / 1000 });
  });
  if (features.streaming) preparing.catch(() => undefined); // surfaced by whenAvailable() and the wait before evaluation
  else await preparing;
  const rng = seededRandom(s.seed ^ 0x5bd1e995);
  const epochs: EpochMetrics[] = [];
  const result = (status: TrainResult['status'], diagnostics: Diagnostic[] = []): TrainResult => {
    optimizer.dispose();
    if (!prepared) features.abandon();
    if (!bank) features.dispose();
    return { status, epochs, diagnostics, finalTestAcc: epochs.at(-1)?.testAcc ?? NaN };
  };
  let globalStep = 0;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const order = permutation(data.train.count, rng);
    const start = platform.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    let windowStart = start;
    let windowSeen = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      while (control.paused && !control.stop) await platform.yield();
      if (control.stop) return result('stopped');
      let idx = order.subarray(step * batch, (step + 1) * batch);
      if (!prepared) {
        // Paced by the front end: step k waits for (k + 1) batches' worth of computed images,
        // so the first epoch sees about as many images as usual, not the first few again and again.
        await features.whenAvailable('train', Math.min(data.train.count, (step + 1) * batch));
        const ready = features.available.train;
        if (!prepared) idx = Uint32Array.from({ length: batch }, () => Math.min(ready - 1, Math.floor(rng.next() * ready)));
      }
      let correct: Tensor | undefined;
      const stepNo = globalStep++;
      if (s.schedule === 'cosine') setLearningRate(learningRateAt(s, stepNo, totalSteps));
      const cost = optimizer.minimize(
        () => {
          const { x, preset, labels } = features.batch('train', idx);
          const { logits } = model.forward(x, { training: true, step: stepNo, preset });
          const oneHot = tf.oneHot(labels, data.classes);
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
          return tf.losses.softmaxCrossEntropy(oneHot, logits) as never;
        },
        true,
        model.trainableVariables,
      );
      const [lossValue] = await cost!.data();
      const [correctValue] = await correct!.data();
      cost!.dispose();
      correct!.dispose();
      if (!(Math.abs(lossValue) < EXPLODED_LOSS)) {
        const what = Number.isFinite(lossValue) ? `exploded to ${lossValue.toPrecision(3)} (about ${Math.log(data.classes).toFixed(1)} means guessing)` : `became ${lossValue}`;
        return result('diverged', [
          diag('non-finite-loss', `Training stopped at epoch ${epoch}, step ${step + 1}: the loss ${what}.`, {
            fix: 'Lower the learning rate (try 10x smaller), add a normalization layer, or check the data for extreme values.',
          }),
        ]);
      }
      lossSum += lossValue * idx.length;
      correctSum += correctValue;
      seen += idx.length;
      windowSeen += idx.length;
      if ((step + 1) % s.logEvery === 0 || step + 1 === stepsPerEpoch) {
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
    if (control.stop) return result('stopped');
    const evalResult = await evaluate(model, features, data, batch, platform);
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
  return result('completed');
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
  const { tf } = model;
  const part: DataSplit = data[split];
  const confusion = Array.from({ length: data.classes }, () => new Array<number>(data.classes).fill(0));
  const predictions: number[] = [];
  let correct = 0;
  for (let start = 0; start < part.count; start += batch) {
    const n = Math.min(batch, part.count - start);
    // Keep the batch shape fixed (pad the last batch by repeating its first index).
    const idx = new Uint32Array(batch);
    for (let i = 0; i < batch; i++) idx[i] = start + (i < n ? i : 0);
    const pred = tf.tidy(() => {
      const { x, preset } = features.batch(split, idx);
      return tf.argMax(model.forward(x, { training: false, preset }).logits, 1);
    });
    const values = await pred.data();
    pred.dispose();
    for (let i = 0; i < n; i++) {
      const y = part.labels[start + i];
      const p = values[i];
      predictions.push(p);
      confusion[y][p]++;
      if (p === y) correct++;
    }
    await platform.yield();
  }
  return { accuracy: correct / Math.max(1, part.count), confusion, predictions };
}
