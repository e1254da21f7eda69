/**
 * Deformation stability of a network's features (docs/science.md, Stability to deformations):
 *   D_f = E||f(tau x) - f(x)||^2 / E||f(x) - f(z)||^2
 *   G_f = E||f(x + eta) - f(x)||^2 / E||f(x) - f(z)||^2
 *   R_f = D_f / G_f
 * with eta the matched-norm noise of each deformation and x, z distinct test images,
 * for every named feature map f returns (the output and any hidden layer) at once.
 */
import { seededRandom, type SeededRandom } from '../../nodes/math/linalg';
import { displacementField, matchedNoise, rmsDisplacement, sampleDeformation, warpImage } from './deformation';

export type Features = Record<string, Float32Array | Float64Array>;
/** Maps a batch (count, H, W, C) to named features, each (count, dim) row-major. */
export type FeatureFn = (batch: Float32Array, count: number) => Features | Promise<Features>;

export interface StabilityOptions {
  /** Deformation temperature and cut-off. */
  T: number;
  c: number;
  seed?: number;
  /** Number of test images x used (each with its own deformation and noise); default all. */
  samples?: number;
  /** Images per call of f is 3 times this (x, tau x, x + eta); default 32. */
  batchSize?: number;
  /** Replaces the random deformation (the noise is still matched to its norm). */
  perturb?: (x: Float32Array, H: number, W: number, C: number, rng: SeededRandom) => Float32Array;
}

export interface LayerStability {
  D: number;
  G: number;
  R: number;
  /** Means of ||f(tau x) - f(x)||^2, ||f(x + eta) - f(x)||^2, ||f(x) - f(z)||^2. */
  deformDist2: number;
  noiseDist2: number;
  pairDist2: number;
  /** Standard error of ln R from the sample (delta method): R is known to about R * this. */
  logRStdErr: number;
}

export interface StabilityResult {
  T: number;
  c: number;
  seed: number;
  samples: number;
  /** Root-mean-square pixel displacement of the deformations drawn (NaN with `perturb`). */
  displacement: number;
  layers: Record<string, LayerStability>;
}

interface Sums {
  d: number[];
  g: number[];
  p: number[];
}

export async function stabilityProbe(
  f: FeatureFn,
  images: Float32Array,
  count: number,
  shape: { H: number; W: number; C: number },
  options: StabilityOptions,
): Promise<StabilityResult> {
  const { H, W, C } = shape;
  const size = H * W * C;
  if (images.length < count * size)
    throw new RangeError(`stabilityProbe: expected ${count} images of ${H}x${W}x${C}, got ${images.length} values`);
  const seed = options.seed ?? 0;
  const P = Math.min(options.samples ?? count, count);
  if (P < 2) throw new RangeError('stabilityProbe: needs at least two test images (x and an independent z)');
  const B = Math.max(2, options.batchSize ?? 32);
  const rng = seededRandom(seed);

  const order = shuffle(count, rng).slice(0, P);
  const chunks: number[][] = [];
  for (let s = 0; s < P; s += B) chunks.push(order.slice(s, s + B));
  if (chunks.length > 1 && chunks[chunks.length - 1].length === 1) chunks[chunks.length - 2].push(...chunks.pop()!);

  const sums = new Map<string, Sums>();
  let disp2 = 0;
  for (const chunk of chunks) {
    const b = chunk.length;
    const batch = new Float32Array(3 * b * size);
    chunk.forEach((idx, k) => {
      const x = images.subarray(idx * size, (idx + 1) * size);
      let moved: Float32Array;
      if (options.perturb) {
        moved = options.perturb(x, H, W, C, rng);
      } else {
        const field = displacementField(sampleDeformation(rng, options.T, options.c), H, W);
        disp2 += rmsDisplacement(field) ** 2;
        moved = warpImage(x, H, W, C, field);
      }
      const eta = matchedNoise(x, moved, rng);
      batch.set(x, k * size);
      batch.set(moved, (b + k) * size);
      const noisy = batch.subarray((2 * b + k) * size, (2 * b + k + 1) * size);
      for (let i = 0; i < size; i++) noisy[i] = x[i] + eta[i];
    });
    const feats = await f(batch, 3 * b);
    for (const [name, arr] of Object.entries(feats)) {
      if (arr.length % (3 * b) !== 0)
        throw new RangeError(
          `stabilityProbe: feature "${name}" has ${arr.length} values, not a multiple of the batch size ${3 * b}`,
        );
      const dim = arr.length / (3 * b);
      let s = sums.get(name);
      if (!s) sums.set(name, (s = { d: [], g: [], p: [] }));
      for (let k = 0; k < b; k++) {
        // z is the next image of the chunk: the order is a random shuffle, so pairs are random and distinct.
        const z = (k + 1) % b;
        s.d.push(dist2(arr, k * dim, (b + k) * dim, dim));
        s.g.push(dist2(arr, k * dim, (2 * b + k) * dim, dim));
        s.p.push(dist2(arr, k * dim, z * dim, dim));
      }
    }
  }

  const layers: Record<string, LayerStability> = {};
  for (const [name, s] of sums) layers[name] = summarize(s);
  const displacement = options.perturb ? NaN : Math.sqrt(disp2 / P);
  return { T: options.T, c: options.c, seed, samples: P, displacement, layers };
}

function dist2(a: Float32Array | Float64Array, i: number, j: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const diff = a[i + t] - a[j + t];
    s += diff * diff;
  }
  return s;
}

function summarize({ d, g, p }: Sums): LayerStability {
  const n = d.length;
  const md = mean(d),
    mg = mean(g),
    mp = mean(p);
  // Var(ln(md / mg)) ~ (var d / md^2 + var g / mg^2 - 2 cov(d, g) / (md mg)) / n
  let vd = 0,
    vg = 0,
    cdg = 0;
  for (let k = 0; k < n; k++) {
    vd += (d[k] - md) ** 2;
    vg += (g[k] - mg) ** 2;
    cdg += (d[k] - md) * (g[k] - mg);
  }
  const den = Math.max(n - 1, 1);
  vd /= den;
  vg /= den;
  cdg /= den;
  const varLog = md > 0 && mg > 0 ? (vd / (md * md) + vg / (mg * mg) - (2 * cdg) / (md * mg)) / n : NaN;
  const D = mp > 0 ? md / mp : NaN;
  const G = mp > 0 ? mg / mp : NaN;
  const R = mg > 0 ? md / mg : NaN;
  return { D, G, R, deformDist2: md, noiseDist2: mg, pairDist2: mp, logRStdErr: Math.sqrt(Math.max(varLog, 0)) };
}

function mean(v: number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return v.length ? s / v.length : NaN;
}

/** Seeded Fisher-Yates shuffle of 0..n-1. */
function shuffle(n: number, rng: SeededRandom): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
