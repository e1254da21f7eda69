/**
 * What the sparse-coding and random-feature nodes share: the two layouts (a vector,
 * or the channel vector at every pixel, like a 1 x 1 convolution), the thresholds,
 * and the float64 dictionary set-up used at initialization.
 */
import { diag } from '../../document/diagnostics';
import type { Diagnostic } from '../../document/diagnostics';
import type { InferContext, ParamSpecs, SeededRandom, Tensor, TensorSpec, TF } from '../types';
import { expectRank, isDiagnostic, one, shapeText } from '../shapes';
import { powerIteration } from '../math/linalg';

export const LAYOUTS = ['per-pixel', 'vector'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The params every sparse coder shares: its dictionary size and how it reads a map. */
export const CODE_PARAMS = {
  atoms: {
    kind: 'int',
    default: 64,
    min: 1,
    max: 8192,
    help: 'Dictionary size M (atoms = code channels).',
    main: true,
  },
  layout: {
    kind: 'enum',
    default: 'per-pixel',
    options: LAYOUTS,
    help: '"per-pixel" codes the channel vector at every position (a 1 × 1 convolution); "vector" codes a flat vector.',
  },
} as const satisfies ParamSpecs;

export interface CodeGeometry {
  /** Length of the vector the node acts on (channels per pixel, or D). */
  dim: number;
  /** Leading shape kept around it: [H, W] per pixel, [] for a vector. */
  outer: number[];
}

/** Check the input against the layout and return the vector length it acts on. */
export function codeGeometry(
  inputs: Record<string, TensorSpec[]>,
  layout: string,
  ctx: InferContext,
  title: string,
): CodeGeometry | Diagnostic {
  const x = one(inputs, 'in', ctx, title);
  if (isDiagnostic(x)) return x;
  if (layout === 'per-pixel') {
    const bad = expectRank(x, 3, ctx, title, 'in', 'Feed a map [H, W, C], or set layout to "vector" after a Flatten.');
    if (bad) return bad;
    return { dim: x.shape[2], outer: x.shape.slice(0, 2) };
  }
  const bad = expectRank(x, 1, ctx, title, 'in', 'Insert a Flatten first, or set layout to "per-pixel" for a map.');
  if (bad) return bad;
  return { dim: x.shape[0], outer: [] };
}

export function geometryOf(spec: TensorSpec, layout: string): CodeGeometry {
  return layout === 'per-pixel'
    ? { dim: spec.shape[2], outer: spec.shape.slice(0, 2) }
    : { dim: spec.shape[0], outer: [] };
}

/** [B, ...outer, dim] -> [B * prod(outer), dim]: every pixel becomes a row. */
export function toRows(tf: TF, x: Tensor, dim: number): Tensor {
  return tf.reshape(x, [-1, dim]);
}

/** Rows back to [B, ...outer, m]. */
export function fromRows(tf: TF, rows: Tensor, outer: number[], m: number): Tensor {
  return tf.reshape(rows, [-1, ...outer, m]);
}

/** Non-negative: ReLU(v - tau), the prox of lambda |z|_1 + indicator(z >= 0). Signed: soft threshold. */
export function threshold(tf: TF, v: Tensor, tau: Tensor, signed: boolean): Tensor {
  const pos = tf.relu(tf.sub(v, tau));
  return signed ? tf.sub(pos, tf.relu(tf.sub(tf.neg(v), tau))) : pos;
}

/** A C x M dictionary (row-major) with independent Gaussian entries and unit-norm columns. */
export function randomDictionary(rng: SeededRandom, c: number, m: number): Float64Array {
  const D = new Float64Array(c * m);
  for (let i = 0; i < D.length; i++) D[i] = rng.normal();
  for (let j = 0; j < m; j++) {
    let n = 0;
    for (let i = 0; i < c; i++) n += D[i * m + j] ** 2;
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < c; i++) D[i * m + j] /= n;
  }
  return D;
}

/**
 * The ISTA step of a dictionary D (C x M, row-major): eta = 1 / ||D||_2^2, the
 * squared spectral norm from power iteration (converged to well below float32
 * precision for the sizes nodes use).
 */
export function istaStep(D: Float64Array, c: number, m: number): number {
  const L = powerIteration(D, c, m, 200);
  return L > 0 ? 1 / L : 1;
}

export function paramError(ctx: InferContext, title: string, param: string, message: string, fix: string): Diagnostic {
  return diag('bad-param', message, { nodeId: ctx.nodeId, nodeTitle: title, param, fix });
}

export { shapeText };
