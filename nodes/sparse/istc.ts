import { defineNode } from '../types';
import { matMul } from '../math/matmul-ops';
import type { Tensor } from '../types';
import { fail, isDiagnostic, ok } from '../shapes';
import { codeGeometry, fromRows, geometryOf, CODE_PARAMS, paramError, randomDictionary, toRows } from './layout';
import { istcPytorch, istcOnnx } from './istc.export';

/** λ_n = λ₀ (λ* / λ₀)^(n / N) for n = 1..N: geometric from λ₀ down to λ* at the last iteration. */
export function istcThresholds(lambda0: number, lambdaStar: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lambda0 * (lambdaStar / lambda0) ** ((i + 1) / n));
}

/** Column norms below this are treated as this, so a dead atom cannot divide by zero. */
const EPS = 1e-8;

export const ISTC = defineNode({
  type: 'ISTC',
  version: 1,
  pytorch: istcPytorch,
  onnx: istcOnnx,
  title: 'ISTC (iterative thresholding, continuation)',
  category: 'Sparse coding',
  doc: {
    summary:
      'N thresholding iterations with unit-norm dictionary atoms and thresholds shrinking geometrically to a learned λ*.',
    formula:
      'z₀ = 0,  z_n = ReLU(z_{n−1} + Wᵀ(x − D z_{n−1}) − λ_n),  λ_n = λ₀ (λ*/λ₀)^{n/N};  columns of D renormalized to ‖d_m‖ = 1 on every pass;  W = D (tied) or free with ⟨w_m, d_m⟩ = 1',
    intuition:
      'Like ISTA without a step size: the atoms have unit norm, and the threshold starts large (only the strongest atoms switch on) and shrinks step by step to λ*, which is learned with the dictionary. Starting high is "continuation": it reaches a good sparse code in a dozen iterations. λ₀ is about ‖Wᵀx‖_∞, the largest correlation of an input with an atom: set it with the lambda0 parameter, or leave 0 and it is measured once, on the first training batch (mean over the batch and pixels of ‖Wᵀx‖_∞), then kept with the weights. Per pixel, placed after a scattering transform and a learned 1 × 1 projection, it is the sparse-coding layer of Zarka et al.',
    reference:
      'Zarka, Thiry, Angles & Mallat, "Deep network classification by scattering and homotopy dictionary learning" (ICLR 2020).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'vector', 'code'], doc: 'Map [H, W, C] (per pixel) or vector [D].' }],
  outputs: [
    { name: 'code', kinds: ['code'], doc: 'Non-negative sparse code z: [H, W, M] per pixel, or [M].' },
    {
      name: 'reconstruction',
      kinds: ['map', 'vector'],
      doc: 'D z with the unit-norm dictionary (same shape as the input).',
    },
  ],
  params: {
    iterations: {
      kind: 'int',
      default: 12,
      min: 1,
      max: 64,
      help: 'Number of iterations N (12 in the paper).',
      main: true,
    },
    ...CODE_PARAMS,
    encoder: {
      kind: 'enum',
      default: 'tied',
      options: ['tied', 'free'],
      help: '"tied": W = D. "free": a separate W, renormalized so ⟨w_m, d_m⟩ = 1.',
    },
    lambdaStar: {
      kind: 'number',
      default: 0.05,
      min: 0,
      max: 100,
      help: 'Initial value of the learned final threshold λ*.',
      main: true,
    },
    lambda0: {
      kind: 'number',
      default: 0,
      min: 0,
      max: 1000,
      help: 'First threshold λ₀; 0 measures it on the first training batch as mean ‖Wᵀx‖_∞.',
    },
  },
  checkParams(p, ctx) {
    if (p.lambdaStar <= 0)
      return [
        paramError(
          ctx,
          this.title,
          'lambdaStar',
          'lambdaStar must be larger than 0: the thresholds shrink geometrically towards it.',
          'Set lambdaStar to a small positive value such as 0.05.',
        ),
      ];
    return [];
  },
  // λ₀ = 0 is measured on the first training batch.
  differsInTraining: true,
  dictionary: { variable: 'dictionary', unitNormAtoms: true },
  readouts: (p) => Array.from({ length: p.iterations }, (_, i) => [`lambda${i + 1}`, `step${i + 1}`]).flat(),
  inferShape(p, inputs, ctx) {
    const g = codeGeometry(inputs, p.layout, ctx, this.title);
    if (isDiagnostic(g)) return fail(g);
    const x = inputs.in[0];
    const cm = g.dim * p.atoms;
    return ok(
      {
        code: { kind: 'code', shape: [...g.outer, p.atoms] },
        reconstruction: { kind: x.kind === 'vector' ? 'vector' : 'map', shape: x.shape },
      },
      { trainable: (p.encoder === 'free' ? 2 : 1) * cm + 1, fixed: 1 },
    );
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const { dim: c, outer } = geometryOf(inputs.in[0], p.layout);
    const m = p.atoms;
    const D0 = Float32Array.from(randomDictionary(ctx.random, c, m));
    const dict = ctx.variable('dictionary', [c, m], () => tf.tensor2d(D0, [c, m]), {
      trainable: true,
      role: 'dictionary',
    });
    const free =
      p.encoder === 'free'
        ? ctx.variable('encoder', [c, m], () => tf.tensor2d(D0, [c, m]), { trainable: true, role: 'weight' })
        : null;
    const lambdaStar = ctx.variable('lambda_star', [], () => tf.scalar(p.lambdaStar), {
      trainable: true,
      role: 'threshold',
    });
    // 0 means "not measured yet"; a lambda0 param fixes it for good.
    const lambda0 = ctx.variable('lambda0', [], () => tf.scalar(p.lambda0), { trainable: false, role: 'threshold' });
    const N = p.iterations;
    return {
      apply: (ins, mode) => {
        const x = toRows(tf, ins.in[0], c);
        const Dn = tf.div(dict, tf.maximum(tf.norm(dict, 2, 0, true), EPS));
        let W: Tensor = Dn;
        if (free) {
          const inner = tf.sum(tf.mul(free, Dn), 0, true);
          W = tf.div(free, tf.where(tf.greaterEqual(tf.abs(inner), EPS), inner, tf.fill(inner.shape, EPS)));
        }
        const drive = matMul(tf, x, W); // Wᵀx for each row
        const measured = tf.mean(tf.max(tf.abs(drive), 1));
        const known = tf.greater(lambda0, 0);
        // Once measured, λ₀ is a non-trainable variable, so no gradient reaches it.
        const l0 = tf.where(known, lambda0, measured);
        if (mode.training && p.lambda0 === 0) lambda0.assign(l0 as never);
        // Keep λ* positive for the fractional power; its gradient still flows.
        const ls = tf.maximum(lambdaStar, 1e-6);
        let z: Tensor | null = null;
        for (let n = 1; n <= N; n++) {
          const t = n / N;
          const lam = tf.mul(tf.pow(l0, 1 - t), tf.pow(ls, t));
          ctx.readout(`lambda${n}`, lam);
          const v: Tensor = z ? tf.add(z, matMul(tf, tf.sub(x, matMul(tf, z, Dn, false, true)), W)) : drive;
          z = tf.relu(tf.sub(v, lam));
          ctx.readout(`step${n}`, fromRows(tf, z, outer, m));
        }
        const recon = matMul(tf, z!, Dn, false, true);
        return { code: fromRows(tf, z!, outer, m), reconstruction: tf.reshape(recon, ins.in[0].shape) };
      },
    };
  },
});
