/**
 * The average over axes of a large map, with a cheaper gradient. TensorFlow.js writes
 * the gradient of mean (and sum) as dy times a tensor of ones of the input's shape, and
 * builds those ones in JavaScript at every backward pass: for the maps a statistics
 * graph averages (every wavelet channel at every position) that was about a tenth of a
 * synthesis step on WASM. Here the gradient is dy times a tensor the backend fills
 * with 1 / count (a native fill on WASM; its Tile, behind tf.broadcastTo, was slower
 * still than the ones).
 */
import type { TF, Tensor } from '../types';

/** tf.mean(x, axes, keepDims), the same value; the gradient multiplies by a filled tensor instead of ones built in JavaScript. */
export function meanOver(tf: TF, x: Tensor, axes: number[], keepDims = false): Tensor {
  const shape = x.shape as number[];
  const count = axes.reduce((n, a) => n * shape[a], 1);
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const op = tf.customGrad((...args) => {
    const [xi] = args as [Tensor];
    return {
      value: tf.mean(xi, axes, keepDims),
      gradFunc: (dy: Tensor) => [tf.mul(tf.fill(shape, 1 / count), tf.reshape(dy, kept))],
    };
  });
  return op(x) as Tensor;
}
