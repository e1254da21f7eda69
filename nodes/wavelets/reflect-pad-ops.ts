/**
 * Reflect padding (numpy's 'reflect': mirror without repeating the edge sample) as
 * slices, reversals and one concatenation per axis. Unlike tf.mirrorPad this works
 * for pads wider than the image (the mirror repeats, as numpy's does) and its
 * gradient exists on every backend.
 */
import type { TF, Tensor } from '../types';
import { reflectIndex } from '../math/scattering-reference';

export interface Run {
  /** First source index of the run, in output order. */
  start: number;
  length: number;
  reversed: boolean;
}

/** Source index runs that build `total` samples, `before` of them ahead of a length-n signal. */
export function reflectRuns(n: number, before: number, total: number): Run[] {
  const idx = Array.from({ length: total }, (_, k) => reflectIndex(k - before, n));
  const runs: Run[] = [];
  let k = 0;
  while (k < total) {
    let len = 1;
    const step = k + 1 < total ? idx[k + 1] - idx[k] : 0;
    if (step === 1 || step === -1) while (k + len < total && idx[k + len] - idx[k + len - 1] === step) len++;
    runs.push({ start: idx[k], length: len, reversed: step === -1 && len > 1 });
    k += len;
  }
  return runs;
}

function padAxis(tf: TF, x: Tensor, axis: number, before: number, total: number): Tensor {
  const n = x.shape[axis];
  if (before === 0 && total === n) return x;
  const pieces = reflectRuns(n, before, total).map((r) => {
    const begin = x.shape.map(() => 0);
    const size = x.shape.map(() => -1);
    begin[axis] = r.reversed ? r.start - r.length + 1 : r.start;
    size[axis] = r.length;
    const s = tf.slice(x, begin, size);
    return r.reversed ? tf.reverse(s, axis) : s;
  });
  return pieces.length === 1 ? pieces[0] : tf.concat(pieces, axis);
}

/** Reflect-pad maps [B, H, W, C] to [B, Hp, Wp, C] with `top` rows and `left` columns first. */
export function reflectPad2d(tf: TF, x: Tensor, Hp: number, Wp: number, top: number, left: number): Tensor {
  return padAxis(tf, padAxis(tf, x, 1, top, Hp), 2, left, Wp);
}
