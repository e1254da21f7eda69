/**
 * Statistics a synthesis is judged on, none of which it fits directly: the
 * Kolmogorov-Smirnov distance between value histograms, the same for increments
 * x(u + τ) − x(u) at a few lags τ (both axes, periodic), and the power spectrum
 * averaged over octaves of |k|. Framework-free.
 */
import { fft2, freq } from './fft2';

/** sup_t |F_a(t) − F_b(t)| between the empirical distributions of two samples. */
export function ksDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const t = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= t) i++;
    while (j < y.length && y[j] <= t) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Increments at lag τ along rows and columns of `count` periodic n x n fields. */
export function increments(fields: Float32Array, n: number, lag: number): Float32Array {
  const size = n * n;
  const count = fields.length / size;
  const out = new Float32Array(2 * fields.length);
  let k = 0;
  for (let f = 0; f < count; f++) {
    const o = f * size;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const v = fields[o + r * n + c];
        out[k++] = fields[o + r * n + ((c + lag) % n)] - v;
        out[k++] = fields[o + ((r + lag) % n) * n + c] - v;
      }
    }
  }
  return out;
}

/** Mean power |x̂(k)|² / n² in octave bands 2^j ≤ |k| < 2^{j+1}, j = 0 … log2(n/2) − 1, averaged over fields. */
export function octaveSpectrum(fields: Float32Array, n: number): number[] {
  const size = n * n;
  const count = fields.length / size;
  const bands = Math.max(1, Math.floor(Math.log2(n / 2)));
  const sum = new Array<number>(bands).fill(0);
  const num = new Array<number>(bands).fill(0);
  for (let f = 0; f < count; f++) {
    const re = Float64Array.from(fields.subarray(f * size, (f + 1) * size));
    const im = new Float64Array(size);
    fft2(re, im, n, n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const k = Math.hypot(freq(r, n), freq(c, n));
        if (k < 1) continue;
        const j = Math.floor(Math.log2(k));
        if (j >= bands) continue;
        sum[j] += (re[r * n + c] ** 2 + im[r * n + c] ** 2) / size;
        num[j]++;
      }
    }
  }
  return sum.map((s, j) => s / Math.max(1, num[j]));
}

export const LAGS = [1, 4, 16] as const;

/** The distinct values of a field that takes at most `max` of them (Ising: −1, 1), else null. */
export function discreteLevels(field: Float32Array, max = 8): number[] | null {
  const seen = new Set<number>();
  for (const v of field) {
    seen.add(v);
    if (seen.size > max) return null;
  }
  return [...seen].sort((a, b) => a - b);
}

/** Each value replaced by the nearest of the (sorted) levels. */
export function quantize(field: Float32Array, levels: number[]): Float32Array {
  return Float32Array.from(field, (v) => {
    let best = levels[0];
    for (const l of levels) if (Math.abs(v - l) < Math.abs(v - best)) best = l;
    return best;
  });
}

export interface KsReport {
  /** KS distance of the value histograms. */
  ksValues: number;
  /** KS distance of increment histograms, by lag. */
  ksIncrements: Record<number, number>;
}

export interface ModelReport extends KsReport {
  /**
   * For a target with a few discrete values (Ising spins), the same distances after
   * rounding the sample to the nearest of those values: between a continuous sample
   * and atoms at ±1 the raw distance is about half an atom's mass, however close the
   * sample's values sit to ±1, so only the rounded one tells models apart.
   */
  quantized?: KsReport;
  /** Octave power spectrum, and its ratio to the target's. */
  spectrum: number[];
  spectrumRatio: number[];
}

function ksReport(samples: Float32Array, target: Float32Array, n: number, lags: readonly number[]): KsReport {
  const ksIncrements: Record<number, number> = {};
  for (const lag of lags.filter((l) => l < n))
    ksIncrements[lag] = ksDistance(increments(samples, n, lag), increments(target, n, lag));
  return { ksValues: ksDistance(samples, target), ksIncrements };
}

export function compareToTarget(
  samples: Float32Array,
  target: Float32Array,
  n: number,
  lags: readonly number[] = LAGS,
): ModelReport {
  const ts = octaveSpectrum(target, n);
  const spectrum = octaveSpectrum(samples, n);
  const levels = discreteLevels(target);
  return {
    ...ksReport(samples, target, n, lags),
    ...(levels ? { quantized: ksReport(quantize(samples, levels), target, n, lags) } : {}),
    spectrum,
    spectrumRatio: spectrum.map((s, j) => s / ts[j]),
  };
}
