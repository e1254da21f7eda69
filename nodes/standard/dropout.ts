import { defineNode, type PortKind } from '../types';
import { fail, isDiagnostic, ok, one } from '../shapes';
import { dropoutPytorch, dropoutOnnx } from './dropout.export';

const kinds: PortKind[] = ['map', 'vector', 'code'];

export const Dropout = defineNode({
  type: 'Dropout',
  version: 1,
  pytorch: dropoutPytorch,
  onnx: dropoutOnnx,
  title: 'Dropout',
  category: 'Normalization',
  doc: {
    summary: 'During training, zeroes a random fraction of the values.',
    formula: 'y = m ⊙ x / (1 − r),  m_i ~ Bernoulli(1 − r) while training;  y = x at test time',
    intuition:
      'Randomly silencing units stops the network from relying on any single one, a cheap way to reduce overfitting. It does nothing when the network is evaluated.',
    reference: 'Srivastava et al., JMLR (2014).',
  },
  inputs: [{ name: 'in', kinds, doc: 'Any real tensor.' }],
  outputs: [{ name: 'out', kinds, doc: 'Same shape.' }],
  params: {
    rate: {
      kind: 'number',
      default: 0.5,
      min: 0,
      max: 0.95,
      help: 'Fraction r of values dropped while training.',
      main: true,
    },
  },
  differsInTraining: true,
  keepsChannels: true,
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    return isDiagnostic(x) ? fail(x) : ok({ out: x });
  },
  lower({ params: p, ctx }) {
    const base = ctx.random.seed();
    return {
      apply: (ins, mode) => {
        const x = ins.in[0];
        if (!mode.training || p.rate === 0) return { out: x };
        return { out: ctx.tf.dropout(x, p.rate, undefined, (base + mode.step * 7919) % 2147483647) };
      },
    };
  },
});
