/**
 * Sum and Mean of the WASM backend (TensorFlow.js 4.22) over axes that are not the
 * innermost: the backend transposes its input first, then reduces, and took 0.14 s to
 * average a [1, 16384, 512] map over its 16,384 positions (a statistics node of a
 * synthesis step). When the reduced axes are consecutive and the innermost axis is
 * kept, the input is [outer, reduced, inner]: adding the `reduced` rows of each outer
 * block in order reads memory once: 7 ms for that map.
 */
import type * as tfns from '@tensorflow/tfjs';
import type { TFLike, WasmBackendLike, WasmInfo } from './wasm-backend';

/**
 * out[o, i] = sum over r of x[o, r, i], x viewed [outer, reduced, inner], rows added in
 * order of r, four at a time (one pass over out per four rows: 0.8 ns a value, against
 * 2.3 for one row at a time); divided by `divisor`.
 */
export function sumMiddle(
  x: Float32Array,
  outer: number,
  reduced: number,
  inner: number,
  out: Float32Array,
  divisor = 1,
): void {
  out.fill(0);
  const step = 4 * inner;
  for (let o = 0, oi = 0, at = 0; o < outer; o++, oi += inner) {
    let r = 0;
    for (; r + 4 <= reduced; r += 4, at += step) {
      for (let i = 0, a = at; i < inner; i++, a++) {
        out[oi + i] += x[a] + x[a + inner] + x[a + 2 * inner] + x[a + 3 * inner];
      }
    }
    for (; r < reduced; r++, at += inner) for (let i = 0; i < inner; i++) out[oi + i] += x[at + i];
  }
  if (divisor !== 1) for (let k = 0; k < out.length; k++) out[k] = out[k] / divisor;
}

/** A Sum ('sum') or Mean ('mean') kernel; `own` (the backend's) reduces what this one does not. */
export function reduceKernel(tf: TFLike, own: tfns.KernelFunc, kind: 'sum' | 'mean'): tfns.KernelFunc {
  return (args) => {
    const x = args.inputs.x as unknown as WasmInfo;
    const a = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = [...new Set(tf.util.parseAxisParam(a.axis, x.shape))].sort((p, q) => p - q);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const consecutive = axes.length > 0 && last - first === axes.length - 1;
    if (x.dtype !== 'float32' || !consecutive || last === rank - 1) return own(args);
    const prod = (from: number, to: number) => x.shape.slice(from, to).reduce((n, d) => n * d, 1);
    const outer = prod(0, first);
    const reduced = prod(first, last + 1);
    const inner = prod(last + 1, rank);
    // The backend's transpose costs less where few rows are added (a modulus's real and
    // imaginary parts: 0.9 ns a value) or the runs are short, and up to 17 ns a value
    // for thousands of rows of long runs.
    if (reduced < 1024 || inner < 16) return own(args);
    const shape = a.keepDims
      ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
      : x.shape.filter((_, i) => i < first || i > last);
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(shape, 'float32');
    // views after the allocation: growing the memory detaches earlier ones
    const xv = backend.typedArrayFromHeap(x) as Float32Array;
    const ov = backend.typedArrayFromHeap(out) as Float32Array;
    sumMiddle(xv, outer, reduced, inner, ov, kind === 'mean' ? reduced : 1);
    return out as never;
  };
}
