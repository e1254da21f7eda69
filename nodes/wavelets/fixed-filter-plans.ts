/**
 * Circular convolutions with fixed filters as a few real matrices, built once in
 * float64 (framework-free; fixed-filter-ops.ts applies them).
 *
 * - A low-pass whose spectrum is separable, φ̂[k1, k2] = a[k1] b[k2] (Kymatio's
 *   Gaussian is), is two small real matrices: one maps the grid's rows to the rows
 *   kept, the other the columns. That is about 30 times less work than a 2D DFT.
 * - A wired wavelet bank is not separable, but its filtering along the width can be
 *   done per row frequency: after a DFT along the height (S1), each row frequency k1
 *   maps the width (complex) straight to the kept columns of every filter (S2, one
 *   dense matrix per k1 that holds the DFT along the width, the spectrum and the
 *   inverse DFT at the kept columns), and an inverse DFT along the height gives the
 *   kept rows (S3). When the rows are subsampled by s, the s row frequencies that
 *   alias together share one S2 matrix and S3 is an (H/s)-point transform: the
 *   periodization Kymatio does before its inverse FFT, here folded into the matrices.
 */
import { twiddle } from './dft-matrices';
import type { SpectralGrid } from './wavelet-geometry';

/** e^{2 pi i m / n} for m = 0..n-1 (twiddle's exact values), looked up with any integer m. */
function roots(n: number): (m: number, sign: number) => [number, number] {
  const table = Array.from({ length: n }, (_, m) => twiddle(m, n, 1));
  return (m, sign) => {
    const [c, sn] = table[((m % n) + n) % n];
    return [c, sign * sn];
  };
}

export interface SeparableLowPass {
  /** [H, R]: grid rows to kept rows (transposed, to multiply from the right). */
  lhT: Float32Array;
  /** [W, Cc]: grid columns to kept columns. */
  lwT: Float32Array;
  H: number;
  W: number;
  R: number;
  Cc: number;
}

/**
 * Real 1D map [positions, n] of the circular filter with real spectrum `a`, evaluated
 * at `positions`, transposed to [n, positions]; undefined when it is not real (the
 * spectrum is not even).
 */
function realCircular(a: Float64Array, positions: readonly number[]): Float32Array | undefined {
  const n = a.length;
  const p = positions.length;
  const out = new Float32Array(n * p);
  let most = 0;
  let worstImag = 0;
  for (let i = 0; i < p; i++) {
    for (let x = 0; x < n; x++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < n; k++) {
        const [c, s] = twiddle(k * (positions[i] - x), n, 1);
        re += a[k] * c;
        im += a[k] * s;
      }
      out[x * p + i] = re / n;
      most = Math.max(most, Math.abs(re / n));
      worstImag = Math.max(worstImag, Math.abs(im / n));
    }
  }
  return worstImag <= 1e-9 * most ? out : undefined;
}

/**
 * The low-pass as two real 1D maps, when its spectrum (transposed layout [W, H], as
 * phiLevelTransposed gives it) is separable and even to float64 round-off; else undefined.
 */
export function separableLowPass(phiT: Float64Array, g: SpectralGrid): SeparableLowPass | undefined {
  const H = g.gridH;
  const W = g.gridW;
  const at = (u: number, v: number) => phiT[v * H + u];
  let pu = 0;
  let pv = 0;
  for (let u = 0; u < H; u++)
    for (let v = 0; v < W; v++) if (Math.abs(at(u, v)) > Math.abs(at(pu, pv))) [pu, pv] = [u, v];
  const peak = at(pu, pv);
  if (peak === 0) return undefined;
  const a = Float64Array.from({ length: H }, (_, u) => at(u, pv));
  const b = Float64Array.from({ length: W }, (_, v) => at(pu, v) / peak);
  for (let u = 0; u < H; u++)
    for (let v = 0; v < W; v++) if (Math.abs(at(u, v) - a[u] * b[v]) > 1e-12 * Math.abs(peak)) return undefined;
  const lhT = realCircular(a, g.rows);
  const lwT = realCircular(b, g.cols);
  if (!lhT || !lwT) return undefined;
  return { lhT, lwT, H, W, R: g.rows.length, Cc: g.cols.length };
}

/** A real matrix [rows, cols] row-major and its transpose. */
export interface RealMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
  dataT: Float32Array;
}

function realMatrix(rows: number, cols: number, fill: (i: number, j: number) => number): RealMatrix {
  const data = new Float32Array(rows * cols);
  const dataT = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = fill(i, j);
      data[i * cols + j] = v;
      dataT[j * rows + i] = v;
    }
  }
  return { rows, cols, data, dataT };
}

export interface FixedWaveletPlan {
  H: number;
  W: number;
  /** Row subsampling folded into S3 (1 when the rows are not evenly spaced on the grid). */
  s: number;
  /** Row-frequency classes: H / s. */
  K: number;
  R: number;
  Cc: number;
  F: number;
  /**
   * The lead classes: each class k' <= K - k' (mod K). For a real input the row
   * frequencies of class K - k' are the complex conjugates of those of class k', so
   * only the lead classes are transformed, and each lead's S2 also gives its partner.
   */
  leads: number[];
  /** S1 [2 s leads, H]: rows (lead, a, re | im), k1 = k' + a K: each lead's rows are a block. */
  s1: RealMatrix;
  /**
   * S2 per lead k' [2 Cc F m, 2 s W] (m = 1 for a class that is its own partner, else 2):
   * rows (class: k', then K - k'; re | im, f, c), columns (a, re | im, w) of the lead.
   */
  s2: RealMatrix[];
  /** S3 [2R, 2K]: rows (re | im, r), columns (class in the leads' output order, re | im). */
  s3: RealMatrix;
}

/** Row step s folded into the inverse transform, and the first row. */
function rowFold(rows: readonly number[], H: number): { s: number; r0: number } {
  const s = rows.length > 1 ? rows[1] - rows[0] : 1;
  const even = s > 0 && H % s === 0 && rows.every((r, i) => r === rows[0] + i * s);
  return even ? { s, r0: rows[0] } : { s: 1, r0: 0 };
}

/**
 * The three stages for complex filters given as centred spatial windows re, im
 * [Sh, Sw, F] (origin at tap floor(S / 2), as morletWindows builds them) on the grid g.
 */
export function fixedWaveletPlan(
  win: { re: ArrayLike<number>; im: ArrayLike<number> },
  Sh: number,
  Sw: number,
  F: number,
  g: SpectralGrid,
): FixedWaveletPlan {
  const H = g.gridH;
  const W = g.gridW;
  const R = g.rows.length;
  const Cc = g.cols.length;
  const { s, r0 } = rowFold(g.rows, H);
  const K = H / s;
  const rootH = roots(H);
  const rootW = roots(W);
  // spectra S[f][k1][k2] of the windows on the grid, in float64: along the width, then the height
  const spec = (f: number) => {
    const tr = new Float64Array(Sh * W);
    const ti = new Float64Array(Sh * W);
    for (let a = 0; a < Sh; a++) {
      for (let b = 0; b < Sw; b++) {
        const wr = win.re[(a * Sw + b) * F + f];
        const wi = win.im[(a * Sw + b) * F + f];
        for (let k2 = 0; k2 < W; k2++) {
          const [c, sn] = rootW(k2 * (b - Math.floor(Sw / 2)), -1);
          tr[a * W + k2] += wr * c - wi * sn;
          ti[a * W + k2] += wr * sn + wi * c;
        }
      }
    }
    const re = new Float64Array(H * W);
    const im = new Float64Array(H * W);
    for (let k1 = 0; k1 < H; k1++) {
      for (let a = 0; a < Sh; a++) {
        const [c, sn] = rootH(k1 * (a - Math.floor(Sh / 2)), -1);
        for (let k2 = 0; k2 < W; k2++) {
          re[k1 * W + k2] += tr[a * W + k2] * c - ti[a * W + k2] * sn;
          im[k1 * W + k2] += tr[a * W + k2] * sn + ti[a * W + k2] * c;
        }
      }
    }
    return { re, im };
  };
  const spectra = Array.from({ length: F }, (_, f) => spec(f));
  // kernel along the width for row frequency k1: g[f][k1][d] = (1/W) sum_k2 S e^{2 pi i k2 d / W}
  const kern = spectra.map((S) => {
    const re = new Float64Array(H * W);
    const im = new Float64Array(H * W);
    for (let k1 = 0; k1 < H; k1++) {
      for (let d = 0; d < W; d++) {
        let xr = 0;
        let xi = 0;
        for (let k2 = 0; k2 < W; k2++) {
          const [c, sn] = rootW(k2 * d, 1);
          xr += S.re[k1 * W + k2] * c - S.im[k1 * W + k2] * sn;
          xi += S.re[k1 * W + k2] * sn + S.im[k1 * W + k2] * c;
        }
        re[k1 * W + d] = xr / W;
        im[k1 * W + d] = xi / W;
      }
    }
    return { re, im };
  });
  const partner = (k: number) => (K - k) % K;
  const leads = Array.from({ length: K }, (_, k) => k).filter((k) => k <= partner(k));
  const classes = leads.flatMap((k) => (k === partner(k) ? [k] : [k, partner(k)])); // y's row blocks
  const s1 = realMatrix(2 * s * leads.length, H, (row, h) => {
    const k1 = leads[Math.floor(row / (2 * s))] + (Math.floor(row / 2) % s) * K;
    return twiddle(k1 * h, H, -1)[row % 2];
  });

  const phase = Array.from({ length: H }, (_, k1) => twiddle(k1 * r0, H, 1)); // the fold's phase for the first kept row
  // S2 of class k at (row, col): rows (re | im, f, c), columns (a, re | im, w) of class k
  const s2At = (k: number, row: number, col: number) => {
    const outPart = Math.floor(row / (Cc * F));
    const f = Math.floor(row / Cc) % F;
    const c = row % Cc;
    const a = Math.floor(col / (2 * W));
    const inPart = Math.floor(col / W) % 2;
    const w = col % W;
    const k1 = k + a * K;
    const d = (((g.cols[c] - w) % W) + W) % W;
    const [pc, ps] = phase[k1];
    const gr = kern[f].re[k1 * W + d];
    const gi = kern[f].im[k1 * W + d];
    const tr = pc * gr - ps * gi;
    const ti = pc * gi + ps * gr;
    // (out re, out im) = T (in re, in im): [[tr, -ti], [ti, tr]]
    if (outPart === 0) return inPart === 0 ? tr : -ti;
    return inPart === 0 ? ti : tr;
  };
  const rowsOut = 2 * Cc * F;
  const s2 = leads.map((k) => {
    const kb = partner(k);
    // the partner's member a' holds the conjugate of the lead's member a: k1' = H - k1 (mod H)
    const member = (a: number) => (((((H - k - a * K) % H) + H) % H) - kb) / K;
    return realMatrix(k === kb ? rowsOut : 2 * rowsOut, 2 * s * W, (row, col) => {
      if (row < rowsOut) return s2At(k, row, col);
      const a = Math.floor(col / (2 * W));
      const inPart = Math.floor(col / W) % 2;
      const v = s2At(kb, row - rowsOut, member(a) * 2 * W + (col % (2 * W)));
      return inPart === 0 ? v : -v;
    });
  });
  const s3 = realMatrix(2 * R, 2 * K, (row, col) => {
    const outPart = Math.floor(row / R);
    const r = row % R;
    const k = classes[Math.floor(col / 2)];
    const inPart = col % 2;
    const rho = (g.rows[r] - r0) / s;
    const [c, sn] = twiddle(k * rho, K, 1);
    const er = c / H;
    const ei = sn / H;
    if (outPart === 0) return inPart === 0 ? er : -ei;
    return inPart === 0 ? ei : er;
  });
  return { H, W, s, K, R, Cc, F, leads, s1, s2, s3 };
}
