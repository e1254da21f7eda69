/**
 * The cross-scale correlation instrument: the matrix of correlation coefficients
 * between wavelet channels (scale j, orientation l) of a field, before the
 * non-linearity (x ⊛ ψ_λ against x ⊛ ψ_λ') and after it (|x ⊛ ψ_λ| against |x ⊛ ψ_λ'|).
 * Linear coefficients at scales far apart are nearly uncorrelated whatever the field
 * (their frequency bands barely overlap; neighbouring Morlet bands do overlap in
 * their tails); after the modulus they correlate wherever the field has structure.
 * Built as a small statistics graph (correlations-graph.json); the Synthesis dock draws it
 * for the target, the Gaussian sample and the maximum-entropy sample.
 */
import type { GraphDocument } from '../../compiler';
import type { TF } from '../../nodes/types';
import { compileStatistics } from './engine';
import correlationsGraph from './correlations-graph.json';

export interface CorrelationMatrices {
  J: number;
  L: number;
  /** |corr| between channels c = j·L + l, row-major [JL, JL]. */
  linear: Float32Array;
  modulus: Float32Array;
}

/** The statistics graph (data, like a template), with the wavelets' J and L set. */
function graph(J: number, L: number): GraphDocument {
  const doc = structuredClone(correlationsGraph) as GraphDocument;
  const wavelets = doc.nodes.find((n) => n.id === 'wavelets')!;
  wavelets.params = { ...wavelets.params, J, L };
  return doc;
}

/** Correlation matrices of an n x n field (n a multiple of 2^J), read with data(): WebGPU workers cannot block. */
export async function crossScaleCorrelations(
  tf: TF,
  field: Float32Array,
  n: number,
  J = 5,
  L = 4,
): Promise<CorrelationMatrices> {
  const c = compileStatistics(tf, graph(J, L), n);
  if ('diagnostics' in c) throw new Error(c.diagnostics.map((d) => d.message).join(' '));
  const F = J * L;
  try {
    const out = tf.tidy(
      () => c.model.forward(tf.tensor4d(field.subarray(0, n * n), [1, n, n, 1]), { training: false }).logits,
    );
    const phi = (await out.data()) as Float32Array;
    out.dispose();
    // groups in edge-id order: 'linear-moments-in' (complex: F² real parts, F² imaginary), then 'nonlinear-moments-in' (real: F²)
    const linear = new Float32Array(F * F);
    for (let i = 0; i < F * F; i++) linear[i] = Math.hypot(phi[i], phi[F * F + i]);
    const modulus = Float32Array.from(phi.subarray(2 * F * F, 3 * F * F), Math.abs);
    return { J, L, linear, modulus };
  } finally {
    c.dispose();
  }
}

/**
 * Mean |corr| over pairs of channels whose scales differ by at least `gap` (Morlet
 * wavelets one octave apart still overlap a little in frequency; two apart, hardly).
 */
export function acrossScales(m: Float32Array, J: number, L: number, gap = 1): number {
  const F = J * L;
  let s = 0;
  let k = 0;
  for (let a = 0; a < F; a++) {
    for (let b = 0; b < F; b++) {
      if (Math.abs(Math.floor(a / L) - Math.floor(b / L)) < gap) continue;
      s += m[a * F + b];
      k++;
    }
  }
  return s / k;
}
