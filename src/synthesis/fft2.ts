/**
 * 2D FFT of a complex n x m array (row-major, float64) in place, built on the
 * mixed-radix transform along the first axis: columns first, then rows through a
 * transpose. Forward is unnormalized; inverse divides by n·m (numpy's fft2 / ifft2).
 */
import { fftAxis0, fftPlan } from '../../nodes/math/fft';

function transpose(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
}

export function fft2(re: Float64Array, im: Float64Array, n: number, m: number, inverse = false): void {
  const size = n * m;
  const tr = new Float64Array(size);
  const ti = new Float64Array(size);
  fftAxis0(fftPlan(n), re, im, m, inverse, tr, ti);
  transpose(re, n, m, tr);
  transpose(im, n, m, ti);
  const sr = new Float64Array(size);
  const si = new Float64Array(size);
  fftAxis0(fftPlan(m), tr, ti, n, inverse, sr, si);
  transpose(tr, m, n, re);
  transpose(ti, m, n, im);
  if (inverse) {
    for (let i = 0; i < size; i++) {
      re[i] /= size;
      im[i] /= size;
    }
  }
}

/** Signed integer frequency of index i on an n-point grid: 0, 1, …, −1. */
export function freq(i: number, n: number): number {
  return i <= n / 2 ? i : i - n;
}
