/**
 * Reading a model from the outside while it trains: its filters (for the filter
 * gallery) and one node's output for one test image (for the feature-map view).
 * Values are cloned synchronously, then read with await data(), so an optimizer
 * step that replaces a variable's value in the meantime cannot free what we read.
 */
import type { Tensor } from '../../nodes/types';
import { lower, type CompiledModel, type ModelVariable } from '../../compiler/3-lower';
import type { Dataset } from '../../compiler/dataset';
import { dft2 } from '../../nodes/math/dft';
import type { FeatureMapsReply, FilterSnapshot, VerifyReply } from './protocol';

/** The most filters one node shows; a deep Conv2D has cin*cout of them. */
export const MAX_FILTERS = 64;
/** Small kernels are zero-padded to this side before the DFT, for a readable spectrum. */
const MIN_FOURIER_SIDE = 16;

interface FilterSource {
  nodeId: string;
  real: ModelVariable;
  imag?: ModelVariable;
}

/** Variables that are filters: WaveletConv's real/imaginary pair, Conv2D kernels. */
export function filterSources(model: CompiledModel): FilterSource[] {
  const byNode = new Map<string, FilterSource>();
  for (const mv of model.variables) {
    const isConvKernel = mv.name === 'kernel' && mv.variable.shape.length === 4;
    if (mv.role === 'filter-real' || isConvKernel) {
      const s = byNode.get(mv.nodeId) ?? { nodeId: mv.nodeId, real: mv };
      s.real = mv;
      byNode.set(mv.nodeId, s);
    } else if (mv.role === 'filter-imag') {
      const s = byNode.get(mv.nodeId) ?? ({ nodeId: mv.nodeId } as FilterSource);
      s.imag = mv;
      byNode.set(mv.nodeId, s);
    }
  }
  return [...byNode.values()].filter((s) => s.real);
}

/**
 * Rearrange a filter variable into `count` filters of h*w values, filter-major.
 * WaveletConv stores [h, w, F]; Conv2D stores [k, k, cin, cout] and filter i is
 * (input i div cout, output i mod cout), so the first cout are input channel 0.
 */
function toFilters(values: Float32Array, shape: number[]): { h: number; w: number; count: number; data: Float32Array } {
  const [h, w] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const count = Math.min(inner, MAX_FILTERS);
  const data = new Float32Array(count * h * w);
  for (let f = 0; f < count; f++) {
    for (let p = 0; p < h * w; p++) data[f * h * w + p] = values[p * inner + f];
  }
  return { h, w, count, data };
}

/** |DFT| of each filter, zero-padded to at least MIN_FOURIER_SIDE, zero frequency centred. */
export function fourierMagnitude(
  real: Float32Array,
  imag: Float32Array | undefined,
  h: number,
  w: number,
  count: number,
): { side: [number, number]; data: Float32Array } {
  const M = Math.max(h, MIN_FOURIER_SIDE);
  const N = Math.max(w, MIN_FOURIER_SIDE);
  const out = new Float32Array(count * M * N);
  for (let f = 0; f < count; f++) {
    const re = new Float64Array(M * N);
    const im = new Float64Array(M * N);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        re[y * N + x] = real[f * h * w + y * w + x];
        if (imag) im[y * N + x] = imag[f * h * w + y * w + x];
      }
    }
    const F = dft2({ re, im }, M, N);
    for (let y = 0; y < M; y++) {
      for (let x = 0; x < N; x++) {
        const sy = (y + Math.floor(M / 2)) % M;
        const sx = (x + Math.floor(N / 2)) % N;
        out[f * M * N + sy * N + sx] = Math.hypot(F.re[y * N + x], F.im[y * N + x]);
      }
    }
  }
  return { side: [M, N], data: out };
}

async function read(model: CompiledModel, vars: (ModelVariable | undefined)[]): Promise<(Float32Array | undefined)[]> {
  const clones = vars.map((v) => (v ? model.tf.clone(v.variable) : undefined));
  const out: (Float32Array | undefined)[] = [];
  for (const c of clones) {
    out.push(c ? ((await c.data()) as Float32Array) : undefined);
    c?.dispose();
  }
  return out;
}

export interface InitialFilters {
  real: Float32Array;
  imag?: Float32Array;
}

/** Read every filter variable once. `initial` holds the values before training, by node. */
export async function filterSnapshots(
  model: CompiledModel,
  nodeTypes: Map<string, string>,
  step: number,
  initial?: Map<string, InitialFilters>,
): Promise<FilterSnapshot[]> {
  const out: FilterSnapshot[] = [];
  for (const src of filterSources(model)) {
    const [re, im] = await read(model, [src.real, src.imag]);
    const shape = src.real.variable.shape;
    const r = toFilters(re!, shape);
    const i = im ? toFilters(im, shape) : undefined;
    const fourier = fourierMagnitude(r.data, i?.data, r.h, r.w, r.count);
    const init = initial?.get(src.nodeId);
    out.push({
      nodeId: src.nodeId,
      nodeType: nodeTypes.get(src.nodeId) ?? '',
      height: r.h,
      width: r.w,
      count: r.count,
      real: r.data,
      imag: i?.data,
      fourier: fourier.data,
      fourierHeight: fourier.side[0],
      fourierWidth: fourier.side[1],
      initialReal: init?.real,
      initialImag: init?.imag,
      trainable: src.real.trainable,
      step,
    });
  }
  return out;
}

/** The filters as built, before any step: the reference a learned node is compared with. */
export async function initialFilters(model: CompiledModel): Promise<Map<string, InitialFilters>> {
  const out = new Map<string, InitialFilters>();
  for (const src of filterSources(model)) {
    if (!src.real.trainable) continue;
    const [re, im] = await read(model, [src.real, src.imag]);
    const shape = src.real.variable.shape;
    out.set(src.nodeId, { real: toFilters(re!, shape).data, imag: im ? toFilters(im, shape).data : undefined });
  }
  return out;
}

/** One node's output for test image `index`. */
export async function featureMaps(
  model: CompiledModel,
  data: Dataset,
  nodeId: string,
  index: number,
  complexPorts: Set<string>,
): Promise<FeatureMapsReply | undefined> {
  const { tf } = model;
  const [h, w, c] = data.shape;
  const size = h * w * c;
  const i = Math.max(0, Math.min(data.test.count - 1, Math.floor(index)));
  const picked = tf.tidy(() => {
    const x = tf.tensor4d(data.test.images.slice(i * size, (i + 1) * size), [1, h, w, c]);
    const outs = model.outputs(x, new Set([nodeId]), { training: false }).get(nodeId);
    if (!outs) return undefined;
    const port = 'out' in outs ? 'out' : Object.keys(outs)[0];
    if (!port) return undefined;
    return { port, t: tf.keep(outs[port]) as Tensor };
  });
  if (!picked) return undefined;
  const shape = picked.t.shape.slice(1);
  const values = (await picked.t.data()) as Float32Array;
  picked.t.dispose();
  const [H, W, C] =
    shape.length === 3 ? shape : shape.length === 1 ? [1, 1, shape[0]] : [1, 1, shape.reduce((a, b) => a * b, 1)];
  return {
    nodeId,
    index: i,
    port: picked.port,
    height: H,
    width: W,
    channels: C,
    values: Float32Array.from(values),
    complex: complexPorts.has(`${nodeId}/${picked.port}`),
  };
}

/**
 * The same node computed on the CPU backend from the same weights, for `count` test
 * images: how far the training backend (WebGPU, say) is from the reference.
 */
export async function verifyAgainstCpu(
  model: CompiledModel,
  data: Dataset,
  nodeId: string,
  count: number,
): Promise<VerifyReply> {
  const { tf } = model;
  const backend = tf.getBackend();
  const [h, w, c] = data.shape;
  const n = Math.max(1, Math.min(count, data.test.count));
  const images = data.test.images.slice(0, n * h * w * c);
  const outputOf = async (m: CompiledModel) => {
    const t = tf.tidy(() => {
      const outs = m.outputs(tf.tensor4d(images, [n, h, w, c]), new Set([nodeId]), { training: false }).get(nodeId);
      const port = outs && ('out' in outs ? 'out' : Object.keys(outs)[0]);
      if (!outs || !port) throw new Error(`node ${nodeId} has no output to compare`);
      return tf.keep(outs[port]) as Tensor;
    });
    const v = Float32Array.from(await t.data());
    t.dispose();
    return v;
  };
  const ours = await outputOf(model);
  const saved = await Promise.all(
    model.variables.map(async (v) => ({
      key: v.key,
      shape: v.variable.shape,
      data: Float32Array.from(await v.variable.data()),
    })),
  );
  await tf.setBackend('cpu');
  let reference: Float32Array;
  try {
    const weights = new Map(saved.map((s) => [s.key, tf.tensor(s.data, s.shape)]));
    const built = lower(model.validation, model.shapes, { tf, seed: 0, weights });
    for (const t of weights.values()) t.dispose();
    if (!built.model) throw new Error(built.diagnostics[0]?.message ?? 'the model could not be rebuilt on the CPU');
    reference = await outputOf(built.model);
    built.model.dispose();
  } finally {
    await tf.setBackend(backend);
  }
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = ours[i] - reference[i];
    num += d * d;
    den += reference[i] * reference[i];
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { nodeId, backend, count: n, relError: Math.sqrt(num / Math.max(den, 1e-30)), maxAbsError: maxAbs };
}
