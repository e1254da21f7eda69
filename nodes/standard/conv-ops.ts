/**
 * A 2D convolution whose gradients work, and run fast, on every backend.
 *
 * The WASM backend has no Conv2DBackpropFilter kernel, its transposed convolution is
 * slow, and the CPU backend's filter gradient is very slow. Both gradients are
 * themselves convolutions, so here they are written as forward conv2d calls, which
 * every backend has and runs at full speed:
 * - input gradient: dy convolved with the filter flipped in space and with its in/out
 *   channels swapped (the "full" correlation), for stride 1;
 * - filter gradient: treat input channels as the batch and the batch as channels:
 *   x^T [Cin, Hp, Wp, B] correlated with dy^T [Ho, Wo, B, Cout] gives [Cin, k, k, Cout].
 *   With one input channel (a first layer on grey images) and stride 1, that correlation
 *   has only k² outputs per channel and ran at a tenth of the backend's speed (cnn's
 *   first layer: 50-90 ms a step on WASM). There the gradient is one matrix product
 *   instead: the k² shifted copies of x as rows [k², B Ho Wo] times dy [B Ho Wo, Cout]
 *   (13-21 ms; a whole cnn step, steps alternating in one process, 4-5% faster), while
 *   those copies stay small: at 8 million values (7x7 taps over 128 maps of 36x36) the
 *   product was no faster than the correlation, or slower.
 */
import type { TF, Tensor } from '../types';
import { samePad } from '../shapes';

export interface ConvGeometry {
  kernel: number;
  stride: number;
  padding: 'same' | 'valid';
}

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

function paddings(h: number, w: number, g: ConvGeometry): { ph: [number, number]; pw: [number, number] } {
  if (g.padding === 'valid') return { ph: [0, 0], pw: [0, 0] };
  return { ph: samePad(h, g.kernel, g.stride), pw: samePad(w, g.kernel, g.stride) };
}

function inputGradient(tf: TF, dy: Tensor, f: Tensor, xShape: number[], g: ConvGeometry): Tensor {
  const [, h, w] = xShape;
  const k = g.kernel;
  if (g.stride !== 1) {
    return tf.conv2dTranspose(dy as never, f as never, xShape as [number, number, number, number], g.stride, g.padding);
  }
  const { ph, pw } = paddings(h, w, g);
  const flipped = tf.transpose(tf.reverse(f, [0, 1]), [0, 1, 3, 2]);
  const pad: Pad4 = [
    [0, 0],
    [k - 1 - ph[0], k - 1 - ph[1]],
    [k - 1 - pw[0], k - 1 - pw[1]],
    [0, 0],
  ];
  return tf.conv2d(dy as never, flipped as never, 1, pad as never);
}

function filterGradient(tf: TF, x: Tensor, dy: Tensor, g: ConvGeometry): Tensor {
  const [, h, w] = x.shape as number[];
  const k = g.kernel;
  const { ph, pw } = paddings(h, w, g);
  const xp = g.padding === 'same' ? tf.pad(x, [[0, 0], ph, pw, [0, 0]]) : x;
  if (x.shape[3] === 1 && g.stride === 1 && k * k * (dy.size / (dy.shape[3] as number)) <= SHIFTED_COPIES) {
    return shiftedProduct(tf, xp, dy, k);
  }
  const xT = tf.transpose(xp, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  let r = tf.conv2d(xT as never, dyT as never, 1, 'valid', 'NHWC', g.stride) as Tensor;
  if (r.shape[1] !== k || r.shape[2] !== k) r = tf.slice(r, [0, 0, 0, 0], [-1, k, k, -1]);
  return tf.transpose(r, [1, 2, 0, 3]);
}

/** Most values of shifted copies for which the filter gradient is one product (see above). */
const SHIFTED_COPIES = 4 * 2 ** 20;

/** The filter gradient [k, k, 1, Cout] of a stride-1 convolution of one-channel xp (padded). */
function shiftedProduct(tf: TF, xp: Tensor, dy: Tensor, k: number): Tensor {
  const [B, Ho, Wo, Cout] = dy.shape as number[];
  const rows: Tensor[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) rows.push(tf.reshape(tf.slice(xp, [0, i, j, 0], [B, Ho, Wo, 1]), [1, -1]));
  }
  return tf.reshape(tf.matMul(tf.concat(rows, 0), tf.reshape(dy, [-1, Cout])), [k, k, 1, Cout]);
}

/**
 * conv2d(x, filter) with gradients that avoid Conv2DBackpropFilter. With
 * `inputGrad` false (the input comes straight from fixed data) the input gradient,
 * which nothing would use, is not computed.
 */
export function trainableConv2d(tf: TF, x: Tensor, filter: Tensor, g: ConvGeometry, inputGrad = true): Tensor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const op = tf.customGrad((...args: any[]) => {
    const [xi, fi, save] = args as [Tensor, Tensor, (ts: Tensor[]) => void];
    save([xi, fi]);
    const value = tf.conv2d(xi as never, fi as never, g.stride, g.padding);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      const [xs, fs] = saved;
      return [inputGrad ? inputGradient(tf, dy, fs, xs.shape, g) : tf.zerosLike(xs), filterGradient(tf, xs, dy, g)];
    };
    return { value, gradFunc };
  });
  return op(x, filter) as Tensor;
}
