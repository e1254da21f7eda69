import { diag } from '../../document/diagnostics';
import { defineNode, type PortKind } from '../types';
import { fail, ok, shapeText } from '../shapes';
import { addPytorch, addOnnx, concatPytorch, concatOnnx } from './merge.export';

const kinds: PortKind[] = ['map', 'vector', 'code', 'complex'];

export const Add = defineNode({
  type: 'Add',
  version: 1,
  pytorch: addPytorch,
  onnx: addOnnx,
  title: 'Add',
  category: 'Structure',
  doc: {
    summary: 'Sums tensors of the same shape (a residual or skip connection).',
    formula: 'y = x₁ + x₂ + … + x_n',
    intuition:
      'Adding a block’s input to its output lets the block learn only a correction; this is how residual networks stay trainable when deep.',
    reference: 'He et al., "Deep residual learning" (2016).',
  },
  inputs: [{ name: 'in', kinds, doc: 'Two or more tensors of one shape.', multi: true }],
  outputs: [{ name: 'out', kinds, doc: 'Their sum.' }],
  params: {},
  inferShape(_p, inputs, ctx) {
    const xs = inputs.in ?? [];
    if (xs.length < 2) {
      return fail(
        diag('unconnected-input', `needs at least two inputs, has ${xs.length}.`, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: 'Connect two or more tensors of the same shape into "in".',
        }),
      );
    }
    const first = xs[0];
    for (const x of xs.slice(1)) {
      if (x.shape.join() !== first.shape.join()) {
        return fail(
          diag('shape-mismatch', `cannot add ${shapeText(first)} and ${shapeText(x)}: shapes must be equal.`, {
            nodeId: ctx.nodeId,
            nodeTitle: this.title,
            port: 'in',
            fix: 'Make both branches produce the same shape (match channels, strides and pooling).',
          }),
        );
      }
    }
    return ok({ out: first });
  },
  lower({ ctx }) {
    return { apply: (ins) => ({ out: ctx.tf.addN(ins.in) }) };
  },
});

export const Concat = defineNode({
  type: 'Concat',
  version: 1,
  pytorch: concatPytorch,
  onnx: concatOnnx,
  title: 'Concatenate',
  category: 'Structure',
  doc: {
    summary: 'Stacks tensors along the channel (last) axis.',
    formula: 'y = [x₁ | x₂ | … | x_n] along the last axis',
    intuition:
      'Puts several feature sets side by side, for example scattering coefficients of different orders, so the next layer can use all of them. Inputs are taken in the order of their edge ids.',
  },
  inputs: [
    { name: 'in', kinds: ['map', 'vector', 'code'], doc: 'Tensors equal in all but the last axis.', multi: true },
  ],
  outputs: [{ name: 'out', kinds: ['map', 'vector'], doc: 'The stacked tensor.' }],
  params: {},
  inferShape(_p, inputs, ctx) {
    const xs = inputs.in ?? [];
    if (xs.length < 1) {
      return fail(
        diag('unconnected-input', 'has no input.', {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: 'Connect one or more tensors into "in".',
        }),
      );
    }
    const first = xs[0];
    const lead = first.shape.slice(0, -1).join();
    for (const x of xs.slice(1)) {
      if (x.shape.length !== first.shape.length || x.shape.slice(0, -1).join() !== lead) {
        return fail(
          diag(
            'shape-mismatch',
            `cannot stack ${shapeText(first)} with ${shapeText(x)}: all axes but the last must match.`,
            {
              nodeId: ctx.nodeId,
              nodeTitle: this.title,
              port: 'in',
              fix: 'Resize or pool the branches to the same height and width first.',
            },
          ),
        );
      }
    }
    const last = xs.reduce((s, x) => s + x.shape[x.shape.length - 1], 0);
    const kind = first.shape.length === 1 ? 'vector' : 'map';
    return ok({ out: { kind, shape: [...first.shape.slice(0, -1), last] } });
  },
  lower({ ctx }) {
    return { apply: (ins) => ({ out: ins.in.length === 1 ? ins.in[0] : ctx.tf.concat(ins.in, -1) }) };
  },
});
