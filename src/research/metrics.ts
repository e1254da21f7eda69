/** Small statistics shared by the research instruments (A/B runs, sweeps, resampling). */

export function mean(v: ArrayLike<number>): number {
  if (v.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function std(v: ArrayLike<number>): number {
  const n = v.length;
  if (n === 0) return NaN;
  if (n === 1) return 0;
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < n; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** Standard error of the mean. */
export function stdErr(v: ArrayLike<number>): number {
  return v.length === 0 ? NaN : std(v) / Math.sqrt(v.length);
}

/** Index of the largest score in each row of a (count x classes) array. */
export function argmaxRows(scores: ArrayLike<number>, count: number, classes: number): Int32Array {
  const out = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores[n * classes + k] > scores[n * classes + best]) best = k;
    out[n] = best;
  }
  return out;
}

/**
 * classes x classes counts, row = true label, column = prediction. Labels or
 * predictions outside 0..classes-1 are an error, not silently dropped.
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: number,
): Int32Array {
  if (labels.length !== predictions.length)
    throw new RangeError(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  const m = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i],
      p = predictions[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes))
      throw new RangeError(`confusionMatrix: class out of range at ${i} (label ${t}, prediction ${p})`);
    m[t * classes + p]++;
  }
  return m;
}

export function accuracyFromConfusion(m: ArrayLike<number>, classes: number): number {
  let hit = 0,
    all = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) all += m[t * classes + p];
    hit += m[t * classes + t];
  }
  return all ? hit / all : NaN;
}

/** Recall of each class (NaN for a class absent from the labels). */
export function perClassAccuracy(m: ArrayLike<number>, classes: number): Float64Array {
  const out = new Float64Array(classes);
  for (let t = 0; t < classes; t++) {
    let row = 0;
    for (let p = 0; p < classes; p++) row += m[t * classes + p];
    out[t] = row ? m[t * classes + t] / row : NaN;
  }
  return out;
}
