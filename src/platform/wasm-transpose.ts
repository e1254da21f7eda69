/**
 * The WASM backend's Transpose (TensorFlow.js 4.22) walks a large matrix without
 * blocking: swapping the axes of [16384, 40] or [5120, 128] (a synthesis step's maps
 * against their channels) took 8-10 ns a value, against under 1 ns for the batches of
 * small matrices the same kernel handles within the cache. A transpose that swaps two
 * groups of trailing axes is a matrix transpose [b, c] -> [c, b] per leading index;
 * when the matrix is large it is done here in two passes, both fast:
 *
 * - with fewer columns than rows, rows cut into chunks of m: the backend transposes the
 *   batch of small matrices [b/m, m, c] -> [b/m, c, m], then runs of m values move to
 *   [c, b/m, m];
 * - otherwise columns cut into chunks of m: runs of m values move [b, c/m, m] ->
 *   [c/m, b, m] first, then the backend transposes the batch.
 *
 * Any other permutation, and small matrices, stay with the backend's kernel.
 * Measured, own kernel -> this one, ms: [16384, 40] 6.3-6.6 -> 2.4-2.8; [5120, 128]
 * 5.5 -> 1.4-1.6; [128, 5120] 2.3-2.5 -> 1.1; [16384, 512] 119-122 -> 27-28. One value and
 * gradient of the phase-harmonic statistics at 128 x 128: 213 -> 188 ms (median of 12
 * each, alternating); of the scattering-spectra statistics: 1650 -> 1418 ms.
 */
import type * as tfns from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmInfo } from './wasm-backend';

/** Matrices of fewer values are left to the backend: they fit its cache. */
const LARGE = 2 ** 17;
/** The small matrices of the batched pass hold about this many values (32 KiB), at least 32 rows. */
const SMALL = 2 ** 13;

/** The longest run m (at least 32) dividing n, with m x other within SMALL, or 0. */
function chunk(n: number, other: number): number {
  for (let m = Math.min(n >> 1, Math.max(32, Math.floor(SMALL / other))); m >= 32; m--) if (n % m === 0) return m;
  return 0;
}

/** [lead, b, c] when perm keeps its first axes and swaps the two groups after them, else null. */
function matrixView(shape: number[], perm: number[]): [number, number, number] | null {
  const r = shape.length;
  let k = 0;
  while (k < r && perm[k] === k) k++;
  if (k >= r - 1) return null;
  const s = perm[k]; // the first axis of the second group
  for (let i = 0; i < r - s; i++) if (perm[k + i] !== s + i) return null;
  for (let i = 0; i < s - k; i++) if (perm[k + r - s + i] !== k + i) return null;
  const prod = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  return [prod(0, k), prod(k, s), prod(s, r)];
}

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Move runs of m values: src [n, p, q, m] -> dst [n, q, p, m], both on the backend's
 * heap, by copyWithin on one view of it (a subarray per run cost more than its copy).
 */
function moveRuns(src: Values, dst: Values, n: number, p: number, q: number, m: number): void {
  const heap = new (src.constructor as Float32ArrayConstructor)(src.buffer);
  const size = src.BYTES_PER_ELEMENT;
  const from0 = src.byteOffset / size;
  const to0 = dst.byteOffset / size;
  for (let a = 0; a < n; a++) {
    const base = a * p * q * m;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < q; j++) {
        const from = from0 + base + (i * q + j) * m;
        heap.copyWithin(to0 + base + (j * p + i) * m, from, from + m);
      }
    }
  }
}

export function transposeKernel(own: tfns.KernelFunc): tfns.KernelFunc {
  return (args) => {
    const x = args.inputs.x as unknown as WasmInfo;
    const perm = (args.attrs as { perm: number[] }).perm;
    const view = x.dtype === 'string' ? null : matrixView(x.shape, perm);
    if (!view || view[1] * view[2] < LARGE) return own(args);
    const [n, b, c] = view;
    const backend = args.backend as unknown as WasmBackendLike;
    const outShape = perm.map((p) => x.shape[p]);
    const batched = (t: WasmInfo, shape: number[]) =>
      own({
        inputs: { x: { ...t, shape } as never },
        backend: args.backend,
        attrs: { perm: [0, 2, 1] },
      }) as unknown as WasmInfo;
    if (c <= b) {
      // rows cut: [n, b/m, m, c] -> (backend) [n, b/m, c, m] -> (runs) [n, c, b/m, m]
      const m = chunk(b, c);
      if (!m) return own(args);
      const mid = batched(x, [n * (b / m), m, c]);
      const out = backend.makeOutput(outShape, x.dtype);
      moveRuns(backend.typedArrayFromHeap(mid), backend.typedArrayFromHeap(out), n, b / m, c, m);
      backend.disposeData(mid.dataId);
      return out as never;
    }
    // columns cut: [n, b, c/m, m] -> (runs) [n, c/m, b, m] -> (backend) [n, c/m, m, b]
    const m = chunk(c, b);
    if (!m) return own(args);
    const mid = backend.makeOutput([n, c / m, b, m], x.dtype);
    moveRuns(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(mid), n, b, c / m, m);
    const out = batched(mid, [n * (c / m), b, m]);
    backend.disposeData(mid.dataId);
    return { ...out, shape: outShape } as never;
  };
}
