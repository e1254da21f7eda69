/**
 * The WASM backend's matrix product (TensorFlow.js 4.22) runs at full speed only for
 * one pair of matrices with neither transposed; with a batch of pairs, or a transposed
 * operand, it falls back to plain loops: 60 to 70 ms for the 16 products of
 * [16384, 16] by [16, 16] matrices of a scattering-spectra covariance (2 GFLOP/s), and
 * the gradient of every product is one with a transposed operand. Here a transposed
 * operand is transposed first (the backend's own fast Transpose), and each pair of a
 * batch goes to the fast product on its own; the pairs are contiguous blocks of memory.
 */
import type * as tfns from '@tensorflow/tfjs';
import type { TFLike, WasmBackendLike, WasmInfo } from './wasm-backend';

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

/** BatchMatMul on the fast path; `own` is the backend's, `transpose` its Transpose kernel. */
export function batchMatMulKernel(tf: TFLike, own: tfns.KernelFunc, transpose: tfns.KernelFunc): tfns.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as unknown as { a: WasmInfo; b: WasmInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1;
    const broadcast = batchA === batchB || batchA === 1 || batchB === 1;
    if (plain || !broadcast || a.dtype !== 'float32' || b.dtype !== 'float32') return own(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const temps: WasmInfo[] = [];
    // [batch, rows, cols] of x, transposed in its last two axes when asked
    const matrices = (x: WasmInfo, batch: number, t: boolean): WasmInfo => {
      const [r, c] = x.shape.slice(-2);
      const x3 = { ...x, shape: [batch, r, c] };
      if (!t) return x3;
      const y = transpose({
        inputs: { x: x3 } as never,
        backend: backend as never,
        attrs: { perm: [0, 2, 1] },
      }) as never;
      temps.push(y);
      return y;
    };
    const A = matrices(a, batchA, transposeA);
    const B = matrices(b, batchB, transposeB);
    const [, M, K] = A.shape;
    const N = B.shape[2];
    const batch = Math.max(batchA, batchB);
    const outShape = [
      ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
      M,
      N,
    ];
    const out = backend.makeOutput(outShape, 'float32');
    // one pair at a time: copies of the two blocks into matrices of their own, the product
    const block = (x: WasmInfo, i: number, rows: number, cols: number): WasmInfo => {
      const m = backend.makeOutput([rows, cols], 'float32');
      const from = backend.typedArrayFromHeap(x);
      backend.typedArrayFromHeap(m).set(from.subarray(i * rows * cols, (i + 1) * rows * cols));
      return m;
    };
    for (let i = 0; i < batch; i++) {
      const ai = batchA === 1 ? { ...A, shape: [M, K] } : block(A, i, M, K);
      const bi = batchB === 1 ? { ...B, shape: [K, N] } : block(B, i, K, N);
      const p = own({
        inputs: { a: ai, b: bi } as never,
        backend: backend as never,
        attrs: { transposeA: false, transposeB: false },
      }) as unknown as WasmInfo;
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(p), i * M * N);
      for (const t of [p, ...(batchA === 1 ? [] : [ai]), ...(batchB === 1 ? [] : [bi])]) backend.disposeData(t.dataId);
    }
    for (const t of temps) backend.disposeData(t.dataId);
    return out as never;
  };
}
