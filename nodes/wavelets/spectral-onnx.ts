/**
 * Circular convolution as ONNX operators: the DFT matrices of spectral-ops.ts applied
 * with MatMul on NCHW maps (the left factor along H, the right one along W), so an
 * inference model computes what Wavegraph computes with the same float32 products.
 */
import type { OnnxBuilder } from '../types';
import { forwardDft, inverseDftAt, type ComplexMatrix } from './dft-matrices';

export interface CxNames {
  re: string;
  im: string;
}

function parts(b: OnnxBuilder, m: ComplexMatrix, left: boolean): CxNames {
  const t = (src: Float64Array) => {
    if (!left) return b.constant(Float32Array.from(src), [m.rows, m.cols]);
    const out = new Float32Array(src.length);
    for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = src[r * m.cols + c];
    return b.constant(out, [m.cols, m.rows]);
  };
  return { re: t(m.re), im: t(m.im) };
}

const mm = (b: OnnxBuilder, x: string, y: string) => b.op('MatMul', [x, y])[0];
const sub = (b: OnnxBuilder, x: string, y: string) => b.op('Sub', [x, y])[0];
const add = (b: OnnxBuilder, x: string, y: string) => b.op('Add', [x, y])[0];

/** Complex product, `m` on the left (along H) or on the right (along W). */
function cxMul(b: OnnxBuilder, x: CxNames, m: CxNames, left: boolean): CxNames {
  const p = (a: string, c: string) => (left ? mm(b, c, a) : mm(b, a, c));
  return { re: sub(b, p(x.re, m.re), p(x.im, m.im)), im: add(b, p(x.re, m.im), p(x.im, m.re)) };
}

/** 2D DFT of real maps [.., H, W]. */
export function onnxDft2(b: OnnxBuilder, x: string, H: number, W: number): CxNames {
  const fw = parts(b, forwardDft(W), false);
  const a = { re: mm(b, x, fw.re), im: mm(b, x, fw.im) };
  return cxMul(b, a, parts(b, forwardDft(H), true), true);
}

/** Inverse 2D DFT on an H x W grid evaluated at the given rows and columns. */
export function onnxInverseAt(
  b: OnnxBuilder,
  y: CxNames,
  H: number,
  W: number,
  rows: number[],
  cols: number[],
  realOnly: boolean,
): CxNames | string {
  const a = cxMul(b, y, parts(b, inverseDftAt(H, rows), true), true);
  const ic = parts(b, inverseDftAt(W, cols), false);
  if (realOnly) return sub(b, mm(b, a.re, ic.re), mm(b, a.im, ic.im));
  return cxMul(b, a, ic, false);
}

/** Reflect padding as two Gathers of precomputed source indices. */
export function onnxGatherPad(b: OnnxBuilder, x: string, rows: number[], cols: number[]): string {
  const r = b.op('Gather', [x, b.constant(rows, [rows.length], true)], { axis: 2 })[0];
  return b.op('Gather', [r, b.constant(cols, [cols.length], true)], { axis: 3 })[0];
}
