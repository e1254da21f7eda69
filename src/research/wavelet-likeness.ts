/**
 * How wavelet-like is a learned filter? The best absolute normalized correlation
 * (cosine similarity) with any Morlet filter of a bank, over scales, orientations
 * and small shifts. 1 means equal to a Morlet filter up to a complex factor; white
 * noise of k x k taps scores about sqrt(2 / k^2) against a single candidate.
 *
 * A complex filter f is compared by |<f, psi>| / (||f|| ||psi||), which ignores a
 * global phase. A real filter (a CNN's first layer) is compared with every phase of
 * the Morlet filter at once: the norm of its projection onto span{Re psi, Im psi}.
 */
import { morlet2d, waveletParams } from '../../nodes/math/filter-bank';

export interface MorletCandidate {
  /** Scale index (fractional between the bank's scales), orientation angle. */
  j: number;
  theta: number;
  sigma: number;
  xi: number;
  slant: number;
  /** h x w kernel, centred at (floor(h / 2), floor(w / 2)). */
  re: Float64Array;
  im: Float64Array;
}

/**
 * A Morlet filter as an h x w convolution kernel: built by morlet2d on a grid x grid
 * periodic grid (centred at index 0) and cropped around the origin, so the centre
 * tap sits at (floor(h / 2), floor(w / 2)). Pass the grid the filters were built on
 * (the padded image size for a scattering bank) to reproduce them exactly.
 */
export function morletKernel(
  h: number,
  w: number,
  p: { sigma: number; theta: number; xi: number; slant: number },
  grid = 64,
): { re: Float64Array; im: Float64Array } {
  const G = Math.max(grid, h, w);
  const full = morlet2d(G, G, p.sigma, p.theta, p.xi, p.slant);
  const re = new Float64Array(h * w);
  const im = new Float64Array(h * w);
  const ch = Math.floor(h / 2);
  const cw = Math.floor(w / 2);
  for (let r = 0; r < h; r++) {
    const gr = (((r - ch) % G) + G) % G;
    for (let q = 0; q < w; q++) {
      const gq = (((q - cw) % G) + G) % G;
      re[r * w + q] = full.re[gr * G + gq];
      im[r * w + q] = full.im[gr * G + gq];
    }
  }
  return { re, im };
}

export interface CandidateOptions {
  /** The bank's scales j = 0..J-1 and orientations L (slant = 4 / L as in the bank). */
  J: number;
  L: number;
  /** Scales tried per octave (1: exactly the bank's scales). */
  scalesPerOctave?: number;
  /** Orientations tried over [0, pi) (default L: exactly the bank's angles). */
  orientations?: number;
  grid?: number;
}

/** The Morlet filters a learned h x w filter is compared with. */
export function morletCandidates(h: number, w: number, o: CandidateOptions): MorletCandidate[] {
  const spo = Math.max(1, Math.floor(o.scalesPerOctave ?? 1));
  const Lo = Math.max(1, Math.floor(o.orientations ?? o.L));
  const out: MorletCandidate[] = [];
  for (let s = 0; s <= (o.J - 1) * spo; s++) {
    const j = s / spo;
    for (let l = 0; l < Lo; l++) {
      // Same angle formula as the bank, with Lo orientations: equal to the bank when Lo = L.
      const base = waveletParams(j, 0, o.L);
      const theta = ((Math.floor(Lo - Lo / 2 - 1) - l) * Math.PI) / Lo;
      const p = { sigma: base.sigma, theta, xi: base.xi, slant: base.slant };
      out.push({ j, ...p, ...morletKernel(h, w, p, o.grid) });
    }
  }
  return out;
}

export interface Likeness {
  score: number;
  /** Index into the candidates of the best match, and its shift in taps (rows, cols). */
  index: number;
  shift: [number, number];
  j: number;
  theta: number;
}

/**
 * Wavelet-likeness of one h x w filter (im omitted for a real filter), against the
 * candidates shifted by up to `maxShift` taps each way (zero-filled).
 */
export function waveletLikeness(
  filter: { re: ArrayLike<number>; im?: ArrayLike<number> },
  h: number,
  w: number,
  candidates: MorletCandidate[],
  maxShift = 0,
): Likeness {
  const fr = filter.re;
  const fi = filter.im;
  let fn2 = 0;
  for (let t = 0; t < h * w; t++) fn2 += fr[t] ** 2 + (fi ? fi[t] ** 2 : 0);
  let best: Likeness = { score: 0, index: -1, shift: [0, 0], j: NaN, theta: NaN };
  if (fn2 === 0) return best;
  for (let ci = 0; ci < candidates.length; ci++) {
    const cand = candidates[ci];
    for (let dr = -maxShift; dr <= maxShift; dr++) {
      for (let dc = -maxShift; dc <= maxShift; dc++) {
        const s = fi ? complexScore(fr, fi, cand, h, w, dr, dc) : realScore(fr, cand, h, w, dr, dc);
        const score = s / Math.sqrt(fn2);
        if (score > best.score) best = { score, index: ci, shift: [dr, dc], j: cand.j, theta: cand.theta };
      }
    }
  }
  return best;
}

/** Scores of many filters, with their mean. */
export function bankLikeness(
  filters: { re: ArrayLike<number>; im?: ArrayLike<number> }[],
  h: number,
  w: number,
  candidates: MorletCandidate[],
  maxShift = 0,
): { scores: Likeness[]; mean: number } {
  const scores = filters.map((f) => waveletLikeness(f, h, w, candidates, maxShift));
  const mean = scores.reduce((a, s) => a + s.score, 0) / Math.max(scores.length, 1);
  return { scores, mean };
}

/** Value of the candidate shifted by (dr, dc) at tap (r, q), zero outside the window. */
function shiftedIndex(r: number, q: number, h: number, w: number, dr: number, dc: number): number {
  const sr = r - dr;
  const sq = q - dc;
  return sr < 0 || sr >= h || sq < 0 || sq >= w ? -1 : sr * w + sq;
}

/** |<f, psi>| / ||psi|| for complex f (the caller divides by ||f||). */
function complexScore(
  fr: ArrayLike<number>,
  fi: ArrayLike<number>,
  c: MorletCandidate,
  h: number,
  w: number,
  dr: number,
  dc: number,
): number {
  let ar = 0,
    ai = 0,
    pn = 0;
  for (let r = 0; r < h; r++) {
    for (let q = 0; q < w; q++) {
      const s = shiftedIndex(r, q, h, w, dr, dc);
      if (s < 0) continue;
      const t = r * w + q;
      const pr = c.re[s],
        pi = c.im[s];
      // f conj(psi)
      ar += fr[t] * pr + fi[t] * pi;
      ai += fi[t] * pr - fr[t] * pi;
      pn += pr * pr + pi * pi;
    }
  }
  return pn > 0 ? Math.hypot(ar, ai) / Math.sqrt(pn) : 0;
}

/** Norm of the projection of real f onto span{Re psi, Im psi} (Gram-Schmidt in 2D). */
function realScore(fr: ArrayLike<number>, c: MorletCandidate, h: number, w: number, dr: number, dc: number): number {
  let aa = 0,
    bb = 0,
    ab = 0,
    fa = 0,
    fb = 0;
  for (let r = 0; r < h; r++) {
    for (let q = 0; q < w; q++) {
      const s = shiftedIndex(r, q, h, w, dr, dc);
      if (s < 0) continue;
      const f = fr[r * w + q];
      const a = c.re[s],
        b = c.im[s];
      aa += a * a;
      bb += b * b;
      ab += a * b;
      fa += f * a;
      fb += f * b;
    }
  }
  // Squared projection norm = [fa fb] G^-1 [fa fb]^T with G the 2 x 2 Gram matrix.
  const det = aa * bb - ab * ab;
  if (det <= 1e-14 * aa * bb || det <= 0) {
    const n = aa >= bb ? aa : bb;
    const fx = aa >= bb ? fa : fb;
    return n > 0 ? Math.abs(fx) / Math.sqrt(n) : 0;
  }
  const q2 = (bb * fa * fa - 2 * ab * fa * fb + aa * fb * fb) / det;
  return Math.sqrt(Math.max(q2, 0));
}
