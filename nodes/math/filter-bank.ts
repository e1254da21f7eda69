/**
 * The 2D Morlet filter bank of the scattering transform, with Kymatio's conventions
 * (docs/science.md, Scattering). Framework-free and float64; the TensorFlow.js nodes and the
 * fast scattering both read their filters from here.
 */
import { dft2, type Complex2D } from './dft';

export type { Complex2D } from './dft';

/**
 * Kymatio divides its Gabor filters by 2 * 3.1415 * sigma^2 / slant, not by 2 pi:
 * using the same constant keeps our outputs equal to Kymatio's (the difference,
 * 3e-5 per filter, would otherwise add up to ~1e-4 in second-order coefficients).
 */
export const KYMATIO_PI = 3.1415;

/** Padded size of one image side: 2^J * (floor((n + 2^J) / 2^J) + 1). */
export function padSize(n: number, J: number): number {
  const s = 2 ** J;
  return s * (Math.floor((n + s) / s) + 1);
}

/** Rows (or columns) of reflect padding placed before the image; the rest go after. */
export function padBefore(n: number, J: number): number {
  return (padSize(n, J) - n) >> 1;
}

/** Side of the scattering output for an input side n: padSize / 2^J - 2. */
export function outputSize(n: number, J: number): number {
  return padSize(n, J) / 2 ** J - 2;
}

/** Number of output channels: 1 + J L (+ L^2 J (J - 1) / 2 at order 2). */
export function channelCount(J: number, L: number, maxOrder: 1 | 2 = 2): number {
  return 1 + J * L + (maxOrder === 2 ? (L * L * J * (J - 1)) / 2 : 0);
}

/** Orientation of wavelet l out of L: (floor(L - L/2 - 1) - l) pi / L. */
export function orientation(l: number, L: number): number {
  return ((Math.floor(L - L / 2 - 1) - l) * Math.PI) / L;
}

/** Parameters of wavelet (j, l): sigma = 0.8 2^j, xi = 3 pi / 4 / 2^j, slant = 4 / L. */
export function waveletParams(
  j: number,
  l: number,
  L: number,
): { sigma: number; theta: number; xi: number; slant: number } {
  return { sigma: 0.8 * 2 ** j, theta: orientation(l, L), xi: (3 * Math.PI) / 4 / 2 ** j, slant: 4 / L };
}

/**
 * Gabor filter on an M x N grid, centred at the origin (index 0), periodized by
 * summing the 5 x 5 copies shifted by multiples of (M, N). u1 is the row coordinate.
 */
export function gabor2d(M: number, N: number, sigma: number, theta: number, xi: number, slant = 1): Complex2D {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const s2 = slant * slant;
  const inv = 1 / (2 * sigma * sigma);
  // curvature R diag(1, slant^2) R^T / (2 sigma^2)
  const a = (c * c + s2 * s * s) * inv;
  const b = c * s * (1 - s2) * inv;
  const d = (s * s + s2 * c * c) * inv;
  const re = new Float64Array(M * N);
  const im = new Float64Array(M * N);
  // the exponent is at least lo * (distance to the origin)^2; a copy whose nearest point
  // is below e^-50 of the peak cannot change any value at float64 precision
  const lo = Math.min(1, s2) * inv;
  const gap = (e: number, size: number) => (e > 0 ? e * size : e < 0 ? -(e * size + size - 1) : 0);
  for (let ex = -2; ex <= 2; ex++) {
    for (let ey = -2; ey <= 2; ey++) {
      if (lo * (gap(ex, M) ** 2 + gap(ey, N) ** 2) > 50) continue;
      for (let r = 0; r < M; r++) {
        const x = r + ex * M;
        for (let q = 0; q < N; q++) {
          const y = q + ey * N;
          const mag = Math.exp(-(a * x * x + 2 * b * x * y + d * y * y));
          if (xi === 0) {
            re[r * N + q] += mag;
            continue;
          }
          const phase = xi * (x * c + y * s);
          re[r * N + q] += mag * Math.cos(phase);
          im[r * N + q] += mag * Math.sin(phase);
        }
      }
    }
  }
  const norm = (2 * KYMATIO_PI * sigma * sigma) / slant;
  for (let i = 0; i < M * N; i++) {
    re[i] /= norm;
    im[i] /= norm;
  }
  return { re, im };
}

/** Morlet: the Gabor minus K times its envelope, K chosen so the sum is exactly zero. */
export function morlet2d(M: number, N: number, sigma: number, theta: number, xi: number, slant = 0.5): Complex2D {
  const g = gabor2d(M, N, sigma, theta, xi, slant);
  const e = gabor2d(M, N, sigma, theta, 0, slant);
  let gr = 0,
    gi = 0,
    er = 0,
    ei = 0;
  for (let i = 0; i < M * N; i++) {
    gr += g.re[i];
    gi += g.im[i];
    er += e.re[i];
    ei += e.im[i];
  }
  // K = sum(g) / sum(e), complex division
  const den = er * er + ei * ei;
  const kr = (gr * er + gi * ei) / den;
  const ki = (gi * er - gr * ei) / den;
  for (let i = 0; i < M * N; i++) {
    const pr = kr * e.re[i] - ki * e.im[i];
    const pi = kr * e.im[i] + ki * e.re[i];
    g.re[i] -= pr;
    g.im[i] -= pi;
  }
  return g;
}

/** Complex spatial Morlet wavelet (j, l) on the padded M x N grid, centred at index 0. */
export function psiSpatial(M: number, N: number, j: number, l: number, L: number): Complex2D {
  const p = waveletParams(j, l, L);
  return morlet2d(M, N, p.sigma, p.theta, p.xi, p.slant);
}

/** Spatial Gaussian low-pass for scale J: sigma = 0.8 2^(J-1), xi = 0, slant = 1. */
export function phiSpatial(M: number, N: number, J: number): Complex2D {
  return gabor2d(M, N, 0.8 * 2 ** (J - 1), 0, 0, 1);
}

/** Real part of the 2D DFT (the filters are Hermitian, so the imaginary part is ~0). */
export function realFourier(x: Complex2D, M: number, N: number): Float64Array {
  return dft2(x, M, N).re;
}

/**
 * Copy of a Fourier filter for resolution r: zero the band above the new Nyquist
 * (rows M 2^-(r+1) .. M 2^-(r+1) + M (1 - 2^-r) - 1, same for columns), then sum the
 * 2^r x 2^r aliased blocks onto an (M / 2^r) x (N / 2^r) grid.
 */
export function periodizeFourier(F: Float64Array, M: number, N: number, r: number): Float64Array {
  const k = 2 ** r;
  const m = Math.floor(M / k);
  const n = Math.floor(N / k);
  const startX = Math.floor(M / (2 * k));
  const endX = startX + Math.floor(M * (1 - 1 / k));
  const startY = Math.floor(N / (2 * k));
  const endY = startY + Math.floor(N * (1 - 1 / k));
  const out = new Float64Array(m * n);
  for (let row = 0; row < m * k; row++) {
    if (row >= startX && row < endX) continue;
    for (let col = 0; col < n * k; col++) {
      if (col >= startY && col < endY) continue;
      out[(row % m) * n + (col % n)] += F[row * N + col];
    }
  }
  return out;
}

export interface PsiFilter {
  j: number;
  /** Orientation index 0..L-1. */
  l: number;
  /** Orientation angle in radians. */
  theta: number;
  /** levels[r], r = 0..j: real Fourier filter on the (M / 2^r) x (N / 2^r) grid, row-major. */
  levels: Float64Array[];
}

export interface FilterBank {
  /** Padded grid size. */
  M: number;
  N: number;
  J: number;
  L: number;
  /** Ordered j major, l minor (index j L + l). */
  psi: PsiFilter[];
  /** levels[r], r = 0..J: real Fourier low-pass on the (M / 2^r) x (N / 2^r) grid. */
  phi: { levels: Float64Array[] };
}

const bankCache = new Map<string, FilterBank>();

/**
 * The filter bank for a padded M x N grid (use padSize on the image sides), J scales
 * and L orientations. Computed once per (M, N, J, L); callers must not mutate it.
 */
export function filterBank(M: number, N: number, J: number, L: number): FilterBank {
  const key = `${M}x${N}:${J}:${L}`;
  const hit = bankCache.get(key);
  if (hit) return hit;
  if (!(J >= 1 && L >= 1 && M % 2 ** J === 0 && N % 2 ** J === 0)) {
    throw new RangeError(
      `filterBank: need J >= 1, L >= 1 and M, N multiples of 2^J (got M=${M}, N=${N}, J=${J}, L=${L}).`,
    );
  }
  const psi: PsiFilter[] = [];
  for (let j = 0; j < J; j++) {
    for (let l = 0; l < L; l++) {
      const F = realFourier(psiSpatial(M, N, j, l, L), M, N);
      const levels: Float64Array[] = [];
      for (let r = 0; r <= j; r++) levels.push(periodizeFourier(F, M, N, r));
      psi.push({ j, l, theta: orientation(l, L), levels });
    }
  }
  const P = realFourier(phiSpatial(M, N, J), M, N);
  const phiLevels: Float64Array[] = [];
  for (let r = 0; r <= J; r++) phiLevels.push(periodizeFourier(P, M, N, r));
  const bank: FilterBank = { M, N, J, L, psi, phi: { levels: phiLevels } };
  bankCache.set(key, bank);
  return bank;
}
