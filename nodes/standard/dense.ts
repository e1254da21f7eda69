import { defineNode } from '../types';
import { matMul } from '../math/matmul-ops';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { densePytorch, denseOnnx } from './dense.export';

export const Dense = defineNode({
  type: 'Dense',
  version: 1,
  pytorch: densePytorch,
  onnx: denseOnnx,
  title: 'Dense (linear)',
  category: 'Learned layers',
  widthParam: 'units',
  doc: {
    summary: 'A fully connected linear layer: every output sees every input.',
    formula: 'y = W x + b,   W ∈ ℝ^{units × D}',
    intuition:
      'Each output unit is a weighted vote over all input features. As the last layer it is the linear classifier (one unit per class); in the middle, followed by a ReLU, it forms the hidden layer of a perceptron. Its weights, seen as N random vectors, have a covariance that learning shapes.',
    reference: 'Rosenblatt (1958); Guth, Ménard, Rochette & Mallat, rainbow networks (2023).',
  },
  inputs: [{ name: 'in', kinds: ['vector', 'code'], doc: 'A vector [D].' }],
  outputs: [{ name: 'out', kinds: ['vector'], doc: 'A vector [units].' }],
  params: {
    units: {
      kind: 'int',
      default: 10,
      min: 1,
      max: 65536,
      help: 'Number of outputs (one per class for a classifier).',
      main: true,
    },
    init: { kind: 'enum', default: 'glorot', options: ['glorot', 'he'], help: 'Random initialization of the weights.' },
    bias: { kind: 'bool', default: true, help: 'Add a learned bias per output.' },
  },
  inputWeight: { variable: 'kernel', layout: 'units-last' },
  redraw: { kind: 'gaussian-from-weight' },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const r = expectRank(x, 1, ctx, this.title, 'in', 'Insert a Flatten node before this Dense layer.');
    if (r) return fail(r);
    const d = x.shape[0];
    return ok(
      { out: { kind: 'vector', shape: [p.units] } },
      { trainable: d * p.units + (p.bias ? p.units : 0), fixed: 0 },
    );
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const d = inputs.in[0].shape[0];
    const std = p.init === 'he' ? Math.sqrt(2 / d) : Math.sqrt(2 / (d + p.units));
    const w = ctx.variable(
      'kernel',
      [d, p.units],
      () => tf.mul(tf.truncatedNormal([d, p.units], 0, 1, 'float32', ctx.random.seed()), std),
      {
        trainable: true,
        role: 'weight',
      },
    );
    const b = p.bias
      ? ctx.variable('bias', [p.units], () => tf.zeros([p.units]), { trainable: true, role: 'bias' })
      : null;
    return {
      apply: (ins) => {
        const y = matMul(tf, ins.in[0], w);
        return { out: b ? tf.add(y, b) : y };
      },
    };
  },
});
