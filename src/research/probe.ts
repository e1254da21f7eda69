/**
 * The deformation stability probe on a compiled model (docs/science.md, Stability to deformations): D_f,
 * G_f and R_f for the output and for every node's output, on test images, at one
 * temperature T and cut-off c; plus a few images with their deformation and matched
 * noise for a picture. Platform-free: the model carries its tf.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import type { TrainPlatform } from '../../compiler/4-train';
import { seededRandom } from '../../nodes/math/random';
import type { Tensor } from '../../nodes/types';
import { deformBatch, matchedNoise, temperatureRange, typicalDisplacement } from './deformation';
import { stabilityProbe, type Features, type LayerStability } from './stability';

export interface ProbeOptions {
  T: number;
  c: number;
  seed?: number;
  /** Test images used (default 256, at most the count given). */
  samples?: number;
  /** Images per forward pass is 3 times this. */
  batchSize?: number;
  /** Number of example images to return deformed (default 4). */
  examples?: number;
  platform?: TrainPlatform;
  /** Images probed so far, of `total`, after each batch. */
  onProgress?(done: number, total: number): void;
}

export interface LayerRow extends LayerStability {
  /** Node id, with ":port" when the node has several outputs. */
  layer: string;
  node: string;
  type: string;
  /** Values per sample in this layer's output. */
  dim: number;
}

export interface ProbeReport {
  T: number;
  c: number;
  seed: number;
  samples: number;
  /** Measured rms displacement of the deformations drawn, and the formula's value (pixels). */
  displacement: number;
  typicalDisplacement: number;
  /** Temperatures worth probing at this image size and cut-off. */
  temperatureRange: { Tmin: number; Tmax: number };
  /** The network output (logits). */
  output: LayerRow;
  /** Every node's output in run order, the Input first. */
  layers: LayerRow[];
  examples: {
    H: number;
    W: number;
    C: number;
    original: Float32Array[];
    deformed: Float32Array[];
    noisy: Float32Array[];
  };
}

/** Default T: the geometric mean of the useful range, about one pixel of displacement at 28 x 28. */
export function defaultTemperature(n: number, c: number): number {
  const { Tmin, Tmax } = temperatureRange(n, c);
  return Math.sqrt(Tmin * Tmax);
}

/** Every (node, port) the forward pass produces, skipping the loss node. */
function layerList(
  model: CompiledModel,
  types: Map<string, string>,
): { layer: string; node: string; port: string; type: string }[] {
  const out: { layer: string; node: string; port: string; type: string }[] = [];
  const ports = new Map<string, Set<string>>();
  for (const e of model.edges) (ports.get(e.source) ?? ports.set(e.source, new Set()).get(e.source)!).add(e.sourcePort);
  for (const id of model.order) {
    if (id === model.lossNode) continue;
    const ps = [...(ports.get(id) ?? new Set(['out']))].sort();
    for (const port of ps)
      out.push({ layer: ps.length > 1 ? `${id}:${port}` : id, node: id, port, type: types.get(id) ?? '' });
  }
  return out;
}

/**
 * Probe a model on `count` images (N, H, W, C). `types` names each node's type for
 * the report (from the analysis); missing entries are left blank.
 */
export async function probeModel(
  model: CompiledModel,
  images: Float32Array,
  count: number,
  shape: [number, number, number],
  options: ProbeOptions,
  types: Map<string, string> = new Map(),
): Promise<ProbeReport> {
  const { tf } = model;
  const [H, W, C] = shape;
  const layers = layerList(model, types);
  const keep = new Set(layers.map((l) => l.node));
  const dims = new Map<string, number>();
  const total = Math.min(options.samples ?? 256, count);
  let done = 0;
  const f = async (batch: Float32Array, n: number): Promise<Features> => {
    const outs = tf.tidy(() => {
      const x = tf.tensor4d(batch, [n, H, W, C]);
      const r = model.forward(x, { training: false, keep });
      const flat = (t: Tensor) => tf.reshape(t, [n, -1]);
      return { logits: flat(r.logits), layers: layers.map((l) => flat(r.kept.get(l.node)![l.port])) };
    });
    const feats: Features = { '@output': (await outs.logits.data()) as Float32Array };
    outs.logits.dispose();
    for (let i = 0; i < layers.length; i++) {
      feats[layers[i].layer] = (await outs.layers[i].data()) as Float32Array;
      dims.set(layers[i].layer, outs.layers[i].shape[1] ?? 0);
      outs.layers[i].dispose();
    }
    dims.set('@output', feats['@output'].length / n);
    // Each batch holds an image, its deformation and its matched noise.
    done += n / 3;
    options.onProgress?.(Math.min(done, total), total);
    await options.platform?.yield();
    return feats;
  };
  const seed = options.seed ?? 0;
  const samples = total;
  const r = await stabilityProbe(
    f,
    images,
    count,
    { H, W, C },
    { T: options.T, c: options.c, seed, samples, batchSize: options.batchSize ?? 32 },
  );
  const row = (layer: string, node: string, type: string): LayerRow => ({
    layer,
    node,
    type,
    dim: dims.get(layer) ?? 0,
    ...r.layers[layer],
  });
  const src = model.logitsSource;
  return {
    T: options.T,
    c: options.c,
    seed,
    samples: r.samples,
    displacement: r.displacement,
    typicalDisplacement: typicalDisplacement(Math.max(H, W), options.T, options.c),
    temperatureRange: temperatureRange(Math.max(H, W), options.c),
    output: row('@output', src.node, types.get(src.node) ?? ''),
    layers: layers.map((l) => row(l.layer, l.node, l.type)),
    examples: examples(images, count, shape, options),
  };
}

/** The first few images, each with one deformation at (T, c) and its matched-norm noise. */
function examples(images: Float32Array, count: number, [H, W, C]: [number, number, number], o: ProbeOptions) {
  const k = Math.min(o.examples ?? 4, count);
  const size = H * W * C;
  const originals = images.slice(0, k * size);
  const deformed = deformBatch(originals, k, H, W, C, o.T, o.c, (o.seed ?? 0) + 1);
  const rng = seededRandom((o.seed ?? 0) + 2);
  const out = { H, W, C, original: [] as Float32Array[], deformed: [] as Float32Array[], noisy: [] as Float32Array[] };
  for (let i = 0; i < k; i++) {
    const x = originals.subarray(i * size, (i + 1) * size);
    const d = deformed.subarray(i * size, (i + 1) * size);
    const eta = matchedNoise(x, d, rng);
    out.original.push(x.slice());
    out.deformed.push(d.slice());
    out.noisy.push(Float32Array.from(x, (v, j) => v + eta[j]));
  }
  return out;
}
