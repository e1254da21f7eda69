/**
 * Precomputed pieces of the fast scattering for one (H, W, J, L): wavelet filters in
 * the transposed Fourier layout the fast path uses, with the inverse-FFT scale folded
 * in; separable spatial matrices for the low-pass, its decimation and the unpad;
 * reflect-padding index maps; and workspace buffers (reused across calls).
 */
import { fftPlan, type FftPlan } from './fft';
import { filterBank } from './filter-bank';
import { reflectIndex, scatteringShape, type ScatteringOptions } from './scattering-reference';
import { padBefore } from './filter-bank';

export interface Level {
  /** Rows and columns of the grid at this resolution. */
  m: number;
  n: number;
  planM: FftPlan;
  planN: FftPlan;
  /** Low-pass + decimation to resolution J + unpad, as S = A U B^T: A is h x m, B is w x n. */
  lowA: Float64Array;
  lowB: Float64Array;
  /** The taps of lowA worth computing: row y uses tapIdx/tapVal[tapStart[y] .. tapStart[y + 1]). */
  tapStart: Int32Array;
  tapIdx: Int32Array;
  tapVal: Float64Array;
}

/**
 * Filters packed for one folded product (packFolded): dense when d <= 2; for larger d
 * (large wavelets on a fine grid, mostly zero) only the taps worth computing, per
 * folded frequency and filter: entries start[(o P + l)] .. start[(o P + l) + 1] of
 * idx (which of the d x d aliased values) and val.
 */
export interface FoldPack {
  d: number;
  dense: Float64Array;
  start: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

export interface FastPlan {
  o: ScatteringOptions;
  H: number;
  W: number;
  M: number;
  N: number;
  K: number;
  h: number;
  w: number;
  padRow: Int32Array;
  padCol: Int32Array;
  levels: Level[];
  /** psi[j * L + l][r]: filter at resolution r (r <= j), dense transposed, scaled by 1/(m n). */
  psi: Float64Array[][];
  /**
   * psiPack[j][r]: the L wavelets of scale j at resolution r, arranged for multiplying
   * one spectrum by all L at once while folding it by d = 2^(j - r): for each folded
   * frequency, each orientation, the d x d aliased values (see packFolded).
   */
  psiPack: FoldPack[][];
  /** phi[r]: the low-pass at resolution r, same layout and scale as psi. */
  phi: Float64Array[];
  /** Transforms at the output resolution J, for low-passes done in the Fourier domain. */
  planJM: FftPlan;
  planJN: FftPlan;
  work: Record<
    'ar' | 'ai' | 'br' | 'bi' | 'tr' | 'ti' | 'u1' | 'hr' | 'hi' | 'xr' | 'xi' | 'yr' | 'yi' | 'tmp',
    Float64Array
  >;
}

/** Separable factors of a low-pass level: F[k1, k2] = a[k1] b[k2]. */
function lowpassMatrix(
  F: Float64Array,
  m: number,
  n: number,
  k: number,
  h: number,
  w: number,
): { A: Float64Array; B: Float64Array } {
  const fa = new Float64Array(m);
  const fb = new Float64Array(n);
  for (let i = 0; i < m; i++) fa[i] = F[i * n];
  for (let i = 0; i < n; i++) fb[i] = F[i] / F[0];
  // spatial kernels: inverse DFT of even real sequences (real part; imaginary is round-off)
  const kern = (f: Float64Array, len: number) => {
    const out = new Float64Array(len);
    for (let t = 0; t < len; t++) {
      let acc = 0;
      for (let q = 0; q < len; q++) acc += f[q] * Math.cos((2 * Math.PI * ((q * t) % len)) / len);
      out[t] = acc / len;
    }
    return out;
  };
  const ka = kern(fa, m);
  const kb = kern(fb, n);
  const A = new Float64Array(h * m);
  const B = new Float64Array(w * n);
  for (let y = 0; y < h; y++) for (let u = 0; u < m; u++) A[y * m + u] = ka[((((y + 1) * k - u) % m) + m) % m];
  for (let x = 0; x < w; x++) for (let c = 0; c < n; c++) B[x * n + c] = kb[((((x + 1) * k - c) % n) + n) % n];
  return { A, B };
}

/**
 * Nonzero taps of each row of A. Taps below 1e-13 of the row's largest cannot move a
 * float32 result; at full resolution the Gaussian is compact, so this halves the work.
 */
function taps(
  A: Float64Array,
  h: number,
  m: number,
): { tapStart: Int32Array; tapIdx: Int32Array; tapVal: Float64Array } {
  const start = new Int32Array(h + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let y = 0; y < h; y++) {
    let big = 0;
    for (let u = 0; u < m; u++) big = Math.max(big, Math.abs(A[y * m + u]));
    for (let u = 0; u < m; u++) {
      if (Math.abs(A[y * m + u]) > 1e-13 * big) {
        idx.push(u);
        val.push(A[y * m + u]);
      }
    }
    start[y + 1] = idx.length;
  }
  return { tapStart: start, tapIdx: Int32Array.from(idx), tapVal: Float64Array.from(val) };
}

/**
 * The filters fs (transposed m x n layout, [k2][k1]) folded by d, interleaved as
 * [k2o][k1o][filter][b2][b1]: everything one folded frequency needs lies together.
 * Sparse taps drop values below 1e-13 of their filter's largest (they cannot move a
 * float32 result, as in taps()).
 */
function packFolded(fs: Float64Array[], m: number, n: number, d: number): FoldPack {
  const mo = m / d,
    no = n / d,
    P = fs.length,
    dd = d * d;
  const dense = new Float64Array(m * n * P);
  for (let k2o = 0; k2o < no; k2o++) {
    for (let i = 0; i < mo; i++) {
      for (let l = 0; l < P; l++) {
        const o = ((k2o * mo + i) * P + l) * dd;
        for (let b2 = 0; b2 < d; b2++) {
          for (let b1 = 0; b1 < d; b1++) dense[o + b2 * d + b1] = fs[l][(k2o + b2 * no) * m + i + b1 * mo];
        }
      }
    }
  }
  if (d <= 2) return { d, dense, start: new Int32Array(0), idx: new Int32Array(0), val: new Float64Array(0) };
  const big = fs.map((f) => f.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
  const start = new Int32Array(mo * no * P + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let g = 0; g < mo * no * P; g++) {
    for (let b = 0; b < dd; b++) {
      const v = dense[g * dd + b];
      if (Math.abs(v) > 1e-13 * big[g % P]) {
        idx.push(b);
        val.push(v);
      }
    }
    start[g + 1] = idx.length;
  }
  return { d, dense: new Float64Array(0), start, idx: Int32Array.from(idx), val: Float64Array.from(val) };
}

const planCache = new Map<string, FastPlan>();

export function fastPlan(H: number, W: number, o: ScatteringOptions): FastPlan {
  const key = `${H}x${W}:${o.J}:${o.L}:${o.maxOrder}`;
  const hit = planCache.get(key);
  if (hit) return hit;
  const { K, M, N, h, w } = scatteringShape(H, W, o);
  const { J, L } = o;
  const bank = filterBank(M, N, J, L);
  const levels: Level[] = [];
  for (let r = 0; r < J; r++) {
    const m = M >> r,
      n = N >> r;
    const { A, B } = lowpassMatrix(bank.phi.levels[r], m, n, 2 ** (J - r), h, w);
    levels.push({ m, n, planM: fftPlan(m), planN: fftPlan(n), lowA: A, lowB: B, ...taps(A, h, m) });
  }
  const transposed = (F: Float64Array, r: number) => {
    const m = M >> r,
      n = N >> r;
    const T = new Float64Array(m * n);
    const scale = 1 / (m * n);
    for (let k1 = 0; k1 < m; k1++) for (let k2 = 0; k2 < n; k2++) T[k2 * m + k1] = F[k1 * n + k2] * scale;
    return T;
  };
  const psi = bank.psi.map((p) => p.levels.slice(0, Math.min(p.j + 1, J)).map(transposed));
  const phi = bank.phi.levels.slice(0, J).map(transposed);
  const psiPack = Array.from({ length: J }, (_, j) =>
    Array.from({ length: j + 1 }, (_, r) =>
      packFolded(
        psi.slice(j * L, (j + 1) * L).map((f) => f[r]),
        M >> r,
        N >> r,
        2 ** (j - r),
      ),
    ),
  );
  const top = padBefore(H, J),
    left = padBefore(W, J);
  const padRow = Int32Array.from({ length: M }, (_, r) => reflectIndex(r - top, H));
  const padCol = Int32Array.from({ length: N }, (_, c) => reflectIndex(c - left, W));
  const big = M * N * Math.max(L, 2);
  const buf = () => new Float64Array(big);
  const work = {
    ar: buf(),
    ai: buf(),
    br: buf(),
    bi: buf(),
    tr: buf(),
    ti: buf(),
    u1: buf(),
    hr: buf(),
    hi: buf(),
    xr: new Float64Array(M * N),
    xi: new Float64Array(M * N),
    yr: new Float64Array(M * N),
    yi: new Float64Array(M * N),
    tmp: new Float64Array(Math.max(h, 1) * Math.max(L, 1) * N),
  };
  const plan: FastPlan = {
    o,
    H,
    W,
    M,
    N,
    K,
    h,
    w,
    padRow,
    padCol,
    levels,
    psi,
    psiPack,
    phi,
    planJM: fftPlan(M >> J),
    planJN: fftPlan(N >> J),
    work,
  };
  planCache.set(key, plan);
  return plan;
}
