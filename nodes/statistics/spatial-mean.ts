import { WEIGHT_PARAM } from './moments';
import { meanOver } from './mean-ops';
import { defineNode } from '../types';
import { expectKind, expectRank, fail, isDiagnostic, ok, one } from '../shapes';

export const SpatialMean = defineNode({
  type: 'SpatialMean',
  version: 1,
  title: 'Spatial mean',
  category: 'Statistics',
  doc: {
    summary: 'Averages each channel over all positions: moments E[x], E[x²], … of a stationary field.',
    formula:
      'm_{p,c} = (1 / HW) Σ_u x_c(u)^p for p = 1 … order, output ordered power-major [m_{1,·}, m_{2,·}, …]; normalized: m_{p,c} / m_{2,c}^{p/2}',
    intuition:
      'A stationary field looks alike everywhere, so averaging over positions estimates an expected value from one image. Order 1 on the image gives its mean; orders 2 to 4 describe the histogram of pixel values (spread, asymmetry, heavy tails): Ising spins are all ±1, turbulent vorticity has rare strong vortices. On the modulus of wavelet coefficients, order 1 measures how sparse each scale is. A complex map counts as 2C real channels (real parts, then imaginary parts).',
    reference:
      'Portilla & Simoncelli, "A parametric texture model based on joint statistics of complex wavelet coefficients" (2000).',
  },
  inputs: [
    { name: 'in', kinds: ['map', 'complex'], doc: 'Map [H, W, C] (or complex [H, W, 2C], read as 2C real channels).' },
  ],
  outputs: [{ name: 'out', kinds: ['moments'], doc: 'Vector [order · C] of moments.' }],
  params: {
    weight: WEIGHT_PARAM,
    order: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 4,
      help: 'Highest power averaged: 1 gives the mean only, 4 gives E[x], E[x²], E[x³], E[x⁴].',
      main: true,
    },
    normalize: {
      kind: 'bool',
      default: false,
      help: 'Divide each moment of order p by (E[x²])^(p/2) of its channel, which makes it scale-free: on a modulus |x ⊛ ψ|, E|z| / √E|z|² measures sparsity alike at every scale (√π / 2 ≈ 0.886 for a Gaussian field, lower for sparse ones), where raw means of the fine scales are too small to count in the distance. The order-2 entries become 1.',
    },
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad =
      expectKind(
        x,
        ['map', 'complex'],
        ctx,
        this.title,
        'in',
        'Connect an image or a feature map, before any Flatten.',
      ) ?? expectRank(x, 3, ctx, this.title, 'in', 'Feed a map [H, W, C], before any Flatten.');
    if (bad) return fail(bad);
    return ok({ out: { kind: 'moments', shape: [p.order * x.shape[2]] } });
  },
  lower({ params: p, ctx }) {
    const { tf } = ctx;
    return {
      apply: (ins) => {
        const x = ins.in[0];
        const powers = [];
        let xp = x;
        for (let k = 1; k <= p.order; k++) {
          if (k > 1) xp = tf.mul(xp, x);
          powers.push(meanOver(tf, xp, [1, 2]));
        }
        if (p.normalize) {
          // the floor keeps an all-zero channel (a constant start) from dividing by zero
          const ms = tf.add(p.order >= 2 ? powers[1] : meanOver(tf, tf.square(x), [1, 2]), 1e-12);
          for (let k = 1; k <= p.order; k++) powers[k - 1] = tf.div(powers[k - 1], tf.pow(ms, k / 2));
        }
        return { out: powers.length === 1 ? powers[0] : tf.concat(powers, 1) };
      },
    };
  },
});
