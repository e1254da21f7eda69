/**
 * Alpha-scaled training (Geiger, Spigler, Jacot & Wyart 2020, "Disentangling feature and
 * lazy training"): the network's output becomes F_w(x) = alpha (f_w(x) - f_w0(x)), with
 * w0 the weights at initialization, and the loss is divided by alpha^2. Large alpha
 * gives lazy training (the weights move by O(1/alpha), the network stays its own
 * linearization, a kernel method with the tangent kernel at w0); small alpha gives
 * feature training (the weights must move by O(1/alpha) for F to change at all).
 *
 * The division by alpha^2 is carried by the learning rate, which is exactly the same
 * for (momentum) SGD, whose step is linear in the gradient: with it F moves at a speed
 * independent of alpha in the lazy limit, as in the paper's gradient flow. Adam divides
 * the gradient by its own scale, so a loss factor has no effect on it; its rate is
 * divided by alpha instead, which gives its weights the same O(1/alpha) steps.
 */
import { diag, type Diagnostic } from '../document/diagnostics';
import { TRAINING_LIMITS } from '../document/graph';
import type { Tensor } from '../nodes/types';
import { lower, type CompiledModel, type ForwardOptions } from './3-lower';

/** Why an alpha cannot be used, naming the setting; undefined when it can. */
export function checkAlpha(alpha: number): Diagnostic | undefined {
  if (Number.isFinite(alpha) && alpha > 0 && alpha <= TRAINING_LIMITS.maxAlpha) return undefined;
  const why =
    alpha === 0
      ? 'an alpha of 0 multiplies the output by 0, so nothing can be learned'
      : alpha < 0
        ? 'a negative alpha flips the sign of the output'
        : `it must be a positive number up to ${TRAINING_LIMITS.maxAlpha}`;
  return diag('bad-argument', `The training setting "alpha" (the lazy-training output scale) is ${alpha}: ${why}.`, {
    fix: 'Give alpha > 0: about 1 trains as usual, large values (100 and up) train lazily, small ones (0.01) in the feature regime. Remove it to train without scaling.',
  });
}

/** The learning rate that carries the 1/alpha^2 of the loss (see the file comment). */
export function scaledLearningRate(s: { optimizer: 'adam' | 'sgd'; learningRate: number }, alpha: number): number {
  return s.optimizer === 'sgd' ? s.learningRate / (alpha * alpha) : s.learningRate / alpha;
}

/**
 * A frozen copy of the model's current weights (its initialization, when called
 * before training), compiled from the same graph so its nodes and presets match.
 */
export function frozenCopy(model: CompiledModel): CompiledModel {
  const { tf } = model;
  const weights = new Map<string, Tensor>(model.variables.map((v) => [v.key, v.variable]));
  const built = lower(model.validation, model.shapes, { tf, seed: 0, weights });
  if (!built.model) throw new Error(`could not copy the initial network: ${built.diagnostics[0]?.message ?? ''}`);
  return built.model;
}

/**
 * The model whose logits are alpha (f_w - f_w0): it shares `model`'s variables (so
 * training moves them), and reads f_w0 from `initial` in inference mode. A graph with
 * dropout or batch statistics therefore starts a training step slightly off 0; the
 * papers' networks have neither.
 */
export function alphaScaled(model: CompiledModel, initial: CompiledModel, alpha: number): CompiledModel {
  const { tf } = model;
  return {
    ...model,
    forward(x: Tensor | null, options: ForwardOptions) {
      const r = model.forward(x, options);
      const r0 = initial.forward(x, { training: false, preset: options.preset });
      return { ...r, logits: tf.mul(tf.sub(r.logits, r0.logits), alpha) };
    },
  };
}

/** ||w - w0|| / ||w0|| over the trainable weights, w0 read before training by snapshotWeights. */
export async function relativeWeightChange(model: CompiledModel, w0: Map<string, Float32Array>): Promise<number> {
  let moved = 0;
  let norm = 0;
  for (const v of model.variables) {
    const before = w0.get(v.key);
    if (!v.trainable || !before) continue;
    const now = (await v.variable.data()) as Float32Array;
    for (let i = 0; i < now.length; i++) {
      moved += (now[i] - before[i]) ** 2;
      norm += before[i] ** 2;
    }
  }
  return Math.sqrt(moved) / Math.sqrt(norm);
}

/** The trainable weights' values now, by variable key (synchronous: taken before training moves them). */
export function snapshotWeights(model: CompiledModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const v of model.variables) if (v.trainable) out.set(v.key, (v.variable.dataSync() as Float32Array).slice());
  return out;
}
