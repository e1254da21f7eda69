/**
 * The WASM backend's Slice (TensorFlow.js 4.22) reads its whole input out of the
 * module's memory into a new array (readSync copies) before it copies the part it
 * keeps, and a strided slice then copies one innermost run at a time: a [128, 36, 28, 1]
 * slice of a [128, 36, 36, 1] tensor copies 166 thousand values to keep 129 thousand,
 * 28 at a time through a subarray each. Here the part is copied straight from the
 * backend's memory, by runs as long as the layout allows (trailing axes taken whole
 * join the run), with a plain loop for short runs. Same values, same dtype.
 */
import type * as tfns from '@tensorflow/tfjs';
import type { TFLike, WasmBackendLike, WasmInfo } from './wasm-backend';

type Values = Float32Array | Int32Array | Uint8Array;

/** Copy the box `begin` + `size` of x (row-major `shape`) into out, in order. */
export function sliceInto(x: Values, shape: number[], begin: number[], size: number[], out: Values): void {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  // the run: trailing axes taken whole, and the next axis in (as far as it is kept)
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis]) axis--;
  const run = rank === 0 ? 1 : size[axis] * strides[axis];
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d] * strides[d];
  const count = out.length / Math.max(run, 1);
  if (run === 0 || count === 0) return;
  // an odometer over the axes before `axis`
  const index = new Array<number>(Math.max(axis, 0)).fill(0);
  let from = base;
  for (let n = 0, o = 0; n < count; n++, o += run) {
    if (run >= 32) out.set(x.subarray(from, from + run), o);
    else for (let k = 0; k < run; k++) out[o + k] = x[from + k];
    for (let d = axis - 1; d >= 0; d--) {
      from += strides[d];
      if (++index[d] < size[d]) break;
      from -= size[d] * strides[d];
      index[d] = 0;
    }
  }
}

/** The box `begin` + `size` of x in a new output of the backend, shaped `shape` (default: `size`). */
function copyBox(backend: WasmBackendLike, x: WasmInfo, begin: number[], size: number[], shape = size): WasmInfo {
  const out = backend.makeOutput(shape, x.dtype);
  // views after the allocation: growing the memory detaches earlier ones
  sliceInto(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** x cut along `axis` into consecutive pieces of `sizes`; `drop` removes the axis (pieces of 1). */
function pieces(backend: WasmBackendLike, x: WasmInfo, axis: number, sizes: number[], drop = false): WasmInfo[] {
  const begin = x.shape.map(() => 0);
  return sizes.map((n) => {
    const size = x.shape.map((d, i) => (i === axis ? n : d));
    const out = copyBox(backend, x, begin, size, drop ? x.shape.filter((_, i) => i !== axis) : size);
    begin[axis] += n;
    return out;
  });
}

/**
 * The faster Slice (registered by wasm-kernels.ts); `own` is the backend's, kept for
 * strings. SplitV and Unpack are slices too, but the backend's call its own slice
 * directly (0.28 s to split a [1, 16384, 512] map of a synthesis step into its real and
 * imaginary halves): they get the same copy.
 */
export function sliceKernel(tf: TFLike, own: tfns.KernelFunc): tfns.KernelFunc {
  return (args) => {
    const x = args.inputs.x as unknown as WasmInfo;
    if (x.dtype === 'string') return own(args);
    const a = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as never, a.begin, a.size);
    return copyBox(args.backend as unknown as WasmBackendLike, x, begin, size) as never;
  };
}

/** SplitV on the faster copy; `own` is the backend's, kept for strings. */
export function splitKernel(tf: TFLike, own: tfns.KernelFunc): tfns.KernelFunc {
  return (args) => {
    const x = args.inputs.x as unknown as WasmInfo;
    if (x.dtype === 'string') return own(args);
    const a = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as never, a.numOrSizeSplits, axis);
    return pieces(args.backend as unknown as WasmBackendLike, x, axis, sizes) as never;
  };
}

/** Unpack (tf.unstack) on the faster copy; `own` is the backend's, kept for strings. */
export function unpackKernel(tf: TFLike, own: tfns.KernelFunc): tfns.KernelFunc {
  return (args) => {
    const x = args.inputs.value as unknown as WasmInfo;
    if (x.dtype === 'string') return own(args);
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, x.shape)[0];
    const ones = new Array<number>(x.shape[axis]).fill(1);
    return pieces(args.backend as unknown as WasmBackendLike, x, axis, ones, true) as never;
  };
}
