/** Per-pixel sparse layers in ONNX: NCHW maps to rows [B·H·W, C] and back. */
import type { OnnxBuilder } from '../types';
import type { TensorSpec } from '../types';

export function onnxToRows(b: OnnxBuilder, x: string, dim: number, perPixel: boolean): string {
  const t = perPixel ? b.op('Transpose', [x], { perm: [0, 2, 3, 1] })[0] : x;
  return b.op('Reshape', [t, b.constant([-1, dim], [2], true)])[0];
}

/** Rows [B·H·W, m] back to [B, m, H, W] (per pixel) or [B, m]. */
export function onnxFromRows(b: OnnxBuilder, rows: string, spec: TensorSpec, m: number, perPixel: boolean): string {
  if (!perPixel) return b.op('Reshape', [rows, b.constant([-1, m], [2], true)])[0];
  const [h, w] = spec.shape;
  const nhwc = b.op('Reshape', [rows, b.constant([-1, h, w, m], [4], true)])[0];
  return b.op('Transpose', [nhwc], { perm: [0, 3, 1, 2] })[0];
}
