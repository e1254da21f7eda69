/**
 * Fast 2D scattering transform, framework-free, same output as scatteringReference
 * (B, K, h, w) in Kymatio's channel order. Per image it does one complex FFT per pair
 * of images, then per scale the products with all L wavelets at once, folds the
 * spectra (decimation) before the smaller inverse transforms. A low-pass whose input
 * spectrum is already at hand (first-order maps that feed the second order) is folded
 * to the output grid and inverted there; the others, with decimation and unpad, are two
 * small separable matrix products in space, evaluated only at the output samples.
 * Real signals are transformed two at a time.
 */
import { fftAxis0, type FftPlan } from './fft';
import { fastPlan, type FastPlan, type FoldPack } from './scattering-fast-plan';
import type { ScatteringOptions } from './scattering-reference';

export type { ScatteringOptions } from './scattering-reference';

/** Scattering of images (B, H, W) row-major float32; returns (B, K, h, w) float32. */
export function scatteringForward(
  images: Float32Array,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
): Float32Array {
  const p = fastPlan(H, W, o);
  const out = new Float32Array(B * p.K * p.h * p.w);
  scatteringInto(p, images, 0, B, out, 0);
  return out;
}

/**
 * Scatter images [first, first + count) of `images` into `out` starting at output image
 * `outFirst` (lets callers split a batch across threads without copying).
 */
export function scatteringInto(
  p: FastPlan,
  images: Float32Array,
  first: number,
  count: number,
  out: Float32Array,
  outFirst: number,
): void {
  const { H, W, M, N, K, h, w } = p;
  const wk = p.work;
  const per = K * h * w;
  for (let b = 0; b < count; b += 2) {
    const two = b + 1 < count;
    // pad image b into the real part, image b + 1 into the imaginary part
    const oa = (first + b) * H * W;
    const ob = (first + b + 1) * H * W;
    for (let r = 0; r < M; r++) {
      const ra = oa + p.padRow[r] * W,
        rb = ob + p.padRow[r] * W;
      for (let c = 0; c < N; c++) {
        wk.ar[r * N + c] = images[ra + p.padCol[c]];
        wk.ai[r * N + c] = two ? images[rb + p.padCol[c]] : 0;
      }
    }
    const baseA = (outFirst + b) * per;
    const baseB = (outFirst + b + 1) * per;
    const z = fft2(p.levels[0].planM, p.levels[0].planN, M, N, 1, wk.ar, wk.ai, wk.br, wk.bi, wk, false);
    // The order-0 low-pass reads the spectrum the wavelets use. phi is real, so folding
    // z = A + i B by it and inverting on the output grid gives A * phi + i B * phi:
    // both images' coefficients from one small transform.
    const { J } = p.o;
    multiplyFold(z.re, z.im, 1, 0, M, N, p.phi[0], 2 ** J, wk.u1, wk.hr, 1, 0);
    // z: spectrum [k2][1][k1]; split it into the two images' spectra
    separate(z.re, z.im, N, M, 1, 0, wk.xr, wk.xi, wk.yr, wk.yi, 1, 0, two);
    const nJ = N >> J;
    const s0 = fft2(p.planJM, p.planJN, M >> J, nJ, 1, wk.u1, wk.hr, wk.br, wk.bi, wk, true);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        out[baseA + y * w + x] = s0.re[(y + 1) * nJ + x + 1];
        if (two) out[baseB + y * w + x] = s0.im[(y + 1) * nJ + x + 1];
      }
    }
    waveletLayers(p, wk.xr, wk.xi, out, baseA);
    if (two) waveletLayers(p, wk.yr, wk.yi, out, baseB);
  }
}

function waveletLayers(p: FastPlan, xr: Float64Array, xi: Float64Array, out: Float32Array, base: number): void {
  const { J, L, maxOrder } = p.o;
  const { M, N, h, w } = p;
  const wk = p.work;
  const hw = h * w;
  let s2 = 1 + J * L;
  for (let j1 = 0; j1 < J; j1++) {
    const lv = p.levels[j1];
    const { m, n } = lv;
    multiplyFoldAll(xr, xi, 1, 0, M, N, p.psiPack[j1][0], L, wk.ar, wk.ai);
    const y1 = fft2(lv.planM, lv.planN, m, n, L, wk.ar, wk.ai, wk.br, wk.bi, wk, true);
    if (maxOrder < 2 || j1 === J - 1) {
      modulus(y1.re, y1.im, wk.u1, m * n * L);
      lowpass(p, j1, wk.u1, L, out, base + (1 + j1 * L) * hw);
      continue;
    }
    // spectra of the L real maps U1, two per complex FFT: the modulus goes straight
    // into the packed planes (even l real part, odd l imaginary part)
    const Q = (L + 1) >> 1;
    const yr = y1.re,
      yi = y1.im;
    for (let r = 0; r < m; r++) {
      for (let l = 0; l < L; l++) {
        const src = (r * L + l) * n,
          dst = (r * Q + (l >> 1)) * n;
        const t = l & 1 ? wk.ai : wk.ar;
        for (let c = 0; c < n; c++) t[dst + c] = Math.sqrt(yr[src + c] * yr[src + c] + yi[src + c] * yi[src + c]);
      }
      if (L & 1) wk.ai.fill(0, (r * Q + Q - 1) * n, (r * Q + Q) * n);
    }
    const z1 = fft2(lv.planM, lv.planN, m, n, Q, wk.ar, wk.ai, wk.br, wk.bi, wk, false);
    for (let q = 0; q < Q; q++) separate(z1.re, z1.im, n, m, Q, q, wk.hr, wk.hi, wk.hr, wk.hi, L, 2 * q, 2 * q + 1 < L);
    // the spectra of U1 are at hand: low-pass them there (fold to resolution J, one
    // small inverse transform), far cheaper than the spatial sums at full resolution
    for (let l = 0; l < L; l++) multiplyFold(wk.hr, wk.hi, L, l, m, n, p.phi[j1], 2 ** (J - j1), wk.ar, wk.ai, L, l);
    const mJ = m >> (J - j1),
      nJ = n >> (J - j1);
    const s1 = fft2(p.planJM, p.planJN, mJ, nJ, L, wk.ar, wk.ai, wk.br, wk.bi, wk, true).re;
    for (let l = 0; l < L; l++) {
      const o = base + (1 + j1 * L + l) * hw;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[o + y * w + x] = s1[((y + 1) * L + l) * nJ + x + 1];
    }
    for (let l1 = 0; l1 < L; l1++) {
      for (let j2 = j1 + 1; j2 < J; j2++) {
        const lv2 = p.levels[j2];
        multiplyFoldAll(wk.hr, wk.hi, L, l1, m, n, p.psiPack[j2][j1], L, wk.ar, wk.ai);
        const y2 = fft2(lv2.planM, lv2.planN, lv2.m, lv2.n, L, wk.ar, wk.ai, wk.br, wk.bi, wk, true);
        modulus(y2.re, y2.im, wk.ar, lv2.m * lv2.n * L);
        lowpass(p, j2, wk.ar, L, out, base + s2 * hw);
        s2 += L;
      }
    }
  }
}

interface Pair {
  re: Float64Array;
  im: Float64Array;
}

/**
 * 2D FFT of P interleaved planes. Forward: spatial [m][P][n] in (sr, si) to spectrum
 * [k2][P][k1]. Inverse: spectrum [k2][P][k1] to spatial [m][P][n]. The source is
 * overwritten; the result is in (dr, di) or in the scratch pair, whichever is returned
 * (never in the source), which saves copying between passes.
 */
function fft2(
  planM: FftPlan,
  planN: FftPlan,
  m: number,
  n: number,
  P: number,
  sr: Float64Array,
  si: Float64Array,
  dr: Float64Array,
  di: Float64Array,
  wk: FastPlan['work'],
  inverse: boolean,
): Pair {
  const [first, second, a, b] = inverse ? [planN, planM, n, m] : [planM, planN, m, n];
  if (fftAxis0(first, sr, si, P * b, inverse, wk.tr, wk.ti, false)) {
    sr = wk.tr;
    si = wk.ti;
  }
  // [a][P][b] -> [b][P][a]
  for (let i = 0; i < a; i++) {
    for (let q = 0; q < P; q++) {
      const src = (i * P + q) * b;
      for (let k = 0; k < b; k++) {
        const dst = (k * P + q) * a + i;
        dr[dst] = sr[src + k];
        di[dst] = si[src + k];
      }
    }
  }
  return fftAxis0(second, dr, di, P * a, inverse, wk.tr, wk.ti, false) ? { re: wk.tr, im: wk.ti } : { re: dr, im: di };
}

/**
 * Split the spectrum of z = u + i v (plane q of a [n][Q][m] layout; u, v real) into the
 * spectra of u and v, written to planes pu and pu + 1 of [n][Pout][m] outputs.
 */
function separate(
  zr: Float64Array,
  zi: Float64Array,
  n: number,
  m: number,
  Q: number,
  q: number,
  ur: Float64Array,
  ui: Float64Array,
  vr: Float64Array,
  vi: Float64Array,
  Pout: number,
  pu: number,
  both: boolean,
): void {
  const pv = Pout === 1 ? 0 : pu + 1;
  for (let k2 = 0; k2 < n; k2++) {
    const n2 = k2 === 0 ? 0 : n - k2;
    for (let k1 = 0; k1 < m; k1++) {
      const n1 = k1 === 0 ? 0 : m - k1;
      const a = (k2 * Q + q) * m + k1,
        c = (n2 * Q + q) * m + n1;
      const ar = zr[a],
        ai = zi[a],
        cr = zr[c],
        ci = zi[c];
      const du = (k2 * Pout + pu) * m + k1;
      ur[du] = 0.5 * (ar + cr);
      ui[du] = 0.5 * (ai - ci);
      if (both) {
        const dv = (k2 * Pout + pv) * m + k1;
        vr[dv] = 0.5 * (ai + ci);
        vi[dv] = 0.5 * (cr - ar);
      }
    }
  }
}

/**
 * out plane po = fold_d(in plane pi * f): multiply a [n][Pin][m] spectrum by a real
 * transposed filter and sum the d x d aliased blocks onto [n/d][Pout][m/d]. Each
 * output is written once; the common d = 1 and d = 2 cases get their own loops.
 */
function multiplyFold(
  inR: Float64Array,
  inI: Float64Array,
  Pin: number,
  pi: number,
  m: number,
  n: number,
  f: Float64Array,
  d: number,
  outR: Float64Array,
  outI: Float64Array,
  Pout: number,
  po: number,
): void {
  const mo = m / d,
    no = n / d;
  if (d === 1) {
    for (let k2 = 0; k2 < n; k2++) {
      const o = (k2 * Pout + po) * m,
        s = (k2 * Pin + pi) * m,
        g = k2 * m;
      for (let i = 0; i < m; i++) {
        const v = f[g + i];
        outR[o + i] = inR[s + i] * v;
        outI[o + i] = inI[s + i] * v;
      }
    }
    return;
  }
  if (d === 2) {
    for (let k2o = 0; k2o < no; k2o++) {
      const o = (k2o * Pout + po) * mo;
      const s0 = (k2o * Pin + pi) * m,
        s1 = ((k2o + no) * Pin + pi) * m;
      const g0 = k2o * m,
        g1 = (k2o + no) * m;
      for (let i = 0; i < mo; i++) {
        const f00 = f[g0 + i],
          f01 = f[g0 + mo + i],
          f10 = f[g1 + i],
          f11 = f[g1 + mo + i];
        outR[o + i] = inR[s0 + i] * f00 + inR[s0 + mo + i] * f01 + inR[s1 + i] * f10 + inR[s1 + mo + i] * f11;
        outI[o + i] = inI[s0 + i] * f00 + inI[s0 + mo + i] * f01 + inI[s1 + i] * f10 + inI[s1 + mo + i] * f11;
      }
    }
    return;
  }
  for (let k2o = 0; k2o < no; k2o++) {
    const o = (k2o * Pout + po) * mo;
    for (let i = 0; i < mo; i++) {
      let ar = 0,
        ai = 0;
      for (let b = 0; b < d; b++) {
        const k2 = k2o + b * no;
        const s = (k2 * Pin + pi) * m + i,
          g = k2 * m + i;
        for (let a = 0; a < d; a++) {
          const v = f[g + a * mo];
          ar += inR[s + a * mo] * v;
          ai += inI[s + a * mo] * v;
        }
      }
      outR[o + i] = ar;
      outI[o + i] = ai;
    }
  }
}

/**
 * Planes 0 .. P - 1 of [n/d][P][m/d] = fold_d(in plane pi * f_p) for the P filters of
 * a pack (packFolded): each input value is read once for all P filters.
 */
function multiplyFoldAll(
  inR: Float64Array,
  inI: Float64Array,
  Pin: number,
  pi: number,
  m: number,
  n: number,
  fp: FoldPack,
  P: number,
  outR: Float64Array,
  outI: Float64Array,
): void {
  const { d, dense: pack } = fp;
  const mo = m / d,
    no = n / d;
  if (d === 1) {
    for (let k2 = 0; k2 < n; k2++) {
      const s = (k2 * Pin + pi) * m,
        ob = k2 * P * m;
      for (let i = 0; i < m; i++) {
        const xr = inR[s + i],
          xi = inI[s + i];
        const g = (k2 * m + i) * P;
        for (let l = 0; l < P; l++) {
          const v = pack[g + l];
          outR[ob + l * m + i] = xr * v;
          outI[ob + l * m + i] = xi * v;
        }
      }
    }
    return;
  }
  if (d === 2) {
    for (let k2o = 0; k2o < no; k2o++) {
      const s0 = (k2o * Pin + pi) * m,
        s1 = ((k2o + no) * Pin + pi) * m,
        ob = k2o * P * mo;
      for (let i = 0; i < mo; i++) {
        const x0r = inR[s0 + i],
          x1r = inR[s0 + mo + i],
          x2r = inR[s1 + i],
          x3r = inR[s1 + mo + i];
        const x0i = inI[s0 + i],
          x1i = inI[s0 + mo + i],
          x2i = inI[s1 + i],
          x3i = inI[s1 + mo + i];
        let g = (k2o * mo + i) * P * 4;
        for (let l = 0; l < P; l++, g += 4) {
          const f0 = pack[g],
            f1 = pack[g + 1],
            f2 = pack[g + 2],
            f3 = pack[g + 3];
          outR[ob + l * mo + i] = x0r * f0 + x1r * f1 + x2r * f2 + x3r * f3;
          outI[ob + l * mo + i] = x0i * f0 + x1i * f1 + x2i * f2 + x3i * f3;
        }
      }
    }
    return;
  }
  const { start, idx, val } = fp;
  const dd = d * d;
  const xr = new Float64Array(dd),
    xi = new Float64Array(dd);
  for (let k2o = 0; k2o < no; k2o++) {
    const ob = k2o * P * mo;
    for (let i = 0; i < mo; i++) {
      for (let b2 = 0; b2 < d; b2++) {
        const s = ((k2o + b2 * no) * Pin + pi) * m + i;
        for (let b1 = 0; b1 < d; b1++) {
          xr[b2 * d + b1] = inR[s + b1 * mo];
          xi[b2 * d + b1] = inI[s + b1 * mo];
        }
      }
      const g = (k2o * mo + i) * P;
      for (let l = 0; l < P; l++) {
        let ar = 0,
          ai = 0;
        for (let t = start[g + l], end = start[g + l + 1]; t < end; t++) {
          const v = val[t],
            b = idx[t];
          ar += xr[b] * v;
          ai += xi[b] * v;
        }
        outR[ob + l * mo + i] = ar;
        outI[ob + l * mo + i] = ai;
      }
    }
  }
}

function modulus(re: Float64Array, im: Float64Array, out: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
}

/**
 * Low-pass at resolution r, decimate to resolution J and unpad, for P real planes
 * [m][P][n]; writes channels ch .. ch + P - 1 of one image (offset `base` in out).
 * Rows first (only the h output rows, only the taps that matter), then columns.
 */
function lowpass(p: FastPlan, r: number, u: Float64Array, P: number, out: Float32Array, base: number): void {
  const { n, lowB, tapStart, tapIdx, tapVal } = p.levels[r];
  const { h, w } = p;
  const T = p.work.tmp;
  const row = P * n;
  for (let y = 0; y < h; y++) {
    const t0 = y * row;
    const end = tapStart[y + 1];
    let t = tapStart[y];
    // four taps per sweep keeps T in registers longer
    for (; t + 3 < end; t += 4) {
      const a0 = tapVal[t],
        a1 = tapVal[t + 1],
        a2 = tapVal[t + 2],
        a3 = tapVal[t + 3];
      const s0 = tapIdx[t] * row,
        s1 = tapIdx[t + 1] * row,
        s2 = tapIdx[t + 2] * row,
        s3 = tapIdx[t + 3] * row;
      if (t === tapStart[y]) {
        for (let i = 0; i < row; i++) T[t0 + i] = a0 * u[s0 + i] + a1 * u[s1 + i] + a2 * u[s2 + i] + a3 * u[s3 + i];
      } else {
        for (let i = 0; i < row; i++) T[t0 + i] += a0 * u[s0 + i] + a1 * u[s1 + i] + a2 * u[s2 + i] + a3 * u[s3 + i];
      }
    }
    if (t === tapStart[y]) T.fill(0, t0, t0 + row);
    for (; t < end; t++) {
      const a = tapVal[t],
        s = tapIdx[t] * row;
      for (let i = 0; i < row; i++) T[t0 + i] += a * u[s + i];
    }
  }
  for (let q = 0; q < P; q++) {
    const o = base + q * h * w;
    for (let y = 0; y < h; y++) {
      const t = (y * P + q) * n;
      for (let x = 0; x < w; x++) {
        const bo = x * n;
        let acc = 0;
        for (let c = 0; c < n; c++) acc += T[t + c] * lowB[bo + c];
        out[o + y * w + x] = acc;
      }
    }
  }
}

/** A batch in shared memory, scattered by several threads at once. */
export interface SharedScatterJob {
  id: number;
  images: Float32Array;
  out: Float32Array;
  /** counter[0]: the first image not yet claimed. */
  counter: Int32Array;
  /** Images per claim (even: images are transformed two at a time). */
  chunk: number;
  B: number;
  H: number;
  W: number;
  o: ScatteringOptions;
}

/** Claim chunks of a shared batch until none is left (each thread calls this). */
export function scatterSharedChunks(job: SharedScatterJob): void {
  const p = fastPlan(job.H, job.W, job.o);
  for (;;) {
    const first = Atomics.add(job.counter, 0, job.chunk);
    if (first >= job.B) return;
    scatteringInto(p, job.images, first, Math.min(job.chunk, job.B - first), job.out, first);
  }
}
