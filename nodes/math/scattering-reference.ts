/**
 * Reference 2D scattering transform in float64 (docs/science.md, Scattering), written to be
 * obviously right rather than fast: full 2D DFTs at every step, decimation done in
 * space by keeping every k-th sample, one image at a time. The fast path is tested
 * against it.
 */
import { dft2, type Complex2D } from './dft';
import { channelCount, filterBank, padBefore, padSize } from './filter-bank';

export interface ScatteringOptions {
  J: number;
  L: number;
  maxOrder: 1 | 2;
}

export interface ScatteringShape {
  K: number;
  /** Padded grid. */
  M: number;
  N: number;
  /** Output spatial size. */
  h: number;
  w: number;
}

/** Sizes for an H x W input; throws RangeError when 2^J > min(H, W) or J, L < 1. */
export function scatteringShape(H: number, W: number, o: ScatteringOptions): ScatteringShape {
  if (!Number.isInteger(o.J) || o.J < 1) throw new RangeError(`J must be a whole number >= 1, got ${o.J}.`);
  if (!Number.isInteger(o.L) || o.L < 1) throw new RangeError(`L must be a whole number >= 1, got ${o.L}.`);
  if (o.maxOrder !== 1 && o.maxOrder !== 2) throw new RangeError(`max order must be 1 or 2, got ${o.maxOrder}.`);
  if (2 ** o.J > Math.min(H, W)) {
    throw new RangeError(
      `2^J = ${2 ** o.J} is larger than the smallest image side (${Math.min(H, W)}); use J <= ${Math.floor(Math.log2(Math.min(H, W)))}.`,
    );
  }
  const M = padSize(H, o.J);
  const N = padSize(W, o.J);
  return { K: channelCount(o.J, o.L, o.maxOrder), M, N, h: M / 2 ** o.J - 2, w: N / 2 ** o.J - 2 };
}

/** numpy 'reflect' index (mirror without repeating the edge), for any offset. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * (n - 1);
  const m = ((i % p) + p) % p;
  return m < n ? m : p - m;
}

/** Reflect-pad one H x W image onto the M x N grid (padBefore rows/cols first). */
export function reflectPad(
  img: ArrayLike<number>,
  H: number,
  W: number,
  J: number,
): { data: Float64Array; M: number; N: number } {
  const M = padSize(H, J);
  const N = padSize(W, J);
  const top = padBefore(H, J);
  const left = padBefore(W, J);
  const data = new Float64Array(M * N);
  for (let r = 0; r < M; r++) {
    const sr = reflectIndex(r - top, H);
    for (let c = 0; c < N; c++) data[r * N + c] = img[sr * W + reflectIndex(c - left, W)];
  }
  return { data, M, N };
}

/** Circular convolution with a real Fourier-domain filter: ifft(fft(x) * F). */
function filterFourier(x: Complex2D, F: Float64Array, M: number, N: number): Complex2D {
  const X = dft2(x, M, N);
  for (let i = 0; i < M * N; i++) {
    X.re[i] *= F[i];
    X.im[i] *= F[i];
  }
  return dft2(X, M, N, true);
}

/** Keep every k-th sample in both directions. */
function decimate(x: Complex2D, M: number, N: number, k: number): Complex2D {
  const m = M / k;
  const n = N / k;
  const re = new Float64Array(m * n);
  const im = new Float64Array(m * n);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      re[r * n + c] = x.re[r * k * N + c * k];
      im[r * n + c] = x.im[r * k * N + c * k];
    }
  }
  return { re, im };
}

function modulus(x: Complex2D): Complex2D {
  const re = x.re.map((v, i) => Math.hypot(v, x.im[i]));
  return { re, im: new Float64Array(re.length) };
}

/**
 * Scattering coefficients of a batch: images (B, H, W) row-major, result (B, K, h, w)
 * float64 in Kymatio's channel order (S0; S1 by j1, l1; S2 by j1, l1, j2, l2 with j2 > j1).
 */
export function scatteringReference(
  images: ArrayLike<number>,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
): Float64Array {
  const { K, M, N, h, w } = scatteringShape(H, W, o);
  const { J, L, maxOrder } = o;
  const bank = filterBank(M, N, J, L);
  const phi = bank.phi.levels;
  const out = new Float64Array(B * K * h * w);
  let channel = 0;
  let base = 0;

  // Low-pass at resolution r, decimate to resolution J, drop one coarse sample per border.
  const emit = (x: Complex2D, r: number) => {
    const m = M >> r;
    const n = N >> r;
    const s = decimate(filterFourier(x, phi[r], m, n), m, n, 2 ** (J - r));
    const cols = N >> J;
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) out[base + (channel * h + y) * w + xx] = s.re[(y + 1) * cols + xx + 1];
    }
    channel++;
  };

  for (let b = 0; b < B; b++) {
    base = b * K * h * w;
    channel = 0;
    const img = Array.prototype.slice.call(images, b * H * W, (b + 1) * H * W) as number[];
    const x0: Complex2D = { re: reflectPad(img, H, W, J).data, im: new Float64Array(M * N) };
    emit(x0, 0);
    const U1s: { j1: number; U: Complex2D }[] = [];
    for (const p1 of bank.psi) {
      const U = modulus(decimate(filterFourier(x0, p1.levels[0], M, N), M, N, 2 ** p1.j));
      emit(U, p1.j);
      U1s.push({ j1: p1.j, U });
    }
    if (maxOrder < 2) continue;
    for (const { j1, U } of U1s) {
      const m = M >> j1;
      const n = N >> j1;
      for (const p2 of bank.psi) {
        if (p2.j <= j1) continue;
        const U2 = modulus(decimate(filterFourier(U, p2.levels[j1], m, n), m, n, 2 ** (p2.j - j1)));
        emit(U2, p2.j);
      }
    }
  }
  return out;
}
