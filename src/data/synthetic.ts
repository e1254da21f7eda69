/**
 * The built-in synthetic dataset: 10 classes of 28x28x1 images in [0, 1], generated in
 * code from a seed, so everything works offline and tests are reproducible.
 *
 *   makeSynthetic({ seed = 1, train = 6000, test = 1000 }): Dataset
 *   SYNTHETIC_CLASS_NAMES
 *
 * Four classes are oriented stripe textures (jittered phase, period and angle inside a
 * soft disc), six are outline or filled shapes (jittered position, rotation, scale and
 * stroke width). Every image gets a random contrast and Gaussian noise, and is then
 * shifted so its mean brightness is a random level drawn independently of the class:
 * brightness alone says nothing, the pattern says everything.
 *
 * Sample i of a split depends only on (seed, split, i), so asking for fewer samples
 * gives a prefix of the larger set, and the test set does not depend on the train size.
 * Labels are balanced within every consecutive block of 10 samples.
 */
import type { Dataset, DataSplit } from '../../compiler/dataset';

export const SYNTHETIC_CLASS_NAMES: readonly string[] = [
  'horizontal stripes',
  'vertical stripes',
  'rising diagonal stripes',
  'falling diagonal stripes',
  'ring',
  'disc',
  'plus',
  'cross',
  'square',
  'triangle',
];

const SIDE = 28;
const CLASSES = 10;

export interface SyntheticOptions {
  seed?: number;
  /** Number of training samples (default 6000). */
  train?: number;
  /** Number of test samples (default 1000). */
  test?: number;
}

export function makeSynthetic(opts: SyntheticOptions = {}): Dataset {
  const seed = opts.seed ?? 1;
  return {
    name: 'synthetic',
    shape: [SIDE, SIDE, 1],
    classes: CLASSES,
    classNames: [...SYNTHETIC_CLASS_NAMES],
    train: makeSplit(seed, 0, opts.train ?? 6000),
    test: makeSplit(seed, 1, opts.test ?? 1000),
  };
}

/** An integer hash of three values, so independent streams never share state. */
function mix(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^
    Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: small, fast and good enough for image jitter. */
function rng(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeSplit(seed: number, split: number, count: number): DataSplit {
  const n = Math.max(0, Math.floor(count));
  const images = new Float32Array(n * SIDE * SIDE);
  const labels = new Uint8Array(n);
  const order = new Uint8Array(CLASSES);
  for (let i = 0; i < n; i++) {
    if (i % CLASSES === 0) {
      // A fresh shuffle of 0..9 per block keeps classes balanced and unordered.
      const r = rng(mix(seed, split + 100, i / CLASSES));
      for (let k = 0; k < CLASSES; k++) order[k] = k;
      for (let k = CLASSES - 1; k > 0; k--) {
        const j = Math.floor(r() * (k + 1));
        const t = order[k];
        order[k] = order[j];
        order[j] = t;
      }
    }
    labels[i] = order[i % CLASSES];
    render(labels[i], rng(mix(seed, split, i)), images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE));
  }
  return { images, labels, count: n };
}

type Seg = [number, number, number, number];

const SHAPES: Record<number, Seg[]> = {
  6: [
    [-9, 0, 9, 0],
    [0, -9, 0, 9],
  ],
  7: [
    [-7, -7, 7, 7],
    [-7, 7, 7, -7],
  ],
  8: [
    [-8, -8, 8, -8],
    [8, -8, 8, 8],
    [8, 8, -8, 8],
    [-8, 8, -8, -8],
  ],
  9: [
    [0, -9, 8.5, 6.5],
    [8.5, 6.5, -8.5, 6.5],
    [-8.5, 6.5, 0, -9],
  ],
};

/** Stripe direction (radians of the wave vector) of classes 0..3. */
const STRIPE_ANGLE = [Math.PI / 2, 0, -Math.PI / 4, Math.PI / 4];

function segDistance(u: number, v: number, s: Seg): number {
  const dx = s[2] - s[0];
  const dy = s[3] - s[1];
  const t = Math.max(0, Math.min(1, ((u - s[0]) * dx + (v - s[1]) * dy) / (dx * dx + dy * dy)));
  const ex = u - s[0] - t * dx;
  const ey = v - s[1] - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

interface Jitter {
  width: number;
  /** Wave vector of the stripes. */
  kx: number;
  ky: number;
  phase: number;
}

/** Intensity in [0, 1] at template coordinates (u, v), before contrast and noise. */
function pattern(label: number, u: number, v: number, p: Jitter): number {
  switch (label) {
    case 0:
    case 1:
    case 2:
    case 3:
      return (0.5 + 0.5 * Math.cos(p.kx * u + p.ky * v + p.phase)) * clamp01(10.5 - Math.sqrt(u * u + v * v));
    case 4:
      return clamp01(p.width + 0.5 - Math.abs(Math.sqrt(u * u + v * v) - 8));
    case 5:
      return clamp01(6.5 + p.width - 1 - Math.sqrt(u * u + v * v));
    default: {
      const segs = SHAPES[label];
      let d = Infinity;
      for (let i = 0; i < segs.length; i++) d = Math.min(d, segDistance(u, v, segs[i]));
      return clamp01(p.width + 0.5 - d);
    }
  }
}

/**
 * Standard normal samples drawn once: picking from a table costs one random number per
 * pixel instead of a logarithm and a cosine, and is just as good for pixel noise.
 */
const NORMALS: Float32Array = (() => {
  const r = rng(0x5eed);
  const t = new Float32Array(8192);
  for (let i = 0; i < t.length; i += 2) {
    const rad = Math.sqrt(-2 * Math.log(1 - r()));
    const th = 2 * Math.PI * r();
    t[i] = rad * Math.cos(th);
    t[i + 1] = rad * Math.sin(th);
  }
  return t;
})();

function render(label: number, r: () => number, out: Float32Array): void {
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * r();
  const rot = label < 4 ? 0 : uniform(-0.2, 0.2);
  const scale = uniform(0.85, 1.15);
  const tx = uniform(-2.5, 2.5);
  const ty = uniform(-2.5, 2.5);
  const angle = STRIPE_ANGLE[label % 4] + uniform(-0.15, 0.15);
  const k = (2 * Math.PI) / uniform(5, 6.5);
  const kx = k * Math.cos(angle);
  const ky = k * Math.sin(angle);
  // The stripes stay anchored to the image centre while their disc moves, so the
  // phase jitter is all the phase jitter there is.
  const phase = uniform(-1, 1) + (kx * tx + ky * ty) / scale;
  const p: Jitter = { width: uniform(0.9, 1.6), kx, ky, phase };
  const contrast = uniform(0.3, 0.55);
  const sigma = uniform(0.03, 0.1);
  const level = uniform(0.25, 0.5);
  const c = Math.cos(rot) / scale;
  const s = Math.sin(rot) / scale;
  let sum = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const px = x - 13.5 - tx;
      const py = y - 13.5 - ty;
      const noise = sigma * NORMALS[(r() * NORMALS.length) | 0];
      const val = contrast * pattern(label, c * px + s * py, -s * px + c * py, p) + noise;
      out[y * SIDE + x] = val;
      sum += val;
    }
  }
  const shift = level - sum / (SIDE * SIDE);
  for (let i = 0; i < out.length; i++) out[i] = clamp01(out[i] + shift);
}
