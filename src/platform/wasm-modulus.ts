/**
 * The complex modulus's gradient as one pass in JavaScript on the WASM backend's
 * memory, registered under the name nodes/wavelets/modulus.ts asks for. Composed of
 * TensorFlow.js ops, its zero-safe division is an equality test, a selection and a
 * division, and the backend's comparison and selection kernels are slow (about 3 ns a
 * value, against 0.1 for a product): 29 of the 38 ms that the two moduli of a
 * learned-first-layer training step (batch 128) spent in their gradients. Here: 19 ms.
 * (The forward pass stays composed: a JavaScript loop, about 2 ns a value, was slower
 * than the backend's square, sum and square root.) The numbers are the same: each
 * float32 operation is done in float64 and rounded once to float32, which gives the
 * correctly rounded float32 quotient and product.
 */
import type * as tfns from '@tensorflow/tfjs';
import { MODULUS_GRAD_KERNEL } from '../../nodes/wavelets/modulus';

type TFLike = typeof tfns;

interface WasmInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): WasmInfo;
  typedArrayFromHeap(t: WasmInfo): Float32Array | Int32Array | Uint8Array;
}

const f32 = Math.fround;

/** dz [N, 2C] = z dy / m, 0 where m = 0. */
export function modulusBackward(z: Float32Array, m: Float32Array, dy: Float32Array, dz: Float32Array, C: number): void {
  const N = m.length / C;
  for (let n = 0; n < N; n++) {
    const zr = 2 * n * C;
    const o = n * C;
    for (let c = 0; c < C; c++) {
      const mv = m[o + c];
      const s = mv === 0 ? 0 : f32(dy[o + c] / mv);
      dz[zr + c] = z[zr + c] * s;
      dz[zr + C + c] = z[zr + C + c] * s;
    }
  }
}

/** Register the kernel for the WASM backend; harmless when it is absent. */
export function registerWasmModulus(tf: TFLike): void {
  if (!tf.getKernel('Sqrt', 'wasm') || tf.getKernel(MODULUS_GRAD_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: MODULUS_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { z, m, dy } = args.inputs as unknown as Record<'z' | 'm' | 'dy', WasmInfo>;
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(z.shape, 'float32');
      const view = (t: WasmInfo) => backend.typedArrayFromHeap(t) as Float32Array;
      modulusBackward(view(z), view(m), view(dy), view(out), z.shape[z.shape.length - 1] / 2);
      return out as never;
    },
  });
}
