import { defineNode } from '../types';
import { fail, isDiagnostic, ok, one, product } from '../shapes';
import { flattenPytorch, flattenOnnx } from './flatten.export';

export const Flatten = defineNode({
  type: 'Flatten',
  version: 1,
  pytorch: flattenPytorch,
  onnx: flattenOnnx,
  title: 'Flatten',
  category: 'Structure',
  doc: {
    summary: 'Lays a feature map out as one long vector.',
    formula: '[H, W, C] → [H·W·C]',
    intuition:
      'Dense layers see a list of numbers, not an image. Flatten keeps every value and forgets the grid, so it usually comes right before the classifier.',
  },
  inputs: [{ name: 'in', kinds: ['map', 'complex', 'code', 'vector'], doc: 'Any tensor.' }],
  outputs: [{ name: 'out', kinds: ['vector'], doc: 'A vector.' }],
  params: {},
  keepsChannels: true,
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    return ok({ out: { kind: 'vector', shape: [product(x.shape)] } });
  },
  lower({ ctx }) {
    return {
      apply: (ins) => {
        const x = ins.in[0];
        return { out: ctx.tf.reshape(x, [x.shape[0], -1]) };
      },
    };
  },
});
