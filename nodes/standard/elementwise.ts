import { defineNode, type PortKind } from '../types';
import { fail, isDiagnostic, ok, one } from '../shapes';
import { reluPytorch, reluOnnx, absPytorch, absOnnx } from './elementwise.export';

const kinds: PortKind[] = ['map', 'vector', 'code'];

export const ReLU = defineNode({
  type: 'ReLU',
  version: 1,
  pytorch: reluPytorch,
  onnx: reluOnnx,
  title: 'ReLU',
  category: 'Nonlinearities',
  doc: {
    summary: 'Keeps positive values, sets negative ones to zero.',
    formula: 'ReLU(x) = max(x, 0), element by element',
    intuition:
      'A rectifier lets a unit say "this pattern is present" (positive) and stay silent otherwise. Without a non-linearity, a stack of linear layers is still one linear map. With a bias before it, ReLU(v − τ) is exactly the thresholding step of sparse coding.',
    reference: 'Nair & Hinton (2010); Mallat, "Understanding deep convolutional networks" (2016).',
  },
  inputs: [{ name: 'in', kinds, doc: 'Any real tensor.' }],
  outputs: [{ name: 'out', kinds, doc: 'Same shape as the input.' }],
  params: {},
  keepsChannels: true,
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    return isDiagnostic(x) ? fail(x) : ok({ out: x });
  },
  lower({ ctx }) {
    return { apply: (inputs) => ({ out: ctx.tf.relu(inputs.in[0]) }) };
  },
});

export const Abs = defineNode({
  type: 'Abs',
  version: 1,
  pytorch: absPytorch,
  onnx: absOnnx,
  title: 'Absolute value',
  category: 'Nonlinearities',
  doc: {
    summary: 'Replaces each value by its magnitude.',
    formula: '|x|, element by element',
    intuition:
      'The absolute value forgets the sign, the real-valued cousin of the complex modulus: an oscillating response becomes a positive envelope, which is what averaging can then make stable.',
    reference: 'Mallat, "Group invariant scattering" (2012).',
  },
  inputs: [{ name: 'in', kinds, doc: 'Any real tensor.' }],
  outputs: [{ name: 'out', kinds, doc: 'Same shape as the input.' }],
  params: {},
  keepsChannels: true,
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    return isDiagnostic(x) ? fail(x) : ok({ out: x });
  },
  lower({ ctx }) {
    return { apply: (inputs) => ({ out: ctx.tf.abs(inputs.in[0]) }) };
  },
});
