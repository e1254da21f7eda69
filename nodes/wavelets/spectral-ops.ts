/**
 * Circular convolution on a periodic grid, built from TensorFlow.js matrix products.
 *
 * A batch of real 2D planes [P, H, W] goes to the Fourier domain with two DFT
 * matrices (one per axis), is multiplied by filter spectra, and comes back with
 * inverse-DFT matrices evaluated only at the output positions wanted, which performs
 * decimation, cropping and unpadding exactly. Spectra are kept in the transposed
 * layout [.., W, H] (frequency along the width first) so that each transform needs a
 * single transpose. Complex values are pairs of real tensors and every product is a
 * plain real matrix product: concatenating along the last axis is slow on the WASM
 * backend, so real and imaginary parts are never packed together.
 */
import type { TF, Tensor } from '../types';
import { centredOffsets, forwardDft, inverseDftAt, type ComplexMatrix } from './dft-matrices';
import { matMulConst } from '../math/matmul-ops';

/** A complex tensor as two real tensors of one shape. */
export interface Cx {
  re: Tensor;
  im: Tensor;
}

interface Parts {
  rows: number;
  cols: number;
  re: Float32Array;
  im: Float32Array;
}

const cache = new Map<string, Parts>();

/** A matrix description: a cache key and how to build it. */
export interface MatrixSpec {
  key: string;
  make: () => ComplexMatrix;
}

function parts(m: MatrixSpec): Parts {
  let p = cache.get(m.key);
  if (!p) {
    const c = m.make();
    p = { rows: c.rows, cols: c.cols, re: Float32Array.from(c.re), im: Float32Array.from(c.im) };
    cache.set(m.key, p);
  }
  return p;
}

export const dftSpec = (n: number): MatrixSpec => ({ key: `fwd:${n}`, make: () => forwardDft(n) });
export const centredDftSpec = (taps: number, n: number): MatrixSpec => ({
  key: `fwdc:${taps}:${n}`,
  make: () => forwardDft(n, centredOffsets(taps)),
});
export const inverseSpec = (n: number, positions: number[]): MatrixSpec => ({
  key: `inv:${n}:${positions.join(',')}`,
  make: () => inverseDftAt(n, positions),
});

/** x [.., k] times a real [k, m] matrix -> [.., m]. */
function mulLast(tf: TF, x: Tensor, data: Float32Array, rows: number, cols: number): Tensor {
  const lead = x.shape.slice(0, -1);
  const y = matMulConst(tf, tf.reshape(x, [-1, rows]), data, rows, cols);
  return tf.reshape(y, [...lead, cols]);
}

/** Complex x along its last axis times a complex matrix. */
export function cxLast(tf: TF, x: Cx, m: MatrixSpec): Cx {
  const p = parts(m);
  const rr = mulLast(tf, x.re, p.re, p.rows, p.cols);
  const ii = mulLast(tf, x.im, p.im, p.rows, p.cols);
  const ri = mulLast(tf, x.re, p.im, p.rows, p.cols);
  const ir = mulLast(tf, x.im, p.re, p.rows, p.cols);
  return { re: tf.sub(rr, ii), im: tf.add(ri, ir) };
}

/** Real x along its last axis times a complex matrix. */
export function realInLast(tf: TF, x: Tensor, m: MatrixSpec): Cx {
  const p = parts(m);
  return { re: mulLast(tf, x, p.re, p.rows, p.cols), im: mulLast(tf, x, p.im, p.rows, p.cols) };
}

/** Real part of complex x along its last axis times a complex matrix. */
export function realOutLast(tf: TF, x: Cx, m: MatrixSpec): Tensor {
  const p = parts(m);
  return tf.sub(mulLast(tf, x.re, p.re, p.rows, p.cols), mulLast(tf, x.im, p.im, p.rows, p.cols));
}

/** Swap the last two axes (as a rank-3 transpose, the fastest kind on WASM). */
export function swapLast(tf: TF, t: Tensor): Tensor {
  const lead = t.shape.slice(0, -2);
  const [a, b] = t.shape.slice(-2) as [number, number];
  return tf.reshape(tf.transpose(tf.reshape(t, [-1, a, b]), [0, 2, 1]), [...lead, b, a]);
}

const swapCx = (tf: TF, x: Cx): Cx => ({ re: swapLast(tf, x.re), im: swapLast(tf, x.im) });

/** Inverse DFT along the last axis (n points), evaluated at the given positions. */
function inverseLast(tf: TF, y: Cx, n: number, positions: number[], realOnly: boolean): Cx | Tensor {
  const m = inverseSpec(n, positions);
  return realOnly ? realOutLast(tf, y, m) : cxLast(tf, y, m);
}

/** 2D DFT of real planes [.., H, W] -> spectrum [.., W, H] (transposed layout). */
export function forward2d(tf: TF, planes: Tensor): Cx {
  const [h, w] = planes.shape.slice(-2) as [number, number];
  const a = swapCx(tf, realInLast(tf, planes, dftSpec(w)));
  return cxLast(tf, a, dftSpec(h));
}

/**
 * Spectra of centred spatial filters [F, Sh, Sw] (origin at tap floor(S/2)) on an
 * M x N periodic grid -> [F, N, M] (transposed layout).
 */
export function filterSpectrum(tf: TF, f: Cx, M: number, N: number): Cx {
  const [sh, sw] = f.re.shape.slice(-2) as [number, number];
  const a = swapCx(tf, cxLast(tf, f, centredDftSpec(sw, N)));
  return cxLast(tf, a, centredDftSpec(sh, M));
}

/**
 * Inverse 2D DFT of spectra [.., N, M] (transposed layout) on an M x N grid, evaluated
 * at the given row and column positions -> [.., rows, cols]; real part only on request.
 */
export function inverse2dAt(
  tf: TF,
  y: Cx,
  M: number,
  N: number,
  rows: number[],
  cols: number[],
  realOnly: true,
): Tensor;
export function inverse2dAt(tf: TF, y: Cx, M: number, N: number, rows: number[], cols: number[], realOnly: false): Cx;
export function inverse2dAt(
  tf: TF,
  y: Cx,
  M: number,
  N: number,
  rows: number[],
  cols: number[],
  realOnly: boolean,
): Tensor | Cx {
  const a = swapCx(tf, inverseLast(tf, y, M, rows, false) as Cx);
  return inverseLast(tf, a, N, cols, realOnly);
}

/**
 * Rank-3 transpose of x viewed as [a, b, c] with perm [0, 2, 1] or [1, 0, 2]. Every layout
 * change here is written as one or two of these: on WASM a rank-3 transpose is 3 to 4
 * times faster than the equivalent rank-4 or rank-5 one (a [2, 128, 64, 18, 18] map:
 * 443 ms as one rank-5 transpose, 99 ms as two rank-3 ones).
 */
function transpose3(tf: TF, x: Tensor, a: number, b: number, c: number, perm: [0, 2, 1] | [1, 0, 2]): Tensor {
  return tf.transpose(tf.reshape(x, [a, b, c]), perm);
}

/** Channel-last maps [B, H, W, C] -> planes [B C, H, W] (channel major within an image). */
export function toPlanes(tf: TF, x: Tensor): Tensor {
  const [, h, w, c] = x.shape as number[];
  return tf.reshape(c === 1 ? x : transpose3(tf, x, -1, h * w, c, [0, 2, 1]), [-1, h, w]);
}

/** Planes [B C, h, w] (or [B, C, h, w]) -> channel-last maps [B, h, w, C]. */
export function fromPlanes(tf: TF, p: Tensor, channels: number): Tensor {
  const [h, w] = p.shape.slice(-2) as [number, number];
  if (channels === 1) return tf.reshape(p, [-1, h, w, 1]);
  return tf.reshape(transpose3(tf, p, -1, channels, h * w, [0, 2, 1]), [-1, h, w, channels]);
}

/** Complex planes [B C, h, w] -> complex map [B, h, w, 2C] (real block, then imaginary block). */
export function fromComplexPlanes(tf: TF, z: Cx, channels: number): Tensor {
  const [h, w] = z.re.shape.slice(-2) as [number, number];
  const n = z.re.size / (channels * h * w); // images
  // stacking on a new leading axis is a contiguous copy: [2, B, C, hw]
  const s = tf.stack([z.re, z.im]);
  const a = transpose3(tf, s, 2 * n, channels, h * w, [0, 2, 1]); // [2, B, hw, C]
  const b = transpose3(tf, a, 2, n * h * w, channels, [1, 0, 2]); // [B hw, 2, C]
  return tf.reshape(b, [n, h, w, 2 * channels]);
}
