import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectKind, expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { expandScattering2D, scatteringParts } from './expand-scattering';
import { inferFragment, lowerFragment } from './fragment';
import { scatterChannelLast } from './scattering-precompute';
import { scattering2dPytorch, scattering2dOnnx } from './scattering2d.export';

export const Scattering2D = defineNode({
  type: 'Scattering2D',
  version: 1,
  pytorch: scattering2dPytorch,
  onnx: scattering2dOnnx,
  title: 'Scattering 2D',
  category: 'Wavelets',
  doc: {
    summary:
      'The 2D wavelet scattering transform (Kymatio-exact): wired wavelets, modulus and Gaussian averages up to order 2.',
    formula:
      'S0 = x ⊛ φ_J;  S1[j1,l1] = |x ⊛ ψ_{j1,l1}| ⊛ φ_J;  S2[j1,l1,j2,l2] = ||x ⊛ ψ_{j1,l1}| ⊛ ψ_{j2,l2}| ⊛ φ_J (j2 > j1), each subsampled by 2^J; K = 1 + JL + L²J(J−1)/2 channels per input channel',
    intuition:
      'A fixed, non-learned "network" of the same shape as a small CNN: wavelet filters separate the image into scales and orientations, the modulus removes the phase, and the Gaussian average makes the result stable to small shifts and deformations. The second order looks at how the envelope of one wavelet varies at a coarser scale, which captures textures and corners. Expand the node to see and edit its parts.',
    reference:
      'Bruna & Mallat, "Invariant scattering convolution networks" (PAMI 2013); Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [{ name: 'in', kinds: ['map'], doc: 'Image or real map [H, W, C], with 2^J ≤ min(H, W).' }],
  outputs: [
    {
      name: 'out',
      kinds: ['map'],
      doc: "Coefficients [h, w, C·K], input channel c major, then Kymatio's order; h = padded H / 2^J − 2.",
    },
  ],
  params: {
    J: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 7,
      help: 'Number of scales: averaging over about 2^J pixels, output subsampled by 2^J.',
      main: true,
    },
    L: { kind: 'int', default: 8, min: 1, max: 16, help: 'Number of wavelet orientations.', main: true },
    maxOrder: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 2,
      help: 'Highest scattering order: 1 (S0, S1) or 2 (also S2).',
      main: true,
    },
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad =
      expectKind(
        x,
        ['map'],
        ctx,
        this.title,
        'in',
        'Scatter a real image or map; take the Modulus of a complex map first.',
      ) ?? expectRank(x, 3, ctx, this.title, 'in', 'Feed an image-like map [H, W, C], before any Flatten.');
    if (bad) return fail(bad);
    const [H, W] = x.shape;
    if (2 ** p.J > Math.min(H, W)) {
      return fail(
        diag('shape-mismatch', `2^J = ${2 ** p.J} is larger than the smallest side of the ${H} x ${W} input.`, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: `Use J ≤ ${Math.floor(Math.log2(Math.min(H, W)))}, or a larger image.`,
        }),
      );
    }
    const res = inferFragment(expandScattering2D(p), scatteringParts, x);
    if ('diagnostics' in res)
      return fail(...res.diagnostics.map((d) => ({ ...d, nodeId: ctx.nodeId, nodeTitle: this.title })));
    return ok({ out: res.out }, res.paramCount);
  },
  lower({ params: p, inputs, ctx }) {
    const frag = expandScattering2D(p);
    const res = inferFragment(frag, scatteringParts, inputs.in[0]);
    if ('diagnostics' in res) throw new Error(res.diagnostics[0].message);
    const run = lowerFragment(frag, scatteringParts, res, ctx);
    return { apply: (ins, mode) => ({ out: run(ins.in[0], mode) }) };
  },
  precompute(p, input, kernels) {
    return scatterChannelLast(p, input, kernels?.scattering);
  },
  expand(p, input, options) {
    return expandScattering2D(p, input, options);
  },
});
