import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectKind, expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { morletWindows } from './filters';
import { reflectPad2d } from './reflect-pad-ops';
import { filterSpectrum, forward2d, fromComplexPlanes, inverse2dAt, toPlanes } from './spectral-ops';
import { isProblem, paramProblems, waveletGeometry } from './wavelet-geometry';
import { waveletConvPytorch, waveletConvOnnx } from './wavelet-conv.export';
import { compactCircularConv, compactConvolution } from './compact-conv-ops';
import { fixedFilterFastPath, fixedWaveletConv } from './fixed-filter-ops';
import { fixedWaveletPlan, type FixedWaveletPlan } from './fixed-filter-plans';
import type { TF, Tensor } from '../types';

/** [B C, h, w, 2F] (per plane: F real parts, F imaginary) -> [B, h, w, 2 C F] (all real parts, then all imaginary). */
function complexChannels(tf: TF, y: Tensor, C: number, F: number): Tensor {
  const [, h, w] = y.shape as number[];
  if (C === 1) return y;
  const t = tf.transpose(tf.reshape(y, [-1, C, h * w, 2, F]), [0, 2, 3, 1, 4]);
  return tf.reshape(t, [-1, h, w, 2 * C * F]);
}

const plans = new Map<string, FixedWaveletPlan>();

export const WAVELET_MODES = ['wired', 'learned-from-wavelets', 'learned-from-noise'] as const;

export const WaveletConv = defineNode({
  type: 'WaveletConv',
  version: 1,
  pytorch: waveletConvPytorch,
  onnx: waveletConvOnnx,
  title: 'Wavelet convolution',
  category: 'Wavelets',
  doc: {
    summary: 'A bank of complex Morlet wavelets (J scales × L orientations), wired or learned.',
    formula:
      'y_{j,l} = x ⊛ ψ_{j,l} (circular convolution on the padded grid), ψ = g_ξ − K g_0 with g_ξ(u) ∝ exp(−uᵀAu + iξ⟨u, e_θ⟩), σ_j = 0.8·2^j, ξ_j = 3π/(4·2^j), θ_l = (⌊L − L/2 − 1⌋ − l)π/L',
    intuition:
      'Each wavelet is a small oscillating ripple inside a Gaussian bump: it responds to edges and textures of one size (the scale j) and one direction (the orientation l). The response is complex: its real and imaginary parts are the ripple at two phases, so their modulus tells how much of that pattern is there regardless of its exact position. "Wired" keeps Kymatio\'s Morlet filters frozen; the learned modes let training change them, starting from the wavelets or from noise, so you can see whether learning rediscovers wavelets.',
    reference:
      'Mallat, "Group invariant scattering" (2012); Bruna & Mallat (2013); Andreux et al., "Kymatio" (JMLR 2020).',
  },
  inputs: [
    { name: 'in', kinds: ['map'], doc: 'Real feature map [H, W, C]; every channel is filtered by the same bank.' },
  ],
  outputs: [
    {
      name: 'out',
      kinds: ['complex'],
      doc: 'Complex map [h, w, 2·C·F]: C·F real parts (channel-major, then scale, then orientation), then the C·F imaginary parts.',
    },
  ],
  params: {
    J: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 7,
      help: 'Number of scales of the bank (the scattering J): scales 0..J−1; the padding rule also depends on it.',
      main: true,
    },
    L: {
      kind: 'int',
      default: 8,
      min: 1,
      max: 16,
      help: 'Number of orientations, spread over half a turn.',
      main: true,
    },
    scale: {
      kind: 'enum',
      default: 'all',
      options: ['all', '0', '1', '2', '3', '4', '5', '6'],
      help: 'Filter with every scale, or with one scale j only.',
      main: true,
    },
    mode: {
      kind: 'enum',
      default: 'wired',
      options: WAVELET_MODES,
      help: 'wired: frozen Morlet filters; learned-from-wavelets: trainable, starting as Morlet; learned-from-noise: trainable, starting as Gaussian noise of the same energy.',
      main: true,
    },
    padding: {
      kind: 'enum',
      default: 'reflect',
      options: ['reflect', 'circular'],
      help: "reflect: mirror-pad the image to Kymatio's padded size, convolve, and keep the image area. circular: the input already is a periodic (padded) grid; keep all of it.",
    },
    resolution: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 6,
      help: 'Circular padding only: the input was subsampled by 2^resolution (a first-order wavelet output), so the filters are taken at that resolution.',
    },
    subsample: {
      kind: 'bool',
      default: false,
      help: 'Keep every 2^(j − resolution)-th sample, as the scattering transform does (needs one scale).',
    },
    support: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 257,
      help: "Side of each filter's spatial window in taps; 0 uses the whole padded grid (exact Morlet filters).",
    },
  },
  checkParams(p, ctx) {
    return paramProblems(p).map((q) =>
      diag('bad-param', q.message, { nodeId: ctx.nodeId, param: q.param, fix: q.fix }),
    );
  },
  learnedFilters: { structure: 'morlet-bank', real: 'psi_real', imag: 'psi_imag', modeParam: 'mode' },
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
        'Wavelets filter real maps; take the Modulus (or a Rectifier) of a complex map first.',
      ) ?? expectRank(x, 3, ctx, this.title, 'in', 'Feed an image-like map [H, W, C], before any Flatten.');
    if (bad) return fail(bad);
    const [H, W, C] = x.shape;
    const g = waveletGeometry(p, H, W);
    if (isProblem(g)) {
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
    const stored = 2 * g.Sh * g.Sw * g.filters;
    const count = p.mode === 'wired' ? { trainable: 0, fixed: stored } : { trainable: stored, fixed: 0 };
    return ok({ out: { kind: 'complex', shape: [g.rows.length, g.cols.length, 2 * C * g.filters] } }, count);
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const [H, W, C] = inputs.in[0].shape;
    const g = waveletGeometry(p, H, W);
    if (isProblem(g)) throw new Error(g.message);
    const { Sh, Sw, filters: F } = g;
    const shape = [Sh, Sw, F];
    const bank = morletWindows(g.M, g.N, p.J, p.L, g.scales, g.r, Sh, Sw);
    const trainable = p.mode !== 'wired';
    const init = (part: 're' | 'im') => () => {
      if (p.mode !== 'learned-from-noise') return tf.tensor3d(bank[part], [Sh, Sw, F]);
      // noise with each wavelet's energy, so the output keeps the same scale
      const std = tf.tensor1d(bank.energy.map((e) => Math.sqrt(e / (2 * Sh * Sw))));
      return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', ctx.random.seed()), std);
    };
    const re = ctx.variable('psi_real', shape, init('re'), { trainable, role: 'filter-real' });
    const im = ctx.variable('psi_imag', shape, init('im'), { trainable, role: 'filter-imag' });
    // Compact filters: one strided spatial convolution (compact-conv-ops.ts), far
    // cheaper than the DFT matrices and their gradients; whole-grid filters: the DFTs.
    const compact = compactConvolution.enabled && Sh === Sw && Sh < g.gridH && Sw < g.gridW;
    const nativeGrad = ctx.backend === 'webgpu' || ctx.backend === 'webgl';
    // Wired whole-grid filters that subsample (every wavelet of a scattering network but
    // the finest): fixed matrices, built once (fixed-filter-plans.ts). A bank that keeps
    // every sample stays on the DFT path of the learned modes, so that learned-from-wavelets
    // starts from exactly the wired numbers there.
    let plan: FixedWaveletPlan | undefined;
    const subsamples = g.rows.length > 1 && g.rows[1] - g.rows[0] > 1;
    if (!trainable && !compact && subsamples && fixedFilterFastPath.enabled) {
      const key = `${g.M}x${g.N}:${p.J}:${p.L}:${g.scales}:${g.r}:${Sh}x${Sw}:${g.gridH}x${g.gridW}:${g.rows}:${g.cols}`;
      plan = plans.get(key) ?? fixedWaveletPlan(bank, Sh, Sw, F, g);
      plans.delete(key);
      plans.set(key, plan);
      // a few megabytes each: keep the most recently used geometries only
      if (plans.size > 16) plans.delete(plans.keys().next().value!);
    }
    // Frozen filters: their spectra are the same at every call (synthesis calls the
    // graph hundreds of times on one image), so they are kept until the variables'
    // values change (loaded weights assign new data).
    let kept: { re: object; im: object; S: { re: Tensor; im: Tensor } } | null = null;
    const spectrum = () => {
      const make = () =>
        filterSpectrum(tf, { re: tf.transpose(re, [2, 0, 1]), im: tf.transpose(im, [2, 0, 1]) }, g.gridH, g.gridW);
      if (trainable) return make();
      if (kept && kept.re === re.dataId && kept.im === im.dataId) return kept.S;
      release();
      const [sr, si] = tf.tidy(() => {
        const S = make();
        return [S.re, S.im];
      });
      kept = { re: re.dataId, im: im.dataId, S: { re: tf.keep(sr), im: tf.keep(si) } };
      return kept.S;
    };
    const release = () => {
      kept?.S.re.dispose();
      kept?.S.im.dispose();
      kept = null;
    };
    return {
      dispose: release,
      apply: (ins) => {
        const x = ins.in[0];
        const xp = g.pad ? reflectPad2d(tf, x, g.gridH, g.gridW, g.pad.top, g.pad.left) : x;
        if (plan) return { out: fixedWaveletConv(tf, xp, plan) };
        if (compact) {
          const planes = tf.expandDims(toPlanes(tf, xp), 3);
          const y = compactCircularConv(tf, planes, re, im, g, { nativeGrad, inputGrad: ctx.inputsNeedGradient });
          return { out: complexChannels(tf, y, C, F) };
        }
        const X = forward2d(tf, toPlanes(tf, xp)); // [B C, Wg, Hg]
        const S = spectrum();
        const xr = tf.expandDims(X.re, 1);
        const xi = tf.expandDims(X.im, 1);
        const Y = {
          re: tf.sub(tf.mul(xr, S.re), tf.mul(xi, S.im)),
          im: tf.add(tf.mul(xr, S.im), tf.mul(xi, S.re)),
        }; // [B C, F, Wg, Hg]
        const Z = inverse2dAt(tf, Y, g.gridH, g.gridW, g.rows, g.cols, false);
        return { out: fromComplexPlanes(tf, Z, C * F) };
      },
    };
  },
});
