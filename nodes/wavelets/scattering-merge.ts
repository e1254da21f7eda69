import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { fail, ok, shapeText } from '../shapes';
import { blockChannels, kymatioPermutation, runsOf, scatterBlocks } from './scattering-order';
import { scatteringMergePytorch, scatteringMergeOnnx } from './scattering-merge.export';
import { matMulConst } from '../math/matmul-ops';

export const ScatteringMerge = defineNode({
  type: 'ScatteringMerge',
  version: 1,
  pytorch: scatteringMergePytorch,
  onnx: scatteringMergeOnnx,
  title: 'Scattering channels',
  category: 'Wavelets',
  doc: {
    summary: "Gathers the order-0, 1 and 2 scattering blocks into Kymatio's channel order.",
    formula:
      'inputs S0, S1[j1] (j1 = 0..J−1), S2[j1, j2] (j1 < j2) → channels per input channel c: S0; S1 by (j1, l1); S2 by (j1, l1, j2, l2)',
    intuition:
      'Each branch of an expanded scattering transform ends in its own low-pass. This node lines their outputs up in the order Kymatio uses, so the expanded graph gives exactly the numbers of the single Scattering 2D node and of Kymatio.',
    reference: 'Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [
    {
      name: 'in',
      kinds: ['map'],
      multi: true,
      doc: 'The blocks, in the order of their edge ids: S0, then S1 by j1, then S2 by (j1, j2).',
    },
  ],
  outputs: [{ name: 'out', kinds: ['map'], doc: 'Scattering coefficients [h, w, C·K].' }],
  params: {
    // expansions always write these; the smallest transform is the default
    J: { kind: 'int', default: 1, min: 1, max: 7, help: 'Number of scales of the transform.', main: true },
    L: { kind: 'int', default: 1, min: 1, max: 16, help: 'Number of orientations.', main: true },
    maxOrder: { kind: 'int', default: 1, min: 1, max: 2, help: 'Highest scattering order (1 or 2).' },
  },
  inferShape(p, inputs, ctx) {
    const xs = inputs.in ?? [];
    const blocks = scatterBlocks(p.J, p.maxOrder);
    const where = { nodeId: ctx.nodeId, nodeTitle: this.title, port: 'in' };
    if (xs.length !== blocks.length) {
      return fail(
        diag(
          xs.length === 0 ? 'unconnected-input' : 'shape-mismatch',
          `expects ${blocks.length} blocks for J = ${p.J}, order ${p.maxOrder}, but ${xs.length} are connected.`,
          {
            ...where,
            fix: 'Connect S0, each S1[j1] and each S2[j1, j2] low-pass output, in that order.',
          },
        ),
      );
    }
    const first = xs[0];
    if (first.shape.length !== 3) {
      return fail(
        diag('shape-mismatch', `block 1 is ${shapeText(first)}; expected a map [h, w, C].`, {
          ...where,
          fix: 'Connect low-pass outputs.',
        }),
      );
    }
    const [h, w, C] = first.shape;
    for (let i = 0; i < blocks.length; i++) {
      const want = [h, w, blockChannels(blocks[i], C, p.L)];
      if (xs[i].shape.join() !== want.join()) {
        return fail(
          diag('shape-mismatch', `block ${i + 1} is ${shapeText(xs[i])}, expected map [${want.join(' x ')}].`, {
            ...where,
            fix: 'Connect the blocks in order S0, S1[j1], S2[j1, j2], all low-passed to the same size.',
          }),
        );
      }
    }
    return ok({ out: { kind: 'map', shape: [h, w, blocks.reduce((s, b) => s + blockChannels(b, C, p.L), 0)] } });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const C = inputs.in[0].shape[2];
    const perm = kymatioPermutation(p.J, p.L, p.maxOrder, C);
    const widths = inputs.in.map((s) => s.shape[2]);
    if (widths.length === 1 && runsOf(perm).length === 1) return { apply: (ins) => ({ out: ins.in[0] }) };
    // Each block is placed by a 0/1 matrix product (exact: one term per output is not
    // zero) rather than by a concatenation and slices, whose gradients split the channel
    // axis, and a slice on WASM copies the whole tensor it is taken from.
    const total = perm.length;
    let offset = 0;
    const placements = widths.map((n) => {
      const m = new Float32Array(n * total);
      perm.forEach((source, j) => {
        if (source >= offset && source < offset + n) m[(source - offset) * total + j] = 1;
      });
      offset += n;
      return m;
    });
    return {
      apply: (ins) => {
        const [b, h, w] = ins.in[0].shape;
        const parts = ins.in.map((x, i) =>
          matMulConst(tf, tf.reshape(x, [-1, widths[i]]), placements[i], widths[i], total),
        );
        return { out: tf.reshape(parts.length === 1 ? parts[0] : tf.addN(parts), [b, h, w, total]) };
      },
    };
  },
});
