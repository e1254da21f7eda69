/**
 * Discrete Fourier transforms written as matrices, so that TensorFlow.js can apply
 * them with plain matrix products: exact, differentiable and available on every
 * backend (TF.js complex tensors and FFTs carry no gradients). Pure and framework-free;
 * the matrices are built in float64 and stored as float32.
 *
 * A matrix here always acts from the right on the last axis: y = x M, with x of
 * length `rows` and y of length `cols`. Complex matrices act on complex vectors
 * packed as [re | im], through the real block matrix [[Mr, Mi], [-Mi, Mr]].
 */

export interface ComplexMatrix {
  rows: number;
  cols: number;
  re: Float64Array;
  im: Float64Array;
}

/** e^{sign 2 pi i k / n} with k reduced mod n first, so large products keep full precision. */
export function twiddle(k: number, n: number, sign: number): [number, number] {
  const m = ((k % n) + n) % n;
  // exact values where sin or cos vanish keep quarter-turn rotations exact
  if (m === 0) return [1, 0];
  if (2 * m === n) return [-1, 0];
  if (4 * m === n) return [0, sign];
  if (4 * m === 3 * n) return [0, -sign];
  const a = (2 * Math.PI * m) / n;
  return [Math.cos(a), sign * Math.sin(a)];
}

/**
 * Forward DFT on an n-point periodic grid for samples located at the given offsets:
 * M[t, f] = e^{-2 pi i f offsets[t] / n}. Offsets 0..n-1 give the plain DFT; a
 * centred filter of s taps uses offsets -floor(s/2)..s-1-floor(s/2).
 */
export function forwardDft(n: number, offsets: readonly number[] = range(n)): ComplexMatrix {
  const rows = offsets.length;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  for (let t = 0; t < rows; t++) {
    for (let f = 0; f < n; f++) {
      const [c, s] = twiddle(f * offsets[t], n, -1);
      re[t * n + f] = c;
      im[t * n + f] = s;
    }
  }
  return { rows, cols: n, re, im };
}

/**
 * Inverse DFT of an n-point spectrum evaluated only at the given sample positions:
 * M[f, p] = e^{+2 pi i f positions[p] / n} / n. Choosing positions k m decimates by k
 * exactly (x[k m]); dropping the first and last positions unpads, with no extra work.
 */
export function inverseDftAt(n: number, positions: readonly number[]): ComplexMatrix {
  const cols = positions.length;
  const re = new Float64Array(n * cols);
  const im = new Float64Array(n * cols);
  for (let f = 0; f < n; f++) {
    for (let p = 0; p < cols; p++) {
      const [c, s] = twiddle(f * positions[p], n, 1);
      re[f * cols + p] = c / n;
      im[f * cols + p] = s / n;
    }
  }
  return { rows: n, cols, re, im };
}

export function range(n: number, start = 0, step = 1): number[] {
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/** Offsets of a centred window of s taps: -floor(s/2) .. s - 1 - floor(s/2). */
export function centredOffsets(s: number): number[] {
  return range(s, -Math.floor(s / 2));
}
