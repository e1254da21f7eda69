import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { padBefore, padSize } from '../math/filter-bank';
import { range } from './dft-matrices';
import type { SpectralGrid } from './wavelet-geometry';
import { phiLevelTransposed } from './filters';
import { reflectPad2d } from './reflect-pad-ops';
import { forward2d, fromPlanes, inverse2dAt, toPlanes } from './spectral-ops';
import { lowPassPytorch, lowPassOnnx } from './low-pass.export';

type LowPassGeometry = SpectralGrid;

/** Grid, filter level and kept samples for an H x W input, or a problem. */
export function lowPassGeometry(p: { J: number; padding: string; resolution: number; unpad: boolean }, H: number, W: number): LowPassGeometry | { message: string; fix: string; param?: string } {
  if (p.padding === 'reflect' && p.resolution !== 0) {
    return { param: 'resolution', message: 'a resolution level above 0 needs an input that is already padded and subsampled.', fix: 'Set padding to "circular", or resolution to 0.' };
  }
  if (p.resolution > p.J) return { param: 'resolution', message: `resolution ${p.resolution} is coarser than the averaging scale J = ${p.J}.`, fix: `Use a resolution of at most ${p.J}.` };
  const r = p.resolution;
  const step = 2 ** (p.J - r);
  let M: number, N: number, gridH: number, gridW: number, pad: LowPassGeometry['pad'];
  if (p.padding === 'reflect') {
    M = gridH = padSize(H, p.J);
    N = gridW = padSize(W, p.J);
    pad = { top: padBefore(H, p.J), left: padBefore(W, p.J) };
  } else {
    if (H % step !== 0 || W % step !== 0) {
      return {
        message: `with padding "circular" at resolution ${r}, the ${H} x ${W} input must be a multiple of 2^(J - resolution) = ${step} on each side.`,
        fix: 'Feed a map on the padded grid (after a Reflect padding node with the same J), or use padding "reflect".',
      };
    }
    gridH = H; gridW = W; M = H << r; N = W << r;
  }
  const drop = p.unpad ? 1 : 0;
  const rows = range(gridH / step - 2 * drop, drop * step, step);
  const cols = range(gridW / step - 2 * drop, drop * step, step);
  if (rows.length < 1 || cols.length < 1) {
    return { message: `nothing is left of the ${H} x ${W} input after subsampling by ${step} and unpadding.`, fix: 'Lower J, or turn unpad off.' };
  }
  return { M, N, gridH, gridW, r, pad, rows, cols };
}

export const LowPass = defineNode({
  type: 'LowPass',
  version: 1,
  pytorch: lowPassPytorch,
  onnx: lowPassOnnx,
  title: 'Low-pass (Gaussian average)',
  category: 'Wavelets',
  doc: {
    summary: 'Averages with the Gaussian φ_J over 2^J pixels and keeps one sample every 2^J.',
    formula: 'S x(u) = (x ⊛ φ_J)(2^J u),  φ_J Gaussian with σ = 0.8·2^(J−1), circular on the padded grid; unpad drops one coarse sample on each border',
    intuition:
      'Averaging over a window of about 2^J pixels makes the result barely change when the image shifts or bends by less than that. After a modulus, the average keeps how much of each pattern there is in each region, which is what the scattering coefficients are: stable summaries that a linear classifier can use.',
    reference: 'Mallat, "Group invariant scattering" (2012); Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'complex'], doc: 'Map [H, W, C]; every channel is averaged alike (real and imaginary parts too).' }],
  outputs: [{ name: 'out', kinds: ['map', 'complex'], doc: 'Averaged and subsampled map, same kind as the input.' }],
  params: {
    J: { kind: 'int', default: 2, min: 1, max: 7, help: 'Averaging scale: width about 2^J pixels, subsampling by 2^J.', main: true },
    padding: { kind: 'enum', default: 'reflect', options: ['reflect', 'circular'], help: 'reflect: mirror-pad the image as Kymatio does first. circular: the input already is a periodic padded grid.' },
    resolution: { kind: 'int', default: 0, min: 0, max: 7, help: 'Circular padding only: the input was already subsampled by 2^resolution; the rest of the 2^J is done here.' },
    unpad: { kind: 'bool', default: true, help: 'Drop one output sample on each border (the samples that mostly saw padding), as Kymatio does.' },
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
      return fail(diag(g.param ? 'bad-param' : 'shape-mismatch', g.message, { nodeId: ctx.nodeId, nodeTitle: this.title, port: g.param ? undefined : 'in', param: g.param, fix: g.fix }));
    }
    return ok({ out: { kind: x.kind, shape: [g.rows.length, g.cols.length, x.shape[2]] } });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const [H, W, C] = inputs.in[0].shape;
    const g = lowPassGeometry(p, H, W);
    if ('message' in g) throw new Error(g.message);
    const phi = Float32Array.from(phiLevelTransposed(g.M, g.N, p.J, g.r));
    return {
      apply: (ins) => {
        const x = ins.in[0];
        const xp = g.pad ? reflectPad2d(tf, x, g.gridH, g.gridW, g.pad.top, g.pad.left) : x;
        const X = forward2d(tf, toPlanes(tf, xp)); // [B C, Wg, Hg]
        const f = tf.tensor2d(phi, [g.gridW, g.gridH]);
        const y = inverse2dAt(tf, { re: tf.mul(X.re, f), im: tf.mul(X.im, f) }, g.gridH, g.gridW, g.rows, g.cols, true);
        return { out: fromPlanes(tf, y, C) };
      },
    };
  },
});
