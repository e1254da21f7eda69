import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { padBefore, padSize } from '../math/filter-bank';
import { reflectPad2d } from './reflect-pad-ops';
import { reflectPadPytorch, reflectPadOnnx } from './reflect-pad.export';

export const ReflectPad = defineNode({
  type: 'ReflectPad',
  version: 1,
  pytorch: reflectPadPytorch,
  onnx: reflectPadOnnx,
  title: 'Reflect padding',
  category: 'Wavelets',
  doc: {
    summary: 'Mirror-pads the image to the periodic grid a scattering transform with J scales works on.',
    formula:
      'side n → 2^J (⌊(n + 2^J) / 2^J⌋ + 1), (padded − n) // 2 mirrored samples before, the rest after (numpy "reflect")',
    intuition:
      'Wavelet convolutions here are circular: what leaves the image on the right comes back on the left. Mirroring the image into a larger frame puts a smooth continuation there instead, so the borders do not wrap around into each other. The frame is a multiple of 2^J so that every subsampling step lands on whole pixels.',
    reference: 'Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [{ name: 'in', kinds: ['map'], doc: 'Image or real map [H, W, C].' }],
  outputs: [{ name: 'out', kinds: ['map'], doc: 'Padded map [Hp, Wp, C].' }],
  params: {
    J: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 7,
      help: 'Number of scales of the transform the padding is for.',
      main: true,
    },
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad = expectRank(x, 3, ctx, this.title, 'in', 'Pad an image-like map [H, W, C].');
    if (bad) return fail(bad);
    return ok({ out: { kind: 'map', shape: [padSize(x.shape[0], p.J), padSize(x.shape[1], p.J), x.shape[2]] } });
  },
  lower({ params: p, inputs, ctx }) {
    const [H, W] = inputs.in[0].shape;
    const [Hp, Wp, top, left] = [padSize(H, p.J), padSize(W, p.J), padBefore(H, p.J), padBefore(W, p.J)];
    return { apply: (ins) => ({ out: reflectPad2d(ctx.tf, ins.in[0], Hp, Wp, top, left) }) };
  },
});
