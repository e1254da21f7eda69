/**
 * Where a wavelet convolution runs and which samples it keeps: the periodic grid it
 * convolves on, the filters' resolution level, and the output rows and columns. Pure;
 * shared by shape inference and lowering so the two always agree.
 */
import { padBefore, padSize } from '../math/filter-bank';
import { range } from './dft-matrices';

export interface WaveletConvParams {
  J: number;
  L: number;
  scale: string;
  mode: string;
  padding: string;
  resolution: number;
  subsample: boolean;
  support: number;
}

/** Where a circular convolution of the scattering family runs, and which samples it keeps. */
export interface SpectralGrid {
  /** Level-0 padded grid (the grid the Morlet bank is designed on). */
  M: number;
  N: number;
  /** Grid the convolution runs on: (M / 2^r) x (N / 2^r). */
  gridH: number;
  gridW: number;
  r: number;
  /** Reflect padding applied first, when padding is 'reflect'. */
  pad?: { top: number; left: number };
  rows: number[];
  cols: number[];
}

export interface WaveletGeometry extends SpectralGrid {
  scales: number[];
  filters: number;
  /** Spatial window of each filter variable. */
  Sh: number;
  Sw: number;
}

/** A problem with the params and input, phrased for a student, plus a fix. */
export interface GeometryProblem {
  message: string;
  fix: string;
  param?: string;
}

/** Scales a node filters with: one j, or every j from the resolution level up to J - 1. */
export function scalesOf(p: { J: number; scale: string; resolution: number }): number[] {
  return p.scale === 'all' ? range(p.J - p.resolution, p.resolution) : [Number(p.scale)];
}

export function paramProblems(p: WaveletConvParams): GeometryProblem[] {
  const out: GeometryProblem[] = [];
  if (p.scale !== 'all' && Number(p.scale) >= p.J) {
    out.push({
      param: 'scale',
      message: `scale ${p.scale} does not exist with J = ${p.J} (scales are 0..${p.J - 1}).`,
      fix: `Pick a scale below ${p.J}, or raise J.`,
    });
  }
  if (p.padding === 'reflect' && p.resolution !== 0) {
    out.push({
      param: 'resolution',
      message: 'a resolution level above 0 only makes sense on a periodic grid that was already padded and subsampled.',
      fix: 'Set padding to "circular", or resolution to 0.',
    });
  }
  if (p.resolution >= p.J) {
    out.push({
      param: 'resolution',
      message: `resolution ${p.resolution} leaves no wavelet scale below J = ${p.J}.`,
      fix: `Use a resolution below ${p.J}.`,
    });
  }
  if (p.scale !== 'all' && Number(p.scale) < p.resolution) {
    out.push({
      param: 'scale',
      message: `scale ${p.scale} is finer than the input's resolution level ${p.resolution}: the input has already lost those frequencies.`,
      fix: `Pick a scale of at least ${p.resolution}.`,
    });
  }
  if (p.subsample && p.scale === 'all') {
    out.push({
      param: 'subsample',
      message: 'subsampling needs one scale: each scale j keeps every 2^j-th sample.',
      fix: 'Pick a single scale, or turn subsample off.',
    });
  }
  return out;
}

/** Geometry for an input of H x W, or the first problem found. */
export function waveletGeometry(p: WaveletConvParams, H: number, W: number): WaveletGeometry | GeometryProblem {
  const first = paramProblems(p)[0];
  if (first) return first;
  const scales = scalesOf(p);
  const r = p.resolution;
  const step = p.subsample ? 2 ** (scales[0] - r) : 1;
  let geo: Omit<WaveletGeometry, 'scales' | 'filters' | 'Sh' | 'Sw'>;
  if (p.padding === 'reflect') {
    const M = padSize(H, p.J);
    const N = padSize(W, p.J);
    const top = padBefore(H, p.J);
    const left = padBefore(W, p.J);
    geo = {
      M,
      N,
      gridH: M,
      gridW: N,
      r: 0,
      pad: { top, left },
      rows: range(Math.ceil(H / step), top, step),
      cols: range(Math.ceil(W / step), left, step),
    };
  } else {
    const unit = 2 ** (p.J - r);
    if (H % unit !== 0 || W % unit !== 0) {
      return {
        message: `with padding "circular" at resolution ${r}, the ${H} x ${W} input must be a multiple of 2^(J - resolution) = ${unit} on each side.`,
        fix: 'Feed the output of a Reflect padding node with the same J (or a coarser wavelet stage), or use padding "reflect".',
      };
    }
    geo = {
      M: H << r,
      N: W << r,
      gridH: H,
      gridW: W,
      r,
      rows: range(H / step, 0, step),
      cols: range(W / step, 0, step),
    };
  }
  const Sh = p.support > 0 ? Math.min(p.support, geo.gridH) : geo.gridH;
  const Sw = p.support > 0 ? Math.min(p.support, geo.gridW) : geo.gridW;
  return { ...geo, scales, filters: scales.length * p.L, Sh, Sw };
}

export function isProblem(g: WaveletGeometry | GeometryProblem): g is GeometryProblem {
  return 'message' in g;
}

/** The low-pass node's grid (LowPass), in the same terms as a wavelet convolution's. */
type LowPassGeometry = SpectralGrid;

/** Grid, filter level and kept samples for an H x W input, or a problem. */
export function lowPassGeometry(
  p: { J: number; padding: string; resolution: number; unpad: boolean; subsample?: boolean; band?: string },
  H: number,
  W: number,
): LowPassGeometry | { message: string; fix: string; param?: string } {
  if (p.band === 'high' && (p.padding !== 'circular' || p.subsample !== false || p.unpad)) {
    return {
      param: 'band',
      message:
        'the high band x − x ⊛ φ_J subtracts the average from the input itself, so the output must lie on the input grid: a periodic input, every sample kept.',
      fix: 'Set padding to "circular", subsample and unpad off; or set band to "low".',
    };
  }
  if (p.padding === 'reflect' && p.subsample === false) {
    return {
      param: 'subsample',
      message:
        'keeping every sample needs a periodic input: with reflect padding the padded border would stay in the output.',
      fix: 'Set padding to "circular", or turn subsample on.',
    };
  }
  if (p.padding === 'reflect' && p.resolution !== 0) {
    return {
      param: 'resolution',
      message: 'a resolution level above 0 needs an input that is already padded and subsampled.',
      fix: 'Set padding to "circular", or resolution to 0.',
    };
  }
  if (p.resolution > p.J)
    return {
      param: 'resolution',
      message: `resolution ${p.resolution} is coarser than the averaging scale J = ${p.J}.`,
      fix: `Use a resolution of at most ${p.J}.`,
    };
  const r = p.resolution;
  const step = p.subsample === false ? 1 : 2 ** (p.J - r);
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
    gridH = H;
    gridW = W;
    M = H << r;
    N = W << r;
  }
  const drop = p.unpad ? 1 : 0;
  const rows = range(gridH / step - 2 * drop, drop * step, step);
  const cols = range(gridW / step - 2 * drop, drop * step, step);
  if (rows.length < 1 || cols.length < 1) {
    return {
      message: `nothing is left of the ${H} x ${W} input after subsampling by ${step} and unpadding.`,
      fix: 'Lower J, or turn unpad off.',
    };
  }
  return { M, N, gridH, gridW, r, pad, rows, cols };
}
