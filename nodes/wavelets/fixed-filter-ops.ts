/**
 * Fixed-filter circular convolutions (the plans of fixed-filter-plans.ts) in
 * TensorFlow.js, for wired wavelets and the low-pass wherever they must run on every
 * step (after a learned layer, where they also pass gradients back to it).
 *
 * The wavelet bank keeps its planes (B C) as the rows of every stage, so that each stage
 * is one plain matrix product with all images at once, and each layout change is a
 * rank-3 transpose (the fast kind on WASM). Its gradient is written out as the adjoint
 * of the same products (the transposed matrices are stored, so neither pass has
 * transposed-operand products, which are slow on WASM), rather than left to autodiff
 * through splits and concatenations.
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

/*
 * Every stage multiplies from the right, with the planes (B C) as rows and the stage's
 * small matrix as the right-hand operand, which the WASM backend packs in no time: a
 * product with a large right-hand operand packs all of it first (5.3 million values of
 * y for learned-first-layer: about 15 ms a step). S1's rows come in one block per lead
 * class of row frequencies, so each S2 product reads a contiguous block of columns;
 * a class and its conjugate partner share one S2 product on the lead's rows, so S1 and
 * its adjoint transform about half of the row frequencies. Between stages, each layout
 * change is a rank-3 transpose (the fast kind on WASM): three of the large tensor in
 * each direction.
 */

/** x [n, m.rows] times m (or x [n, m.cols] times m transposed). */
function right(tf: TF, x: Tensor, m: RealMatrix, transposed: boolean): Tensor {
  const a = transposed ? tf.tensor2d(m.dataT, [m.cols, m.rows]) : tf.tensor2d(m.data, [m.rows, m.cols]);
  return tf.matMul(x, a);
}

function forward(tf: TF, p: FixedWaveletPlan, x: Tensor): Tensor {
  const [B, , , C] = x.shape as number[];
  const { H, W, s, K, R, Cc, F } = p;
  const P = B * C;
  const L = 2 * s * p.leads.length;
  const planes = t3(tf, t3(tf, x, B, H * W, C, [0, 2, 1]), P, H, W, [0, 2, 1]); // [P, w, h]
  const a = right(tf, tf.reshape(planes, [P * W, H]), p.s1, true); // [(P, w), (lead, a, re|im)]
  const aT = tf.reshape(t3(tf, a, P, W, L, [0, 2, 1]), [P, L * W]); // [P, (lead, a, re|im, w)]
  const y = tf.concat(
    p.s2.map((m, i) => right(tf, tf.slice(aT, [0, 2 * s * W * i], [-1, 2 * s * W]), m, true)),
    1,
  ); // [P, (class, re|im, f, c)], the classes in S3's column order
  const yT = tf.reshape(t3(tf, y, P, 2 * K, F * Cc, [0, 2, 1]), [P * F * Cc, 2 * K]); // [(P, f, c), (class, re|im)]
  const z = right(tf, yT, p.s3, true); // [(B, C, f, c), (re|im, r)]
  const v = t3(tf, z, B, C * F * Cc * 2, R, [0, 2, 1]); // [B, r, (C, f, c, re|im)]
  return tf.reshape(t3(tf, v, B * R, C * F, Cc * 2, [0, 2, 1]), [B, R, Cc, 2 * C * F]); // [B, r, c, re|im, C, f]
}

/** The adjoint of forward: dy [B, R, Cc, 2 C F] -> dx [B, H, W, C], the same stages backwards. */
function adjoint(tf: TF, p: FixedWaveletPlan, dy: Tensor, C: number): Tensor {
  const B = dy.shape[0];
  const { H, W, s, K, R, Cc, F } = p;
  const P = B * C;
  const L = 2 * s * p.leads.length;
  const v = t3(tf, dy, B * R, Cc * 2, C * F, [0, 2, 1]); // [B, r, (C, f, c, re|im)]
  const z = tf.reshape(t3(tf, v, B, R, C * F * Cc * 2, [0, 2, 1]), [P * F * Cc, 2 * R]); // [(B, C, f, c), (re|im, r)]
  const yT = right(tf, z, p.s3, false); // [(P, f, c), (class, re|im)]
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
