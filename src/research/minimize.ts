/**
 * Training to a true minimum, as the jamming papers do: large (by default full) batches,
 * Adam with a learning rate halved whenever the loss stops falling, and a stop when
 * the loss is exactly zero (every constraint satisfied) or when the rate has decayed
 * so far that the loss has stalled. Then the margins y·f of every example are read
 * exactly, on the final weights. For a one-score loss (QuadraticHinge); platform-free.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import { batchLoss, makeOptimizer, DEFAULT_SETTINGS, type TrainControl } from '../../compiler/4-train';
import type { Dataset } from '../../compiler/dataset';
import type { FeatureBank } from '../../compiler/feature-bank';
import type { TrainPlatform } from '../../compiler/platform';
import { permutation, seededRandom } from '../../nodes/math/random';
import type { Tensor } from '../../nodes/types';

export interface MinimizeOptions {
  learningRate: number;
  /** Samples per step; the whole training set when absent or larger. */
  batchSize?: number;
  /** Most optimizer steps. */
  maxSteps: number;
  /**
   * The rate is halved when the mean loss over `patience` epochs has not fallen by the
   * fraction `tolerance` from the mean over the `patience` epochs before (window means,
   * not the best value seen: Adam's loss on a full batch oscillates at a high rate).
   */
  patience?: number;
  tolerance?: number;
  /** Stop as stalled once the rate is below learningRate times this (default 1e-4). */
  minRateFactor?: number;
  /**
   * A constraint counts as unsatisfied when its shortfall 1 − y·f exceeds this (default
   * 1e-4): in float32 a network that can fit every example approaches margin 1 from
   * below as its rate decays, and round-off would keep such examples counted forever.
   */
  slack?: number;
  seed?: number;
}

/** fitted: every shortfall within the slack (the loss is then at most ½ slack²). */
export type MinimumStatus = 'fitted' | 'stalled' | 'budget' | 'stopped' | 'diverged';

export interface Minimum {
  status: MinimumStatus;
  /** Loss on the whole training set with the final weights. */
  loss: number;
  /** Training examples with margin y·f below 1 (by more than the slack). */
  unsatisfied: number;
  steps: number;
  /** The learning rate at the end (how far it decayed). */
  finalRate: number;
}

/** The score f of every example of a split, in fixed-size batches (the last padded). */
export async function scores(
  model: CompiledModel,
  bank: FeatureBank,
  split: 'train' | 'test',
  count: number,
  batch: number,
): Promise<Float32Array> {
  const { tf } = model;
  const out = new Float32Array(count);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const idx = new Uint32Array(batch).map((_, i) => start + (i < n ? i : 0));
    const t = tf.tidy(() => {
      const { x, preset } = bank.batch(split, idx);
      return tf.reshape(model.forward(x, { training: false, preset }).logits, [-1]);
    });
    const v = (await t.data()) as Float32Array;
    t.dispose();
    out.set(v.subarray(0, n), start);
  }
  return out;
}

/** y = ±1 from 0/1 labels; margins y·f; the quadratic hinge loss and the count of shortfalls past `slack`. */
export function hingeSummary(
  f: ArrayLike<number>,
  labels: ArrayLike<number>,
  slack = 0,
): { loss: number; unsatisfied: number } {
  let loss = 0;
  let unsatisfied = 0;
  for (let i = 0; i < f.length; i++) {
    const gap = 1 - (labels[i] ? 1 : -1) * f[i];
    if (gap > 0) loss += 0.5 * gap * gap;
    if (gap > slack) unsatisfied++;
  }
  return { loss: loss / Math.max(1, f.length), unsatisfied };
}

/** Fraction of examples whose sign of f disagrees with the 0/1 label. */
export function signError(f: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wrong = 0;
  for (let i = 0; i < f.length; i++) if (f[i] > 0 !== labels[i] > 0) wrong++;
  return wrong / Math.max(1, f.length);
}

/** Minimize the model's loss on the bank's training set (bank prepared by the caller). */
export async function minimize(
  model: CompiledModel,
  bank: FeatureBank,
  data: Dataset,
  o: MinimizeOptions,
  platform: TrainPlatform,
  control: TrainControl = {},
): Promise<Minimum> {
  const { tf } = model;
  const P = data.train.count;
  const batch = Math.max(1, Math.min(o.batchSize ?? P, P));
  const perEpoch = Math.floor(P / batch);
  const patience = o.patience ?? 50;
  const tolerance = o.tolerance ?? 1e-3;
  const floor = o.learningRate * (o.minRateFactor ?? 1e-4);
  const slack = o.slack ?? 1e-4;
  const { optimizer, setLearningRate } = makeOptimizer(tf, {
    ...DEFAULT_SETTINGS,
    optimizer: 'adam',
    learningRate: o.learningRate,
  });
  const rng = seededRandom((o.seed ?? 1) ^ 0x2545f491);
  let rate = o.learningRate;
  let previous = Infinity;
  let windowSum = 0;
  let windowCount = 0;
  let steps = 0;
  let status: MinimumStatus = 'budget';
  const exact = async () => {
    const f = await scores(model, bank, 'train', P, batch);
    return hingeSummary(f, data.train.labels, slack);
  };
  try {
    while (steps < o.maxSteps) {
      if (control.stop) {
        status = 'stopped';
        break;
      }
      const order = batch === P ? undefined : permutation(P, rng);
      let sum = 0;
      for (let s = 0; s < perEpoch && steps < o.maxSteps; s++) {
        const idx = order ? order.subarray(s * batch, (s + 1) * batch) : Uint32Array.from({ length: P }, (_, i) => i);
        const stepNo = steps++;
        const cost = optimizer.minimize(
          () => batchLoss(model, bank, data.classes, idx, stepNo).loss as never,
          true,
          model.trainableVariables,
        ) as Tensor;
        const [value] = await cost.data();
        cost.dispose();
        sum += value;
      }
      const epochLoss = sum / perEpoch;
      if (!Number.isFinite(epochLoss)) {
        status = 'diverged';
        break;
      }
      // A loss this small may mean every shortfall is within the slack; batches mix weights
      // (and Adam moves on with its momentum), so confirm on all examples.
      if (epochLoss <= 0.5 * slack * slack && (await exact()).unsatisfied === 0) {
        status = 'fitted';
        break;
      }
      windowSum += epochLoss;
      if (++windowCount === patience) {
        const mean = windowSum / patience;
        if (mean > previous * (1 - tolerance)) {
          rate /= 2;
          if (rate < floor) {
            status = 'stalled';
            break;
          }
          setLearningRate(rate);
        }
        previous = mean;
        windowSum = 0;
        windowCount = 0;
      }
      await platform.yield();
    }
  } finally {
    optimizer.dispose();
  }
  const end = await exact();
  if (status === 'budget' && end.unsatisfied === 0) status = 'fitted';
  return { status, loss: end.loss, unsatisfied: end.unsatisfied, steps, finalRate: rate };
}
