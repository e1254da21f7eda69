/**
 * The filters the wavelet nodes hold, derived from the Morlet bank in nodes/math:
 * spatial windows for the filter variables (what a filter gallery shows and what
 * learning changes) and the low-pass spectra. Pure, float64, cached.
 */
import { dft2, type Complex2D } from '../math/dft';
import { filterBank, periodizeFourier, phiSpatial, realFourier } from '../math/filter-bank';

/** Spatial complex filter on an m x n grid (origin at index 0) from its real spectrum. */
export function spatialOf(spectrum: Float64Array, m: number, n: number): Complex2D {
  return dft2({ re: spectrum, im: new Float64Array(spectrum.length) }, m, n, true);
}

export interface FilterWindows {
  /** [Sh, Sw, F] row-major: one spatial filter per last-axis index, origin at tap (floor(Sh/2), floor(Sw/2)). */
  re: Float32Array;
  im: Float32Array;
  /** Energy sum |psi|^2 of each window, for noise of matching size. */
  energy: number[];
}

const windowCache = new Map<string, FilterWindows>();

/**
 * Morlet wavelets (j, l) for the listed scales, at resolution r of the M x N padded
 * grid (the level-r Fourier copy, brought back to space), cut to centred Sh x Sw windows.
 */
export function morletWindows(
  M: number,
  N: number,
  J: number,
  L: number,
  scales: number[],
  r: number,
  Sh: number,
  Sw: number,
): FilterWindows {
  const key = `${M}x${N}:${J}:${L}:${scales.join(',')}:${r}:${Sh}x${Sw}`;
  const hit = windowCache.get(key);
  if (hit) return hit;
  const bank = filterBank(M, N, J, L);
  const m = M >> r;
  const n = N >> r;
  const F = scales.length * L;
  const re = new Float32Array(Sh * Sw * F);
  const im = new Float32Array(Sh * Sw * F);
  const energy: number[] = [];
  let f = 0;
  for (const j of scales) {
    for (let l = 0; l < L; l++, f++) {
      const s = spatialOf(bank.psi[j * L + l].levels[r], m, n);
      let e = 0;
      for (let a = 0; a < Sh; a++) {
        const u = (((a - Math.floor(Sh / 2)) % m) + m) % m;
        for (let b = 0; b < Sw; b++) {
          const v = (((b - Math.floor(Sw / 2)) % n) + n) % n;
          const x = s.re[u * n + v];
          const y = s.im[u * n + v];
          re[(a * Sw + b) * F + f] = x;
          im[(a * Sw + b) * F + f] = y;
          e += x * x + y * y;
        }
      }
      energy.push(e);
    }
  }
  const out = { re, im, energy };
  windowCache.set(key, out);
  return out;
}

const phiCache = new Map<string, Float64Array>();

/** Fourier low-pass phi_J at resolution r of an M x N padded grid, in the transposed [N/2^r, M/2^r] layout. */
export function phiLevelTransposed(M: number, N: number, J: number, r: number): Float64Array {
  const key = `${M}x${N}:${J}:${r}`;
  let t = phiCache.get(key);
  if (!t) {
    const level = periodizeFourier(realFourier(phiSpatial(M, N, J), M, N), M, N, r);
    const m = M >> r;
    const n = N >> r;
    t = new Float64Array(m * n);
    for (let u = 0; u < m; u++) for (let v = 0; v < n; v++) t[v * m + u] = level[u * n + v];
    phiCache.set(key, t);
  }
  return t;
}
