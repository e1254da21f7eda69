/**
 * The lazy limit of a network (alpha -> infinity in compiler/lazy.ts): its training is
 * then kernel gradient descent with the empirical neural tangent kernel at
 * initialization, Theta(x, x') = sum_c grad_w f_c(x) . grad_w f_c(x') (the trace over
 * the outputs, the usual stand-in for the per-class blocks). Here the limit of the
 * square loss on one-hot targets: kernel regression F(x) = Theta(x, X) Theta(X, X)^-1 Y
 * on the first P training images, scored on the first test images. Costs one gradient
 * per image and class, and (P + T) x N numbers per class: small networks and small P.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import type { Dataset } from '../../compiler/dataset';
import type { TrainPlatform } from '../../compiler/4-train';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { Tensor } from '../../nodes/types';

/** Most (images x trainable weights) a kernel is computed for: 240 MB of gradients per class. */
export const TANGENT_KERNEL_BUDGET = 6e7;

export interface TangentKernelReport {
  train: number;
  test: number;
  params: number;
  testError: number;
  trainError: number;
}

export async function tangentKernelLimit(
  model: CompiledModel,
  data: Dataset,
  options: { train: number; test: number; platform?: TrainPlatform },
): Promise<{ ok: true; report: TangentKernelReport } | { ok: false; diagnostics: Diagnostic[] }> {
  const P = Math.min(options.train, data.train.count);
  const T = Math.min(options.test, data.test.count);
  const vars = model.trainableVariables;
  const N = vars.reduce((s, v) => s + v.size, 0);
  const n = P + T;
  if (n * N > TANGENT_KERNEL_BUDGET)
    return {
      ok: false,
      diagnostics: [
        diag(
          'bad-argument',
          `The tangent kernel of this network on ${P} + ${T} images needs ${n} x ${N.toLocaleString('en-US')} gradient values, past the ${TANGENT_KERNEL_BUDGET.toExponential(0)} this instrument holds.`,
          { fix: 'Use fewer images (--ntk-train, --ntk-test) or a narrower network.' },
        ),
      ],
    };
  if (P < 1 || T < 1)
    return { ok: false, diagnostics: [diag('bad-argument', 'The tangent kernel needs training and test images.')] };
  const [H, W, C] = data.shape;
  const size = H * W * C;
  const images = new Float32Array(n * size);
  images.set(data.train.images.subarray(0, P * size));
  images.set(data.test.images.subarray(0, T * size), P * size);
  const K = await tangentKernel(model, images, n, data.shape, data.classes, options.platform);
  const { predictions, ok } = kernelRegression(K, n, P, data.train.labels, data.classes);
  if (!ok)
    return {
      ok: false,
      diagnostics: [
        diag('bad-argument', 'The tangent kernel on these images is singular: its regression has no solution.'),
      ],
    };
  let wrongTest = 0;
  let wrongTrain = 0;
  for (let i = 0; i < P; i++) if (predictions[i] !== data.train.labels[i]) wrongTrain++;
  for (let i = 0; i < T; i++) if (predictions[P + i] !== data.test.labels[i]) wrongTest++;
  return { ok: true, report: { train: P, test: T, params: N, testError: wrongTest / T, trainError: wrongTrain / P } };
}

/**
 * The empirical tangent kernel at the model's current weights on n images (n x n,
 * row-major): the sum over the first `outputs` logits of the gradients' dot products.
 */
export async function tangentKernel(
  model: CompiledModel,
  images: Float32Array,
  n: number,
  [H, W, C]: [number, number, number],
  outputs: number,
  platform?: TrainPlatform,
): Promise<Float64Array> {
  const { tf } = model;
  const vars = model.trainableVariables;
  const N = vars.reduce((s, v) => s + v.size, 0);
  const size = H * W * C;
  const K = new Float64Array(n * n);
  for (let c = 0; c < outputs; c++) {
    const J = new Float32Array(n * N);
    for (let i = 0; i < n; i++) {
      const grads = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(i * size, (i + 1) * size), [1, H, W, C]);
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.slice(model.forward(x, { training: false }).logits as Tensor, [0, c], [1, 1])) as never,
          vars,
        );
        return tf.concat(vars.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1])));
      });
      J.set((await grads.data()) as Float32Array, i * N);
      grads.dispose();
      if (i % 16 === 0) await platform?.yield();
    }
    const gram = tf.tidy(() => {
      const j = tf.tensor2d(J, [n, N]);
      return tf.matMul(j, j, false, true);
    });
    const g = await gram.data();
    gram.dispose();
    for (let k = 0; k < n * n; k++) K[k] += g[k];
  }
  return K;
}

/**
 * Kernel regression on one-hot targets from the Gram matrix of n points (the first P
 * are the training set): the predicted class of every point.
 */
export function kernelRegression(
  K: Float64Array,
  n: number,
  P: number,
  labels: ArrayLike<number>,
  classes: number,
): { predictions: Int32Array; ok: boolean } {
  // A ridge far below the kernel's scale only keeps the factorization stable.
  let trace = 0;
  for (let i = 0; i < P; i++) trace += K[i * n + i];
  const ridge = (1e-8 * trace) / P;
  const L = new Float64Array(P * P);
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      let s = K[i * n + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= L[i * P + k] * L[j * P + k];
      if (i === j) {
        if (!(s > 0)) return { predictions: new Int32Array(n), ok: false };
        L[i * P + i] = Math.sqrt(s);
      } else L[i * P + j] = s / L[j * P + j];
    }
  }
  // A = K^-1 Y, column by column (forward then back substitution).
  const A = new Float64Array(P * classes);
  const y = new Float64Array(P);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < P; i++) {
      let s = labels[i] === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * P + k] * y[k];
      y[i] = s / L[i * P + i];
    }
    for (let i = P - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < P; k++) s -= L[k * P + i] * A[k * classes + c];
      A[i * classes + c] = s / L[i * P + i];
    }
  }
  const predictions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let j = 0; j < P; j++) s += K[i * n + j] * A[j * classes + c];
      if (s > bestValue) [best, bestValue] = [c, s];
    }
    predictions[i] = best;
  }
  return { predictions, ok: true };
}
