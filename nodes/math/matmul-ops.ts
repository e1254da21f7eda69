/**
 * Matrix products whose gradients run at full speed on the WASM backend.
 *
 * TensorFlow.js writes the gradients of C = A B as products with a transposed operand
 * (dA = dC Bᵀ, dB = Aᵀ dC). The WASM backend runs those 2 to 3 times slower than
 * plain products of the same size (in Node, [294912, 18] times a [36, 18] matrix
 * transposed: 309 ms; times the same matrix stored transposed: 142 ms; a dense layer's
 * input gradient [41472, 64] x [128, 64]ᵀ: 338 ms, with an explicit transpose: 101 ms),
 * and a network's backward pass is mostly such products. Here the transposes are made
 * explicit, so every product is a plain one:
 * - `matMul(tf, a, b, ta, tb)`: a drop-in for tf.matMul, for products of two tensors
 *   that may both need gradients (dense weights, codes, dictionaries);
 * - `matMulConst(tf, x, m)`: x times a fixed matrix given as data, whose transpose is
 *   built once, so the backward pass costs exactly one plain product (Fourier
 *   matrices, channel pairings).
 * Other backends multiply transposed operands natively, so there these are plain tf.matMul.
 */
import type { TF, Tensor } from '../types';

/** Backends whose transposed matrix products are slow enough to avoid. */
const EXPLICIT = new Set(['wasm']);

const explicit = (tf: TF) => EXPLICIT.has(tf.getBackend());

/** tf.matMul(a, b, transposeA, transposeB) for rank-2 a and b, with plain products only on WASM. */
export function matMul(tf: TF, a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (!explicit(tf)) return tf.matMul(a, b, transposeA, transposeB);
  const A = transposeA ? tf.transpose(a) : a;
  const B = transposeB ? tf.transpose(b) : b;
  const op = tf.customGrad((...args) => {
    const [ai, bi, save] = args as [Tensor, Tensor, (ts: Tensor[]) => void];
    save([ai, bi]);
    return {
      value: tf.matMul(ai, bi),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [as, bs] = saved;
        return [tf.matMul(dy, tf.transpose(bs)), tf.matMul(tf.transpose(as), dy)];
      },
    };
  });
  return op(A, B) as Tensor;
}

const transposes = new WeakMap<Float32Array, Float32Array>();

/** The transpose [cols, rows] of a row-major [rows, cols] matrix, built once per array. */
export function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  let t = transposes.get(data);
  if (!t) {
    t = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j];
    transposes.set(data, t);
  }
  return t;
}

/**
 * x [n, rows] times the fixed matrix `data` [rows, cols] (row-major) -> [n, cols]. No
 * gradient flows to the matrix; the gradient to x is one plain product with its transpose,
 * which is computed once per matrix (keep `data` alive and reuse it to reuse the transpose).
 */
export function matMulConst(tf: TF, x: Tensor, data: Float32Array, rows: number, cols: number): Tensor {
  if (!explicit(tf)) return tf.matMul(x, tf.tensor2d(data, [rows, cols]));
  const dataT = transposed(data, rows, cols);
  const op = tf.customGrad((...args) => {
    const [xi] = args as [Tensor];
    return {
      value: tf.matMul(xi, tf.tensor2d(data, [rows, cols])),
      gradFunc: (dy: Tensor) => [tf.matMul(dy, tf.tensor2d(dataT, [cols, rows]))],
    };
  });
  return op(x) as Tensor;
}
