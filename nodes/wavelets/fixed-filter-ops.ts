/**
 * Fixed-filter circular convolutions (the plans of fixed-filter-plans.ts) in
 * TensorFlow.js, for wired wavelets and the low-pass wherever they must run on every
 * step (after a learned layer, where they also pass gradients back to it).
 *
 * The wavelet bank keeps its planes last ([.., B C]) so that every stage is one plain
 * matrix product with all images at once (from the left, but S3 from the right), and
 * each layout change is a rank-3 transpose (the fast kind on WASM). Its gradient is written out as the adjoint
 * of the same products (the transposed matrices are stored, so the backward pass has
 * no transposed-operand products, which are slow on WASM), rather than left to
 * autodiff through splits and concatenations.
 */
import type { TF, Tensor } from '../types';
import { matMulConst } from '../math/matmul-ops';
import type { FixedWaveletPlan, RealMatrix, SeparableLowPass } from './fixed-filter-plans';

/** Benchmarks and tests switch this off to run the DFT-matrix path it replaced, in the same run. */
export const fixedFilterFastPath = { enabled: true };

/** Rank-3 transpose of x viewed as [a, b, c]. */
function t3(tf: TF, x: Tensor, a: number, b: number, c: number, perm: [0, 2, 1] | [1, 0, 2]): Tensor {
  return tf.transpose(tf.reshape(x, [a, b, c]), perm);
}

/** Channel-last maps [B, H, W, C] low-pass filtered and sampled -> [B, R, Cc, C]. */
export function separableLowPassApply(tf: TF, x: Tensor, m: SeparableLowPass): Tensor {
  const [B, , , C] = x.shape as number[];
  const { H, W, R, Cc } = m;
  const a = t3(tf, x, B, H, W * C, [0, 2, 1]); // [B, W C, H]
  const b = matMulConst(tf, tf.reshape(a, [-1, H]), m.lhT, H, R); // [B W C, R]
  const c = t3(tf, b, B, W, C * R, [0, 2, 1]); // [B, C R, W]
  const d = matMulConst(tf, tf.reshape(c, [-1, W]), m.lwT, W, Cc); // [B C R, Cc]
  if (C === 1) return tf.reshape(d, [B, R, Cc, 1]);
  return tf.reshape(t3(tf, d, B, C, R * Cc, [0, 2, 1]), [B, R, Cc, C]);
}

/** m times x [m.cols, n]. */
function left(tf: TF, m: RealMatrix, x: Tensor): Tensor {
  return tf.matMul(tf.tensor2d(m.data, [m.rows, m.cols]), x);
}

/** Channel-last maps [B, H, W, C] (B C planes) -> [H, W B C]. */
function planesLast(tf: TF, x: Tensor): Tensor {
  const [B, H, W, C] = x.shape as number[];
  return tf.reshape(t3(tf, x, B, H * W, C, [1, 0, 2]), [H, W * B * C]);
}

/*
 * S1's rows come in one block per lead class of row frequencies, and S3's columns in
 * one block per class, so each stage is one product over all classes, and each S2
 * product reads a contiguous block of rows (a slice copies just that block:
 * src/platform/wasm-slice.ts on WASM). Per-class products with S1's or S3's few rows
 * would pack the whole right-hand operand for each class: a product with a short left
 * operand is slow. A class and its conjugate partner share one S2 product on the lead's
 * rows, so S1 and its adjoint transform about half of the row frequencies.
 */
function rows(tf: TF, x: Tensor, first: number, count: number): Tensor {
  return tf.slice(x, [first, 0], [count, -1]);
}

/*
 * S3 multiplies from the right, by a matrix of 36 x 36 (for learned-first-layer) that
 * is packed in no time, rather than from the left, which packs the whole other operand
 * (5.3 million values: about 15 ms, and the product itself runs slower). Its operand is
 * transposed to [(f, c, P), (class, re|im)] and back as blocks of at most 128 rows, two
 * rank-3 transposes each way: a rank-2 transpose of this shape takes 8 ms one way and
 * 50 ms the other, and blocks of 1024 rows (a power-of-two stride) about 40 ms.
 */
function right(tf: TF, x: Tensor, m: RealMatrix, transposed: boolean): Tensor {
  const a = transposed ? tf.tensor2d(m.dataT, [m.cols, m.rows]) : tf.tensor2d(m.data, [m.rows, m.cols]);
  return tf.matMul(x, a);
}

/** The largest divisor of n up to 128. */
function block(n: number): number {
  let b = Math.min(128, n);
  while (n % b) b--;
  return b;
}

/** [n, m] -> [m, n]. */
function rowsLast(tf: TF, x: Tensor, n: number, m: number): Tensor {
  const b = block(m);
  const a = m / b;
  return tf.reshape(t3(tf, t3(tf, x, n, a, b, [1, 0, 2]), a, n, b, [0, 2, 1]), [m, n]);
}

function forward(tf: TF, p: FixedWaveletPlan, x: Tensor): Tensor {
  const [B, , , C] = x.shape as number[];
  const { W, s, K, R, Cc, F } = p;
  const P = B * C;
  const a = left(tf, p.s1, planesLast(tf, x)); // [(lead, a, re|im), (w, P)]
  const y = tf.concat(
    p.s2.map((m, i) => left(tf, m, tf.reshape(rows(tf, a, 2 * s * i, 2 * s), [2 * s * W, P]))),
    0,
  ); // [(class, re|im, f, c), P], the classes in S3's column order
  const z = right(tf, rowsLast(tf, y, 2 * K, F * Cc * P), p.s3, true); // [(f, c, B, C), (re|im, r)]
  const u = t3(tf, z, F * Cc, P, 2 * R, [1, 0, 2]); // [(B, C), (f, c), (re|im, r)]
  const v = t3(tf, u, B, C * F * Cc * 2, R, [0, 2, 1]); // [B, r, (C, f, c, re|im)]
  return tf.reshape(t3(tf, v, B * R, C * F, Cc * 2, [0, 2, 1]), [B, R, Cc, 2 * C * F]); // [B, r, c, re|im, C, f]
}

/**
 * The adjoint of forward: dy [B, R, Cc, 2 C F] -> dx [B, H, W, C]. Every product here
 * multiplies from the right, with the planes as rows: from the left, S2's transposes
 * would pack 5.3 million values of y for learned-first-layer (about 15 ms a step).
 */
function adjoint(tf: TF, p: FixedWaveletPlan, dy: Tensor, C: number): Tensor {
  const B = dy.shape[0];
  const { H, W, s, K, R, Cc, F } = p;
  const P = B * C;
  const L = 2 * s * p.leads.length;
  const v = t3(tf, dy, B * R, Cc * 2, C * F, [0, 2, 1]); // [B, r, (C, f, c, re|im)]
  const u = t3(tf, v, B, R, C * F * Cc * 2, [0, 2, 1]); // [(B, C), (f, c), (re|im, r)]
  const z = tf.reshape(t3(tf, u, P, F * Cc, 2 * R, [1, 0, 2]), [F * Cc * P, 2 * R]); // [(f, c, B C), (re|im, r)]
  const yT = t3(tf, right(tf, z, p.s3, false), F * Cc, P, 2 * K, [1, 0, 2]); // [P, (f, c), (class, re|im)]
  const y = tf.reshape(t3(tf, yT, P, F * Cc, 2 * K, [0, 2, 1]), [P, 2 * K * F * Cc]); // [P, (class, re|im, f, c)]
  let first = 0;
  const a = tf.concat(
    p.s2.map((m) => {
      const block = tf.slice(y, [0, first], [-1, m.rows]); // this lead's classes
      first += m.rows;
      return right(tf, block, m, false);
    }),
    1,
  ); // [P, (lead, a, re|im, w)]
  const x = right(tf, tf.reshape(t3(tf, a, P, L, W, [0, 2, 1]), [P * W, L]), p.s1, false); // [(B, C, w), h]
  return tf.reshape(t3(tf, t3(tf, x, P, W, H, [0, 2, 1]), B, C, H * W, [0, 2, 1]), [B, H, W, C]);
}

/**
 * Periodic maps [B, H, W, C] convolved with the plan's fixed complex filters and kept
 * at its rows and columns -> [B, R, Cc, 2 C F]: the C F real parts (channel-major,
 * then filter), then the C F imaginary parts.
 */
export function fixedWaveletConv(tf: TF, x: Tensor, p: FixedWaveletPlan): Tensor {
  const C = x.shape[3] as number;
  const op = tf.customGrad((...args) => {
    const [xi] = args as [Tensor];
    return { value: forward(tf, p, xi), gradFunc: (dy: Tensor) => [adjoint(tf, p, dy, C)] };
  });
  return op(x) as Tensor;
}
