import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { lowPassGeometry } from './wavelet-geometry';
import { phiLevelTransposed } from './filters';
import { reflectPad2d } from './reflect-pad-ops';
import { forward2d, fromPlanes, inverse2dAt, toPlanes } from './spectral-ops';
import { lowPassPytorch, lowPassOnnx } from './low-pass.export';
import { fixedFilterFastPath, separableLowPassApply } from './fixed-filter-ops';
import { separableLowPass } from './fixed-filter-plans';

export const LowPass = defineNode({
  type: 'LowPass',
  version: 1,
  pytorch: lowPassPytorch,
  onnx: lowPassOnnx,
  title: 'Low-pass (Gaussian average)',
  category: 'Wavelets',
  doc: {
    summary: 'Averages with the Gaussian φ_J over 2^J pixels and keeps one sample every 2^J (or every sample).',
    formula:
      'S x(u) = (x ⊛ φ_J)(2^J u),  φ_J Gaussian with σ = 0.8·2^(J−1), circular on the padded grid; unpad drops one coarse sample on each border; band "high": x − x ⊛ φ_J',
    intuition:
      'Averaging over a window of about 2^J pixels makes the result barely change when the image shifts or bends by less than that. After a modulus, the average keeps how much of each pattern there is in each region, which is what the scattering coefficients are: stable summaries that a linear classifier can use.',
    reference: 'Mallat, "Group invariant scattering" (2012); Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [
    {
      name: 'in',
      kinds: ['map', 'complex'],
      doc: 'Map [H, W, C]; every channel is averaged alike (real and imaginary parts too).',
    },
  ],
  outputs: [{ name: 'out', kinds: ['map', 'complex'], doc: 'Averaged and subsampled map, same kind as the input.' }],
  params: {
    J: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 7,
      help: 'Averaging scale: width about 2^J pixels, subsampling by 2^J.',
      main: true,
    },
    padding: {
      kind: 'enum',
      default: 'reflect',
      options: ['reflect', 'circular'],
      help: 'reflect: mirror-pad the image as Kymatio does first. circular: the input already is a periodic padded grid.',
    },
    resolution: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 7,
      help: 'Circular padding only: the input was already subsampled by 2^resolution; the rest of the 2^J is done here.',
    },
    unpad: {
      kind: 'bool',
      default: true,
      help: 'Drop one output sample on each border (the samples that mostly saw padding), as Kymatio does.',
    },
    band: {
      kind: 'enum',
      default: 'low',
      options: ['low', 'high'],
      help: 'low: the average x ⊛ φ_J. high: what the average removes, x − x ⊛ φ_J (circular padding, subsample and unpad off): with J = 1, the finest frequencies, up to the corners of the frequency square that the wavelets barely see.',
    },
    subsample: {
      kind: 'bool',
      default: true,
      help: "Keep one sample every 2^(J − resolution), as scattering does. Off (circular padding only) keeps every position: a periodic field's statistics averaged over all of them, such as the energy of the coarsest scale, then do not depend on where the field starts.",
    },
  },
  checkParams(p, ctx) {
    const g = lowPassGeometry(p, 2 ** 10, 2 ** 10);
    return 'message' in g ? [diag('bad-param', g.message, { nodeId: ctx.nodeId, param: g.param, fix: g.fix })] : [];
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad = expectRank(x, 3, ctx, this.title, 'in', 'Feed an image-like map [H, W, C], before any Flatten.');
    if (bad) return fail(bad);
    const g = lowPassGeometry(p, x.shape[0], x.shape[1]);
    if ('message' in g) {
      return fail(
        diag(g.param ? 'bad-param' : 'shape-mismatch', g.message, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: g.param ? undefined : 'in',
          param: g.param,
          fix: g.fix,
        }),
      );
    }
    return ok({ out: { kind: x.kind, shape: [g.rows.length, g.cols.length, x.shape[2]] } });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const [H, W, C] = inputs.in[0].shape;
    const g = lowPassGeometry(p, H, W);
    if ('message' in g) throw new Error(g.message);
    const phi64 = phiLevelTransposed(g.M, g.N, p.J, g.r);
    const phi = Float32Array.from(phi64);
    // Kymatio's Gaussian is separable: two small real matrices instead of 2D DFTs.
    const separable = fixedFilterFastPath.enabled ? separableLowPass(phi64, g) : undefined;
    return {
      apply: (ins) => {
        const x = ins.in[0];
        const xp = g.pad ? reflectPad2d(tf, x, g.gridH, g.gridW, g.pad.top, g.pad.left) : x;
        const low = () => {
          if (separable) return separableLowPassApply(tf, xp, separable);
          const X = forward2d(tf, toPlanes(tf, xp)); // [B C, Wg, Hg]
          const f = tf.tensor2d(phi, [g.gridW, g.gridH]);
          const y = inverse2dAt(
            tf,
            { re: tf.mul(X.re, f), im: tf.mul(X.im, f) },
            g.gridH,
            g.gridW,
            g.rows,
            g.cols,
            true,
          );
          return fromPlanes(tf, y, C);
        };
        // the geometry allows the high band only where the output grid is the input's
        return { out: p.band === 'high' ? tf.sub(xp, low()) : low() };
      },
    };
  },
});
