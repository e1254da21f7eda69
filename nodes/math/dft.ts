/**
 * Direct (not fast) discrete Fourier transforms in float64, for filter construction
 * and for the reference scattering. Slow on purpose: every output is an explicit sum
 * with twiddles indexed by (k * n) mod size, so there is nothing clever to get wrong.
 */

/** Complex 2D array, row-major, M rows by N columns. */
export interface Complex2D {
  re: Float64Array;
  im: Float64Array;
}

const tableCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos/sin of 2 pi m / n for m = 0..n-1. */
function table(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = tableCache.get(n);
  if (!t) {
    const cos = new Float64Array(n);
    const sin = new Float64Array(n);
    for (let m = 0; m < n; m++) {
      cos[m] = Math.cos((2 * Math.PI * m) / n);
      sin[m] = Math.sin((2 * Math.PI * m) / n);
    }
    t = { cos, sin };
    tableCache.set(n, t);
  }
  return t;
}

/** 1D DFT along a strided line, in place via a scratch buffer. */
function dftLine(
  re: Float64Array,
  im: Float64Array,
  offset: number,
  stride: number,
  n: number,
  inverse: boolean,
  sr: Float64Array,
  si: Float64Array,
): void {
  const { cos, sin } = table(n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let ar = 0;
    let ai = 0;
    for (let m = 0; m < n; m++) {
      const idx = (k * m) % n;
      const c = cos[idx];
      const s = sign * sin[idx];
      const xr = re[offset + m * stride];
      const xi = im[offset + m * stride];
      ar += xr * c - xi * s;
      ai += xr * s + xi * c;
    }
    sr[k] = ar;
    si[k] = ai;
  }
  const scale = inverse ? 1 / n : 1;
  for (let k = 0; k < n; k++) {
    re[offset + k * stride] = sr[k] * scale;
    im[offset + k * stride] = si[k] * scale;
  }
}

/**
 * 2D DFT of an M x N complex array, returning a new array. Forward uses e^{-i...};
 * inverse uses e^{+i...} and divides by M N (numpy's fft2 / ifft2 conventions).
 */
export function dft2(x: Complex2D, M: number, N: number, inverse = false): Complex2D {
  const re = Float64Array.from(x.re);
  const im = Float64Array.from(x.im);
  const n = Math.max(M, N);
  const sr = new Float64Array(n);
  const si = new Float64Array(n);
  for (let r = 0; r < M; r++) dftLine(re, im, r * N, 1, N, inverse, sr, si);
  for (let c = 0; c < N; c++) dftLine(re, im, c, N, M, inverse, sr, si);
  return { re, im };
}
