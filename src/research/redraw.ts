/**
 * Drawing a layer's neurons afresh from its learned weight covariance (SCIENCE.md
 * section 6). A layer of N neurons reading D inputs is the matrix W (N x D), one row
 * per neuron; C = WᵀW / N. With W = U S Vᵀ, C = V (S² / N) Vᵀ, and new rows
 * w~ = g S Vᵀ / √N with g ~ N(0, I_k) have exactly that covariance, singular or not.
 *
 * Singular here means more degenerate than the width explains: numerical rank below
 * min(N, D). Drawn as is, every new neuron would sit in that subspace, so the draw uses
 * C + εI with ε = 1% of the mean eigenvalue, and says so.
 */
import { svd, transpose, type Vec } from '../../nodes/math/linalg';
import { seededRandom } from '../../nodes/math/random';
import { convKernelRows } from './spectrum';
import type { WeightLayout } from './redraw-plan';

/** Relative size below which a singular value counts as zero. */
const RANK_TOL = 1e-6;
/** Ridge added to a singular covariance, relative to its mean eigenvalue. */
export const RIDGE = 0.01;

/** The weight of a Dense ([D, N]) or convolution ([kh, kw, C_in, N]) layer as rows W (N x D). */
export function weightRows(
  layout: WeightLayout,
  values: Vec,
  shape: number[],
): { W: Float64Array; N: number; D: number } {
  if (layout === 'kernel') {
    const [kh, kw, cin, cout] = shape;
    return convKernelRows(values, kh, kw, cin, cout);
  }
  const [D, N] = shape;
  return { W: transpose(Float64Array.from(values), D, N), N, D };
}

/** Rows W (N x D) back in the layer's layout; the width (last axis) becomes N. */
export function rowsToWeight(
  layout: WeightLayout,
  W: ArrayLike<number>,
  N: number,
  shape: number[],
): { values: Float32Array; shape: number[] } {
  const D = W.length / N;
  const out = new Float32Array(D * N);
  for (let o = 0; o < N; o++) for (let p = 0; p < D; p++) out[p * N + o] = W[o * D + p];
  return { values: out, shape: layout === 'kernel' ? [shape[0], shape[1], shape[2], N] : [D, N] };
}

export interface Draw {
  /** New rows, nw x D. */
  W: Float64Array;
  rank: number;
  /** Set when the covariance was singular and a ridge was added. */
  ridge?: number;
}

/** nw rows drawn from N(0, WᵀW / N); a ridge when the covariance is singular. */
export function drawRows(W: Vec, N: number, D: number, nw: number, seed: number): Draw | { zero: true } {
  const { S, V, k } = svd(W, N, D);
  const top = S[0] ?? 0;
  if (!(top > 0)) return { zero: true };
  let rank = 0;
  let trace = 0;
  for (let j = 0; j < k; j++) {
    if (S[j] > RANK_TOL * top) rank++;
    trace += (S[j] * S[j]) / N;
  }
  const ridge = rank < Math.min(N, D) ? (RIDGE * trace) / D : 0;
  const rng = seededRandom(seed);
  const out = new Float64Array(nw * D);
  const g = new Float64Array(k);
  const sr = Math.sqrt(ridge);
  for (let i = 0; i < nw; i++) {
    for (let j = 0; j < k; j++) g[j] = (rng.normal() * S[j]) / Math.sqrt(N);
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += g[j] * V[d * k + j];
      out[i * D + d] = ridge ? s + sr * rng.normal() : s;
    }
  }
  return { W: out, rank, ...(ridge ? { ridge } : {}) };
}
