import { defineNode } from '../types';
import { matMul } from '../math/matmul-ops';
import { fail, isDiagnostic, ok, one } from '../shapes';
import { seededRandom } from '../math/random';
import { paramError, toRows } from './layout';
import { randomFeaturePytorch, randomFeatureOnnx } from './random-feature.export';

/** The fixed Gaussian G (N × r, row-major) a RandomFeature layer draws from its seed. */
export function drawNoise(seed: number, width: number, rank: number): Float32Array {
  const rng = seededRandom(seed);
  const G = new Float32Array(width * rank);
  for (let i = 0; i < G.length; i++) G[i] = rng.normal();
  return G;
}

export const RandomFeature = defineNode({
  type: 'RandomFeature',
  version: 1,
  pytorch: randomFeaturePytorch,
  onnx: randomFeatureOnnx,
  title: 'Random features (learned covariance)',
  category: 'Learned layers',
  widthParam: 'width',
  doc: {
    summary: 'A dense or 1 × 1 convolution layer whose weights are Gaussian noise shaped by a learned covariance.',
    formula:
      'W = G Q,  G ∈ ℝ^{N × r} fixed standard Gaussian (from the seed),  Q ∈ ℝ^{r × D} learned;  each row w_i ~ N(0, C), C = QᵀQ;  y = σ(W x + b)',
    intuition:
      "Trained networks keep weights that look like random draws, but from a covariance that learning has shaped: a few directions matter, most do not. This layer makes that explicit: only the covariance factor Q is learned; the N neurons are N fixed random vectors G pushed through Q. Redrawing G (the resample action) gives a new network from the same covariance, and with enough neurons it classifies about as well as the trained one. The rank r limits how many directions the covariance can have. On a vector it is a dense layer; on a map it acts on each pixel's channels like a 1 × 1 convolution.",
    reference: 'Guth, Ménard, Rochette & Mallat, "A rainbow in deep network black boxes" (2023).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'vector', 'code'], doc: 'Vector [D], or map [H, W, D] (acts per pixel).' }],
  outputs: [{ name: 'out', kinds: ['map', 'vector'], doc: 'Vector [N], or map [H, W, N].' }],
  params: {
    width: {
      kind: 'int',
      default: 512,
      min: 1,
      max: 65536,
      help: 'Number of neurons N (output channels).',
      main: true,
    },
    rank: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 65536,
      help: 'Rank r of the covariance factor Q (r × D); 0 means r = D.',
      main: true,
    },
    seed: {
      kind: 'int',
      default: 1,
      min: 0,
      max: 2147483647,
      help: 'Seed of the fixed Gaussian G; a new seed is a new draw from the same covariance.',
    },
    nonlinearity: {
      kind: 'enum',
      default: 'relu',
      options: ['relu', 'none', 'abs'],
      help: 'Applied after the linear map.',
    },
    bias: { kind: 'bool', default: true, help: 'Add a learned bias per neuron.' },
  },
  inputWeight: { variable: 'factor', layout: 'covariance-factor' },
  redraw: { kind: 'new-seed', seedParam: 'seed' },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    if (x.shape.length !== 1 && x.shape.length !== 3) {
      return fail(
        paramError(
          ctx,
          this.title,
          'in',
          `takes a vector [D] or a map [H, W, D], not a rank-${x.shape.length} tensor.`,
          'Insert a Flatten, or feed a map.',
        ),
      );
    }
    const d = x.shape[x.shape.length - 1];
    const r = p.rank || d;
    if (r > d) {
      return fail(
        paramError(
          ctx,
          this.title,
          'rank',
          `rank is ${p.rank}, but the input has only D = ${d} ${x.shape.length === 3 ? 'channels' : 'features'}: the covariance QᵀQ of a D-dimensional input has rank at most D, so Q (rank × D) can have at most D rows.`,
          `Set rank to at most ${d}, or 0 for r = D.`,
        ),
      );
    }
    const outShape = x.shape.length === 3 ? [x.shape[0], x.shape[1], p.width] : [p.width];
    return ok(
      { out: { kind: x.shape.length === 3 ? 'map' : 'vector', shape: outShape } },
      { trainable: r * d + (p.bias ? p.width : 0), fixed: p.width * r },
    );
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const shape = inputs.in[0].shape;
    const d = shape[shape.length - 1];
    const r = p.rank || d;
    const n = p.width;
    const noise = ctx.variable('noise', [n, r], () => tf.tensor2d(drawNoise(p.seed, n, r), [n, r]), {
      trainable: false,
      role: 'noise',
    });
    // E[QᵀQ] = (gain / D) I: the He (ReLU, |.|) or LeCun (linear) variance per weight.
    const gain = p.nonlinearity === 'none' ? 1 : 2;
    const std = Math.sqrt(gain / (d * r));
    const factor = ctx.variable(
      'factor',
      [r, d],
      () => tf.mul(tf.randomNormal([r, d], 0, 1, 'float32', ctx.random.seed()), std),
      {
        trainable: true,
        role: 'covariance-factor',
      },
    );
    const b = p.bias ? ctx.variable('bias', [n], () => tf.zeros([n]), { trainable: true, role: 'bias' }) : null;
    const outer = shape.slice(0, -1);
    return {
      apply: (ins) => {
        const x = toRows(tf, ins.in[0], d);
        // x Wᵀ = (x Qᵀ) Gᵀ: never forms W, and costs r (D + N) per row instead of N D.
        // The fixed noise needs no gradient, and the input's gradient through a product
        // with a transposed right operand is a plain product, so tf.matMul is right there.
        let y = tf.matMul(matMul(tf, x, factor, false, true), noise, false, true);
        if (b) y = tf.add(y, b);
        if (p.nonlinearity === 'relu') y = tf.relu(y);
        else if (p.nonlinearity === 'abs') y = tf.abs(y);
        return { out: tf.reshape(y, [-1, ...outer, n]) };
      },
    };
  },
});
