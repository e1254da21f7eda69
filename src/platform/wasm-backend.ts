/** The WASM backend as the replaced kernels (wasm-kernels.ts, wasm-slice.ts) see it. */
import type * as tfns from '@tensorflow/tfjs';

export type TFLike = typeof tfns;

/** What the WASM backend passes a kernel for each tensor. */
export interface WasmInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

/** The part of the WASM backend these kernels use. */
export interface WasmBackendLike {
  incRef(dataId: object): void;
  disposeData(dataId: object): void;
  makeOutput(shape: number[], dtype: string): WasmInfo;
  typedArrayFromHeap(t: WasmInfo): Float32Array | Int32Array | Uint8Array;
}
