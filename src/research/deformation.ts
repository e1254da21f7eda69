/**
 * Random smooth deformations of images and the matched-norm noise they are compared
 * with (docs/science.md, Stability to deformations, after Petrini, Favero, Geiger and Wyart 2021).
 *
 * Each displacement component is tau(u, v) = sum C_ij sin(i pi u) sin(j pi v) over
 * i, j >= 1 with sqrt(i^2 + j^2) < c + 1/2, C_ij ~ N(0, T / (i^2 + j^2)), where
 * u = row / (H - 1) and v = col / (W - 1) span [0, 1] so the border pixels stay put.
 * The deformed image is (tau x)(row, col) = x(row - H tau_u, col - W tau_v), read by
 * bilinear interpolation with coordinates clamped to the image.
 */
import { seededRandom, type SeededRandom } from '../../nodes/math/linalg';

export interface DeformationModes {
  T: number;
  c: number;
  /** Mode pairs (i, j) with their coefficients for the row (cu) and column (cv) component. */
  modes: { i: number; j: number; cu: number; cv: number }[];
}

/** The (i, j) pairs kept by the cut-off c. */
export function modePairs(c: number): [number, number][] {
  const out: [number, number][] = [];
  const r2 = (c + 0.5) ** 2;
  for (let i = 1; i * i < r2; i++) for (let j = 1; i * i + j * j < r2; j++) out.push([i, j]);
  return out;
}

/** Draws the coefficients of one deformation at temperature T and cut-off c. */
export function sampleDeformation(rng: SeededRandom, T: number, c: number): DeformationModes {
  if (!(T >= 0)) throw new RangeError('deformation temperature T must be >= 0');
  if (!(c >= 1)) throw new RangeError('deformation cut-off c must be >= 1');
  const modes = modePairs(c).map(([i, j]) => {
    const s = Math.sqrt(T / (i * i + j * j));
    return { i, j, cu: s * rng.normal(), cv: s * rng.normal() };
  });
  return { T, c, modes };
}

/** Pixel displacement field (dRow, dCol), H x W row-major, of a deformation. */
export function displacementField(
  def: DeformationModes,
  H: number,
  W: number,
): { dRow: Float64Array; dCol: Float64Array } {
  const dRow = new Float64Array(H * W);
  const dCol = new Float64Array(H * W);
  const su = new Float64Array(H);
  const sv = new Float64Array(W);
  for (const { i, j, cu, cv } of def.modes) {
    if (cu === 0 && cv === 0) continue;
    for (let r = 0; r < H; r++) su[r] = Math.sin((i * Math.PI * r) / Math.max(H - 1, 1));
    for (let q = 0; q < W; q++) sv[q] = Math.sin((j * Math.PI * q) / Math.max(W - 1, 1));
    for (let r = 0; r < H; r++) {
      const a = su[r] * H * cu;
      const b = su[r] * W * cv;
      for (let q = 0; q < W; q++) {
        dRow[r * W + q] += a * sv[q];
        dCol[r * W + q] += b * sv[q];
      }
    }
  }
  return { dRow, dCol };
}

/**
 * Warps one channel-last image (H, W, C) by a displacement field, bilinearly, with
 * clamped borders. A zero field returns an exact copy.
 */
export function warpImage(
  image: ArrayLike<number>,
  H: number,
  W: number,
  C: number,
  field: { dRow: ArrayLike<number>; dCol: ArrayLike<number> },
  out = new Float32Array(H * W * C),
): Float32Array {
  for (let r = 0; r < H; r++) {
    for (let q = 0; q < W; q++) {
      const p = r * W + q;
      const y = Math.min(Math.max(r - field.dRow[p], 0), H - 1);
      const x = Math.min(Math.max(q - field.dCol[p], 0), W - 1);
      const y0 = Math.floor(y);
      const x0 = Math.floor(x);
      const y1 = Math.min(y0 + 1, H - 1);
      const x1 = Math.min(x0 + 1, W - 1);
      const fy = y - y0;
      const fx = x - x0;
      const w00 = (1 - fy) * (1 - fx),
        w01 = (1 - fy) * fx,
        w10 = fy * (1 - fx),
        w11 = fy * fx;
      const i00 = (y0 * W + x0) * C,
        i01 = (y0 * W + x1) * C,
        i10 = (y1 * W + x0) * C,
        i11 = (y1 * W + x1) * C;
      for (let ch = 0; ch < C; ch++) {
        out[p * C + ch] =
          fy === 0 && fx === 0
            ? image[i00 + ch]
            : w00 * image[i00 + ch] + w01 * image[i01 + ch] + w10 * image[i10 + ch] + w11 * image[i11 + ch];
      }
    }
  }
  return out;
}

/**
 * Deforms each image of a batch (N, H, W, C) with its own deformation, drawn from
 * `seed`: the same seed gives the same deformations.
 */
export function deformBatch(
  images: Float32Array | Float64Array,
  count: number,
  H: number,
  W: number,
  C: number,
  T: number,
  c: number,
  seed: number,
): Float32Array {
  const rng = seededRandom(seed);
  const size = H * W * C;
  const out = new Float32Array(count * size);
  for (let n = 0; n < count; n++) {
    const field = displacementField(sampleDeformation(rng, T, c), H, W);
    warpImage(images.subarray(n * size, (n + 1) * size), H, W, C, field, out.subarray(n * size, (n + 1) * size));
  }
  return out;
}

/** Typical displacement in pixels, delta = (n / 2) sqrt(pi T ln c) (large-c estimate). */
export function typicalDisplacement(n: number, T: number, c: number): number {
  return (n / 2) * Math.sqrt(Math.PI * T * Math.log(c));
}

/**
 * The exact expected root-mean-square pixel displacement over an n x n grid,
 * (n - 1) sqrt(T / 2 sum 1 / (i^2 + j^2)) (valid for c < n - 1): the sum is what the
 * formula above approximates by (pi / 2) ln c, so the two differ by 10 to 20 percent
 * at c = 3 to 30, less as c grows.
 */
export function exactTypicalDisplacement(n: number, T: number, c: number): number {
  let s = 0;
  for (const [i, j] of modePairs(c)) s += 1 / (i * i + j * j);
  return (n - 1) * Math.sqrt((T / 2) * s);
}

/**
 * Temperatures worth probing for an n x n image: T_min = 1 / (pi n^2 ln c) gives a
 * typical displacement of half a pixel; T_max = 4 / (pi^3 c^2 ln c) is where the
 * deformation stops being a diffeomorphism (it starts folding the image).
 */
export function temperatureRange(n: number, c: number): { Tmin: number; Tmax: number } {
  const lc = Math.log(c);
  return { Tmin: 1 / (Math.PI * n * n * lc), Tmax: 4 / (Math.PI ** 3 * c * c * lc) };
}

/** Root-mean-square length of a displacement field, in pixels. */
export function rmsDisplacement(field: { dRow: ArrayLike<number>; dCol: ArrayLike<number> }): number {
  let s = 0;
  const n = field.dRow.length;
  for (let p = 0; p < n; p++) s += field.dRow[p] ** 2 + field.dCol[p] ** 2;
  return Math.sqrt(s / n);
}

/**
 * Matched-norm noise: eta = ||deformed - x|| g / ||g|| with g standard Gaussian, so the
 * noise moves x exactly as far as the deformation did, in a random direction.
 */
export function matchedNoise(x: ArrayLike<number>, deformed: ArrayLike<number>, rng: SeededRandom): Float64Array {
  let dist2 = 0;
  for (let i = 0; i < x.length; i++) dist2 += (deformed[i] - x[i]) ** 2;
  const g = new Float64Array(x.length);
  let g2 = 0;
  for (let i = 0; i < g.length; i++) {
    g[i] = rng.normal();
    g2 += g[i] * g[i];
  }
  const scale = g2 > 0 ? Math.sqrt(dist2 / g2) : 0;
  for (let i = 0; i < g.length; i++) g[i] *= scale;
  return g;
}
