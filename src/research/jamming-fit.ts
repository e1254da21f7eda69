/**
 * Pure read-outs of a jamming sweep (docs/science.md, Jamming): where the unsatisfied
 * constraints vanish at each training-set size P (N*), the straight line through the
 * points (P, N*) of the phase diagram, and the spread of an ensemble's outputs.
 */

export interface ThresholdPoint {
  N: number;
  /** Unsatisfied constraints of each network trained at this N. */
  unsatisfied: number[];
}

/**
 * The jamming threshold of one P: the smallest N from which, at every larger N too, at
 * least half the networks satisfy all constraints (nStar; with one network per point,
 * that network), and the largest N below it where fewer do (nBelow). A majority rather
 * than every network, because a run stopped by its budget or a stall near N* would
 * otherwise move N* to the next width on its own. nStar is null when the widest are
 * still jammed; nBelow is null when even the narrowest fit.
 */
export function jammingThreshold(points: ThresholdPoint[]): { nStar: number | null; nBelow: number | null } {
  const sorted = [...points].sort((a, b) => a.N - b.N);
  let nStar: number | null = null;
  let nBelow: number | null = null;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const fitted = sorted[i].unsatisfied.filter((u) => u === 0).length;
    if (fitted > 0 && 2 * fitted >= sorted[i].unsatisfied.length) nStar = sorted[i].N;
    else {
      nBelow = sorted[i].N;
      break;
    }
  }
  return { nStar, nBelow };
}

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination; NaN with fewer than three points. */
  r2: number;
  /** Slope of the line through the origin (N* = slope·P), the papers' proportionality. */
  slopeThroughOrigin: number;
}

/** Least-squares line y = slope·x + intercept; null with fewer than two distinct x. */
export function linearFit(x: number[], y: number[]): LineFit | null {
  const n = x.length;
  if (n < 2 || new Set(x).size < 2) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
    xy += x[i] * y[i];
    xx += x[i] * x[i];
  }
  const slope = sxy / sxx;
  return {
    slope,
    intercept: my - slope * mx,
    r2: n > 2 && syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN,
    slopeThroughOrigin: xy / xx,
  };
}

/**
 * Mean over examples of the variance over networks of their outputs f_k(x): how much
 * the function an ensemble member computes fluctuates with its initialization.
 */
export function outputSpread(members: Float32Array[]): number {
  const K = members.length;
  if (K < 2) return NaN;
  const n = members[0].length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (const f of members) m += f[i];
    m /= K;
    let v = 0;
    for (const f of members) v += (f[i] - m) ** 2;
    total += v / (K - 1);
  }
  return total / Math.max(1, n);
}
