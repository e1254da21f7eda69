/**
 * Covariance spectra of learned layers (docs/science.md, Rainbow networks) and the white-noise
 * reference they are compared against: the Marchenko-Pastur law of a Gaussian matrix
 * of the same shape.
 */
import { gram, symmetricEigenvalues, type Vec } from '../../nodes/math/linalg';

/** C = W^T W / N for a weight matrix W of N neurons (rows) by D inputs (D x D). */
export function weightCovariance(W: Vec, N: number, D: number): Float64Array {
  const C = gram(W, N, D);
  for (let i = 0; i < C.length; i++) C[i] /= N;
  return C;
}

/** C = Q^T Q for the covariance factor Q (r x D) of a RandomFeature layer. */
export function factorCovariance(Q: Vec, r: number, D: number): Float64Array {
  return gram(Q, r, D);
}

/**
 * A convolution kernel in TensorFlow.js layout [kh, kw, cin, cout] as the matrix of
 * its C_out neurons by C_in kh kw inputs. The order of the inputs inside a row does not
 * change the spectrum.
 */
export function convKernelRows(
  kernel: Vec,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
): { W: Float64Array; N: number; D: number } {
  const D = kh * kw * cin;
  const W = new Float64Array(cout * D);
  for (let p = 0; p < D; p++) for (let o = 0; o < cout; o++) W[o * D + p] = kernel[p * cout + o];
  return { W, N: cout, D };
}

/**
 * Eigenvalues (descending, length D) of W^T W / scale for W (N x D), computed from the
 * smaller of the two Gram matrices: W W^T has the same non-zero eigenvalues, and the
 * other D - N are zero.
 */
export function gramSpectrum(W: Vec, N: number, D: number, scale = N): Float64Array {
  const out = new Float64Array(D);
  if (N >= D) {
    out.set(symmetricEigenvalues(gram(W, N, D), D));
  } else {
    const Wt = new Float64Array(D * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) Wt[j * N + i] = W[i * D + j];
    out.set(symmetricEigenvalues(gram(Wt, D, N), N));
  }
  // A Gram matrix is positive semi-definite: negative values are round-off.
  for (let i = 0; i < D; i++) out[i] = Math.max(out[i], 0) / scale;
  return out;
}

/** Eigenvalues of a symmetric n x n matrix, descending. */
export function eigenSpectrum(C: Vec, n: number): Float64Array {
  return symmetricEigenvalues(C, n);
}

/**
 * Two effective ranks of a spectrum (negative round-off is clipped to zero):
 * entropy: exp(-sum p_i ln p_i) with p_i = lambda_i / sum lambda (Roy and Vetterli);
 * participation: (sum lambda)^2 / sum lambda^2. Both equal k for k equal eigenvalues
 * and zeros; the entropy rank weighs the small eigenvalues more.
 */
export function effectiveRank(values: ArrayLike<number>): { entropy: number; participation: number } {
  let sum = 0,
    sum2 = 0;
  for (let i = 0; i < values.length; i++) {
    const l = Math.max(values[i], 0);
    sum += l;
    sum2 += l * l;
  }
  if (sum === 0) return { entropy: 0, participation: 0 };
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const p = Math.max(values[i], 0) / sum;
    if (p > 0) h -= p * Math.log(p);
  }
  return { entropy: Math.exp(h), participation: (sum * sum) / sum2 };
}

/**
 * Marchenko-Pastur law of the eigenvalues of C = W^T W / N for W (N x D) with i.i.d.
 * entries of variance sigma2, ratio = D / N. Continuous part on [lo, hi]; when
 * ratio > 1, a mass of 1 - 1 / ratio sits at zero. Its mean is sigma2.
 */
export interface MarchenkoPastur {
  ratio: number;
  sigma2: number;
  lo: number;
  hi: number;
  /** Probability mass at zero. */
  atom: number;
  density(lambda: number): number;
  /** P(eigenvalue <= lambda). */
  cdf(lambda: number): number;
  /** P(eigenvalue < lambda): differs from cdf only at zero, where the atom sits. */
  cdfBelow(lambda: number): number;
  /** Smallest lambda with cdf(lambda) >= p. */
  quantile(p: number): number;
}

const GRID = 4096;

export function marchenkoPastur(ratio: number, sigma2 = 1): MarchenkoPastur {
  if (!(ratio > 0 && sigma2 > 0)) throw new RangeError('marchenkoPastur: ratio and sigma2 must be positive');
  const sq = Math.sqrt(ratio);
  const lo = sigma2 * (1 - sq) ** 2;
  const hi = sigma2 * (1 + sq) ** 2;
  const atom = ratio > 1 ? 1 - 1 / ratio : 0;
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const density = (l: number): number =>
    l <= lo || l >= hi ? 0 : Math.sqrt((hi - l) * (l - lo)) / (2 * Math.PI * sigma2 * ratio * l);
  // With lambda = mid - half cos(theta) the square-root edges become sin^2: smooth.
  const integrand = (t: number): number => {
    const l = mid - half * Math.cos(t);
    const s = Math.sin(t);
    return l <= 0
      ? (2 * half) / (2 * Math.PI * sigma2 * ratio)
      : (half * half * s * s) / (2 * Math.PI * sigma2 * ratio * l);
  };
  const cum = new Float64Array(GRID + 1);
  const h = Math.PI / GRID;
  let prev = integrand(0);
  for (let i = 1; i <= GRID; i++) {
    const mid2 = integrand((i - 0.5) * h);
    const cur = integrand(i * h);
    cum[i] = cum[i - 1] + (h / 6) * (prev + 4 * mid2 + cur);
    prev = cur;
  }
  const mass = 1 - atom;
  // Normalize away the tiny quadrature error so that cdf(hi) is exactly 1.
  for (let i = 0; i <= GRID; i++) cum[i] *= mass / cum[GRID];
  const cdf = (l: number): number => {
    if (l < 0) return 0;
    if (l <= lo) return atom;
    if (l >= hi) return 1;
    const t = Math.acos(Math.min(1, Math.max(-1, (mid - l) / half))) / h;
    const i = Math.min(Math.floor(t), GRID - 1);
    return atom + cum[i] + (t - i) * (cum[i + 1] - cum[i]);
  };
  const quantile = (p: number): number => {
    if (p <= atom) return ratio > 1 ? 0 : lo;
    if (p >= 1) return hi;
    const target = p - atom;
    let a = 0,
      b = GRID;
    while (b - a > 1) {
      const c = (a + b) >> 1;
      if (cum[c] < target) a = c;
      else b = c;
    }
    const frac = cum[b] > cum[a] ? (target - cum[a]) / (cum[b] - cum[a]) : 0;
    return mid - half * Math.cos((a + frac) * h);
  };
  const cdfBelow = (l: number): number => (l <= 0 ? 0 : cdf(l));
  return { ratio, sigma2, lo, hi, atom, density, cdf, cdfBelow, quantile };
}

/**
 * The white-noise reference for a spectrum of an N x D layer: Marchenko-Pastur with
 * ratio D / N and the variance that matches the spectrum's mean eigenvalue (so any
 * normalization of C, /N or not, is absorbed), and its quantiles laid out like the
 * spectrum (descending), ready to plot against it.
 */
export function whiteNoiseReference(
  spectrum: ArrayLike<number>,
  N: number,
  D: number,
): { law: MarchenkoPastur; quantiles: Float64Array } {
  let mean = 0;
  for (let i = 0; i < spectrum.length; i++) mean += spectrum[i];
  mean /= spectrum.length;
  const law = marchenkoPastur(D / N, mean > 0 ? mean : 1);
  return { law, quantiles: mpQuantiles(law, spectrum.length) };
}

/** The law's quantiles at probabilities 1 - (k + 1/2) / count, k = 0..count-1 (descending). */
export function mpQuantiles(law: MarchenkoPastur, count: number): Float64Array {
  const q = new Float64Array(count);
  for (let k = 0; k < count; k++) q[k] = law.quantile(1 - (k + 0.5) / count);
  return q;
}

/**
 * Kolmogorov-Smirnov distance between the empirical CDF of `values` and a law given
 * by P(X <= x) and, for laws with atoms, P(X < x) (defaults to the same function).
 */
export function ksDistance(values: ArrayLike<number>, cdf: (x: number) => number, cdfBelow = cdf): number {
  const xs = Float64Array.from(values).sort();
  const n = xs.length;
  let d = 0;
  let first = 0;
  for (let i = 0; i < n; i++) {
    // A run of equal values (the zero eigenvalues of a wide matrix) is one step.
    if (i > 0 && xs[i] !== xs[i - 1]) first = i;
    if (i + 1 < n && xs[i + 1] === xs[i]) continue;
    d = Math.max(d, Math.abs(cdf(xs[i]) - (i + 1) / n), Math.abs(cdfBelow(xs[i]) - first / n));
  }
  return d;
}
