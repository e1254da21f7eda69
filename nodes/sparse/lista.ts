import { defineNode } from '../types';
import { matMul } from '../math/matmul-ops';
import type { Tensor, Variable } from '../types';
import { fail, isDiagnostic, ok } from '../shapes';
import {
  codeGeometry,
  fromRows,
  geometryOf,
  istaStep,
  CODE_PARAMS,
  randomDictionary,
  threshold,
  toRows,
} from './layout';
import { listaPytorch, listaOnnx } from './lista.export';

/**
 * Row convention: a batch of vectors is a matrix of rows, so W_e x becomes x · E with
 * E = (W_e)ᵀ = η D (C × M), and S z becomes z · Sᵀ; S is symmetric at initialization.
 */
function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

export const LISTA = defineNode({
  type: 'LISTA',
  version: 1,
  pytorch: listaPytorch,
  onnx: listaOnnx,
  title: 'LISTA (unrolled sparse coding)',
  category: 'Sparse coding',
  doc: {
    summary: 'K unrolled steps of iterative soft thresholding whose matrices and thresholds are learned.',
    formula:
      'z₀ = T(W_e x),  z_{k+1} = T(W_e x + S z_k),  k = 0..K−1;  T(v) = ReLU(v − τ) (non-negative) or sign(v)·ReLU(|v| − τ) (signed).  Init: W_e = η Dᵀ, S = I − η DᵀD, τ = η λ, η = 1/‖D‖²',
    intuition:
      'Sparse coding explains an input as a combination of a few atoms of a dictionary D by minimizing ½‖x − Dz‖² + λ‖z‖₁. ISTA solves it by repeating "gradient step, then threshold"; each repetition is a linear map plus a ReLU with a bias, that is, a network layer. LISTA unrolls K of them and learns the matrices, so a few steps do the work of many. At initialization the block computes exactly K + 1 ISTA iterations from z = 0. Per pixel it codes each position\'s channel vector (a 1 × 1 convolution). The dictionary D is kept fixed (not trained): the reconstruction D z shows how well the code explains the input in the terms of the dictionary it started from. Each step\'s code is published as a read-out (step0 … stepK) to watch sparsity build up.',
    reference: 'Gregor & LeCun, "Learning fast approximations of sparse coding" (ICML 2010).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'vector', 'code'], doc: 'Map [H, W, C] (per pixel) or vector [D].' }],
  outputs: [
    { name: 'code', kinds: ['code'], doc: 'Sparse code z: [H, W, M] per pixel, or [M].' },
    {
      name: 'reconstruction',
      kinds: ['map', 'vector'],
      doc: 'D z, the input as the fixed dictionary explains it (same shape as the input).',
    },
  ],
  params: {
    K: {
      kind: 'int',
      default: 3,
      min: 1,
      max: 64,
      help: 'Unrolled steps after the first thresholding (K steps = K + 1 ISTA iterations at init).',
      main: true,
    },
    ...CODE_PARAMS,
    threshold: {
      kind: 'enum',
      default: 'non-negative',
      options: ['non-negative', 'signed'],
      help: 'Non-negative: ReLU(v − τ), codes z ≥ 0. Signed: soft threshold.',
    },
    weights: {
      kind: 'enum',
      default: 'tied',
      options: ['tied', 'untied'],
      help: '"tied" shares W_e, S and τ across steps; "untied" learns them per step.',
    },
    lambda: {
      kind: 'number',
      default: 0.1,
      min: 0,
      max: 100,
      help: 'Sparsity weight λ of the Lasso the initialization solves (τ = η λ).',
      main: true,
    },
    dictionary: {
      kind: 'enum',
      default: 'random',
      options: ['random'],
      help: 'Initial dictionary: random Gaussian atoms with unit norm (seeded by the graph seed).',
    },
  },
  dictionary: { variable: 'dictionary', unitNormAtoms: false },
  readouts: (p) => Array.from({ length: p.K + 1 }, (_, k) => `step${k}`),
  unrolledSteps(p) {
    const T = p.threshold === 'signed' ? 'soft_τ' : 'ReLU_τ';
    const steps = [`z₀ = ${T}(W_e x)`];
    for (let k = 1; k <= p.K; k++) steps.push(`z${subscript(k)} = ${T}(W_e x + S z${subscript(k - 1)})`);
    return steps;
  },
  inferShape(p, inputs, ctx) {
    const g = codeGeometry(inputs, p.layout, ctx, this.title);
    if (isDiagnostic(g)) return fail(g);
    const x = inputs.in[0];
    const { dim: c } = g;
    const m = p.atoms;
    const steps = p.weights === 'untied' ? p.K + 1 : 1;
    const perStep = c * m + m; // encoder and threshold
    const lateral = (p.weights === 'untied' ? p.K : 1) * m * m;
    return ok(
      {
        code: { kind: 'code', shape: [...g.outer, m] },
        reconstruction: { kind: x.kind === 'vector' ? 'vector' : 'map', shape: x.shape },
      },
      { trainable: steps * perStep + lateral, fixed: c * m },
    );
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const { dim: c, outer } = geometryOf(inputs.in[0], p.layout);
    const m = p.atoms;
    const D = randomDictionary(ctx.random, c, m);
    const eta = istaStep(D, c, m);
    // Sᵀ = I − η DᵀD, computed in float64 then stored.
    const S = new Float32Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) {
        let g = 0;
        for (let r = 0; r < c; r++) g += D[r * m + i] * D[r * m + j];
        const v = (i === j ? 1 : 0) - eta * g;
        S[i * m + j] = v;
        S[j * m + i] = v;
      }
    }
    const dict = ctx.variable('dictionary', [c, m], () => tf.tensor2d(Float32Array.from(D), [c, m]), {
      trainable: false,
      role: 'dictionary',
    });
    const untied = p.weights === 'untied';
    const encoders: Variable[] = [];
    const laterals: Variable[] = [];
    const taus: Variable[] = [];
    const tag = (name: string, k: number) => (untied ? `${name}_${k}` : name);
    for (let k = 0; k <= (untied ? p.K : 0); k++) {
      encoders.push(
        ctx.variable(
          tag('encoder', k),
          [c, m],
          () =>
            tf.tensor2d(
              Float32Array.from(D, (v) => eta * v),
              [c, m],
            ),
          { trainable: true, role: 'weight' },
        ),
      );
      taus.push(
        ctx.variable(tag('tau', k), [m], () => tf.fill([m], eta * p.lambda), { trainable: true, role: 'threshold' }),
      );
    }
    for (let k = 1; k <= (untied ? p.K : 1); k++) {
      laterals.push(
        ctx.variable(tag('lateral', k), [m, m], () => tf.tensor2d(S, [m, m]), { trainable: true, role: 'weight' }),
      );
    }
    const signed = p.threshold === 'signed';
    const pick = <T>(list: T[], k: number) => list[untied ? k : 0];
    return {
      apply: (ins) => {
        const x = toRows(tf, ins.in[0], c);
        const drive = untied ? null : matMul(tf, x, encoders[0]);
        const driveAt = (k: number): Tensor => drive ?? matMul(tf, x, encoders[k]);
        let z = threshold(tf, driveAt(0), pick(taus, 0), signed);
        ctx.readout('step0', fromRows(tf, z, outer, m));
        for (let k = 1; k <= p.K; k++) {
          const lateral = untied ? laterals[k - 1] : laterals[0];
          z = threshold(tf, tf.add(driveAt(k), matMul(tf, z, lateral)), pick(taus, k), signed);
          ctx.readout(`step${k}`, fromRows(tf, z, outer, m));
        }
        const recon = matMul(tf, z, dict, false, true);
        return { code: fromRows(tf, z, outer, m), reconstruction: tf.reshape(recon, ins.in[0].shape) };
      },
    };
  },
});
