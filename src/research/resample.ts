/**
 * Rainbow-network instruments (docs/science.md, Rainbow networks) on a trained graph:
 * the weight covariance of a layer and its spectrum, and resampling: redraw the random
 * part of every layer whose declaration says it can be redrawn (random-feature layers,
 * hidden dense layers) from the learned covariance (optionally at another width),
 * align each next layer by orthogonal Procrustes, and measure. Which node does what
 * comes from its declaration (inputWeight, redraw, widthParam, keepsChannels, perChannel).
 *
 * Choices the section leaves open, made here:
 * - Alignment acts on channels: phi at the next learned layer's input is read as rows
 *   of C channels (every pixel of every sample is a row), since a flattened map is far
 *   too long for a D x D rotation; for a vector the row is the vector.
 * - Resampled neurons have no counterpart in the trained layer, so each gets the mean
 *   of the trained biases (and BatchNorm scale and shift, when the width changes).
 * - Normalization statistics between a resampled layer and its next layer are
 *   recomputed exactly on the alignment samples.
 */
import type { AnyNodeDefinition, Tensor, TF, WeightLayout } from '../../nodes/types';
import { getNodeDefinition, nodeTypesWhere } from '../../nodes/registry';
import { procrustes, svd, transpose } from '../../nodes/math/linalg';
import { seededRandom } from '../../nodes/math/random';
import { analyze } from '../../compiler';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { Dataset } from '../../compiler/dataset';
import { lower, hashSeed, type CompiledModel } from '../../compiler/3-lower';
import { evaluate, type TrainPlatform } from '../../compiler/4-train';
import { FeatureBank } from '../../compiler/feature-bank';
import { convKernelRows, effectiveRank, gramSpectrum, marchenkoPastur } from './spectrum';
import { mean, std } from './metrics';

export interface LayerSpectrum {
  node: string;
  type: string;
  /** Neurons N and inputs D of the weight matrix (convolutions flattened). */
  neurons: number;
  inputs: number;
  /** Eigenvalues of C (QᵀQ, or WᵀW / N), descending. */
  eigenvalues: Float64Array;
  trace: number;
  effectiveRank: { entropy: number; participation: number };
  /** Support of the white-noise spectrum: an isotropic Gaussian W of the same shape and trace. */
  whiteNoise: { lo: number; hi: number };
}

/** The covariance spectrum of one layer of a compiled model. */
export function layerSpectrum(model: CompiledModel, node: string, type: string): LayerSpectrum | Diagnostic {
  const weight = getNodeDefinition(type)?.inputWeight;
  const get = (name: string) => model.variables.find((v) => v.nodeId === node && v.name === name)?.variable;
  let W: Float64Array | Float32Array;
  let N: number;
  let D: number;
  let values: Float64Array;
  if (weight?.layout === 'covariance-factor') {
    const Q = get(weight.variable)!;
    const [r, d] = Q.shape;
    N = model.variables.find((v) => v.nodeId === node && v.role === 'noise')!.variable.shape[0];
    D = d;
    values = gramSpectrum(Q.dataSync() as Float32Array, r, d, 1);
  } else if (weight) {
    const k = get(weight.variable)!;
    if (weight.layout === 'units-last') {
      [D, N] = k.shape as [number, number];
      W = transpose(k.dataSync() as Float32Array, D, N);
    } else {
      const [kh, kw, cin, cout] = k.shape;
      ({ W, N, D } = convKernelRows(k.dataSync() as Float32Array, kh, kw, cin, cout));
    }
    values = gramSpectrum(W, N, D);
  } else {
    const known = covarianceLayerTypes();
    return diag('bad-argument', `Node "${node}" is a ${type}; a weight covariance exists only for ${words(known, 'and')} layers.`, {
      nodeId: node,
      fix: `Pass --node with the id of a ${words(known, 'or')} node.`,
    });
  }
  const trace = values.reduce((s, v) => s + v, 0);
  const mp = marchenkoPastur(D / N, Math.max(trace / D, 1e-30));
  return { node, type, neurons: N, inputs: D, eigenvalues: values, trace, effectiveRank: effectiveRank(values), whiteNoise: { lo: mp.lo, hi: mp.hi } };
}

/** "A, B and C" (or "A, B or C"). */
export function words(items: string[], last: 'and' | 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** The node types whose weights have a covariance to show (an input weight), by type id. */
export function covarianceLayerTypes(): string[] {
  return nodeTypesWhere((d) => d.inputWeight).map((d) => d.type);
}

export interface ResampleOptions {
  draws: number;
  /** Width N′ of every resampled layer; the trained width when absent. */
  width?: number;
  retrainHead: boolean;
  /** Epochs of head-only training when retrainHead. */
  headEpochs?: number;
  /** Training samples used to align layers and recompute statistics. */
  alignSamples?: number;
  batch?: number;
  seed?: number;
  platform: TrainPlatform;
  onProgress?(message: string): void;
}

export interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface ResampleReport {
  layers: { node: string; type: string; width: number; newWidth: number }[];
  trained: number;
  draws: { reused: number; retrained?: number }[];
  reused: Spread;
  retrained?: Spread;
}

export type ResampleResult = { ok: true; report: ResampleReport } | { ok: false; diagnostics: Diagnostic[] };

interface Step {
  node: string;
  type: string;
  def: AnyNodeDefinition;
  width: number;
  /** Pass-through nodes up to the next learned layer, in order. */
  path: string[];
  next: string;
  nextDef: AnyNodeDefinition;
  /** The node whose output the next layer reads (phi). */
  phi: string;
}

function fail(message: string, fix?: string, nodeId?: string): ResampleResult {
  return { ok: false, diagnostics: [diag('bad-argument', message, { fix, nodeId })] };
}

export function compileWith(tf: TF, doc: GraphDocument, weights: Map<string, Tensor>, seed: number): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const a = analyze(doc);
  if (!a.ok) return { diagnostics: a.diagnostics };
  return lower(a.validation, a.shapes, { tf, seed, weights });
}

/** Accuracy of the trained graph and of `draws` networks redrawn from its learned covariances. */
export async function resample(tf: TF, doc: GraphDocument, weights: Map<string, Tensor>, data: Dataset, o: ResampleOptions): Promise<ResampleResult> {
  const seed = o.seed ?? 1;
  const batch = o.batch ?? 256;
  const a = analyze(doc);
  if (!a.ok) return { ok: false, diagnostics: a.diagnostics };
  const defOf = (id: string) => a.validation.nodes.get(id)!.def;
  const head = a.validation.nodes.get(a.validation.lossNode!)!.inputs.in[0].source;
  const consumers = (id: string) => a.validation.edges.filter((e) => e.source === id).map((e) => e.target);
  // The classifier (the layer feeding the loss) is reused or retrained, never redrawn.
  const layerIds = a.validation.order.filter((id) => defOf(id).redraw && id !== head);
  if (!layerIds.length) {
    const kinds = words(nodeTypesWhere((d) => d.redraw).map((d) => d.type), 'and');
    return fail(
      `"${doc.name ?? 'The graph'}" has no layer to resample: resampling redraws ${kinds} layers (but not the classifier) from their learned covariance, and this graph has none (its last layer is the classifier, which is reused or retrained, never redrawn).`,
      'Add a RandomFeature layer (templates/rainbow.json shows one), train, then resample.',
    );
  }
  const steps: Step[] = [];
  for (const id of layerIds) {
    const path: string[] = [];
    let cur = id;
    for (;;) {
      const outs = consumers(cur);
      if (outs.length !== 1) return fail(`Layer "${id}" cannot be aligned: "${cur}" feeds ${outs.length} nodes, and resampling follows a single chain to the next learned layer.`, undefined, id);
      const t = defOf(outs[0]);
      if (!t.keepsChannels) {
        if (!t.inputWeight) return fail(`Layer "${id}" cannot be aligned: the next learned node "${outs[0]}" is a ${t.type}, and alignment knows ${words(covarianceLayerTypes(), 'and')}.`, undefined, id);
        const def = defOf(id);
        steps.push({ node: id, type: def.type, def, width: Number(a.validation.nodes.get(id)!.params[def.widthParam!]), path, next: outs[0], nextDef: t, phi: cur });
        break;
      }
      path.push(outs[0]);
      cur = outs[0];
    }
  }

  const built = compileWith(tf, doc, weights, seed);
  if (!built.model) return { ok: false, diagnostics: built.diagnostics };
  const ref = built.model;
  const missing = ref.variables.filter((v) => !weights.has(v.key));
  if (missing.length) {
    ref.dispose();
    return {
      ok: false,
      diagnostics: [diag('weights-mismatch', `The weights do not belong to this graph: they have no value for ${missing.slice(0, 3).map((v) => `"${v.key}"`).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}.`, { fix: 'Pass the --weights folder saved when training this same graph.' })],
    };
  }
  const bank = new FeatureBank(ref, data);
  await bank.prepare(o.platform);
  const nAlign = Math.min(o.alignSamples ?? 1000, data.train.count);
  const alignBatches: Uint32Array[] = [];
  for (let s = 0; s < nAlign; s += batch) alignBatches.push(Uint32Array.from({ length: Math.min(batch, nAlign - s) }, (_, i) => s + i));

  const trained = (await evaluate(ref, bank, data, batch, o.platform)).accuracy;
  o.onProgress?.(`trained network: test accuracy ${(100 * trained).toFixed(2)}%`);
  const draws: ResampleReport['draws'] = [];
  try {
    for (let d = 0; d < o.draws; d++) {
      const drawSeed = hashSeed(seed, `draw${d}`);
      const w = new Map(weights);
      const owned: Tensor[] = [];
      const put = (key: string, t: Tensor) => {
        owned.push(t);
        w.set(key, t);
      };
      const doc2: GraphDocument = structuredClone(doc);
      const params = (id: string) => doc2.nodes.find((n) => n.id === id)!.params;
      for (const [i, st] of steps.entries()) {
        const nw = o.width ?? st.width;
        const noise = ref.variables.filter((v) => v.nodeId === st.node && v.role === 'noise').map((v) => v.key);
        redraw(tf, st, nw, w, put, params(st.node), drawSeed + i, noise);
        const nextKey = `${st.next}/${st.nextDef.inputWeight!.variable}`;
        const nextOld = w.get(nextKey)!;
        w.delete(nextKey);
        for (const p of st.path) {
          const perChannel = defOf(p).perChannel;
          if (!perChannel) continue;
          const stats = perChannel.statistics ? [perChannel.statistics.mean, perChannel.statistics.variance] : [];
          for (const [name, fillMean] of [...perChannel.affine.map((n) => [n, true] as const), ...stats.map((n) => [n, false] as const)]) {
            const old = w.get(`${p}/${name}`);
            if (old) put(`${p}/${name}`, fillMean ? tf.fill([nw], tf.mean(old).dataSync()[0]) : tf.zeros([nw]));
          }
        }
        const step = compileWith(tf, doc2, w, seed);
        if (!step.model) return { ok: false, diagnostics: step.diagnostics };
        const m = step.model;
        for (const p of st.path) {
          const stats = defOf(p).perChannel?.statistics;
          if (stats) await refreshStats(tf, m, p, stats, a.validation.nodes.get(p)!.inputs.in[0].source, bank, alignBatches, put);
        }
        const A = await alignment(tf, ref, m, st.phi, st.width, nw, bank, alignBatches);
        put(nextKey, alignNext(tf, st.nextDef.type, nextOld, A, st.width, nw));
        m.dispose();
      }
      const fin = compileWith(tf, doc2, w, seed);
      if (!fin.model) return { ok: false, diagnostics: fin.diagnostics };
      const reused = (await evaluate(fin.model, bank, data, batch, o.platform)).accuracy;
      const row: ResampleReport['draws'][number] = { reused };
      if (o.retrainHead) {
        await trainHead(tf, fin.model, head, bank, data, o.headEpochs ?? 2, batch, hashSeed(drawSeed, 'head'), o.platform);
        row.retrained = (await evaluate(fin.model, bank, data, batch, o.platform)).accuracy;
      }
      fin.model.dispose();
      for (const t of owned) t.dispose();
      draws.push(row);
      o.onProgress?.(`draw ${d + 1}/${o.draws}: ${(100 * reused).toFixed(2)}%${row.retrained !== undefined ? `, head retrained ${(100 * row.retrained).toFixed(2)}%` : ''}`);
    }
  } finally {
    ref.dispose();
    bank.dispose();
  }
  const spread = (v: number[]): Spread => ({ mean: mean(v), std: std(v), min: Math.min(...v), max: Math.max(...v) });
  return {
    ok: true,
    report: {
      layers: steps.map((s) => ({ node: s.node, type: s.type, width: s.width, newWidth: o.width ?? s.width })),
      trained,
      draws,
      reused: spread(draws.map((r) => r.reused)),
      ...(o.retrainHead ? { retrained: spread(draws.map((r) => r.retrained!)) } : {}),
    },
  };
}

/** New weights for one layer: a fresh Gaussian at width nw, same covariance. */
function redraw(tf: TF, st: Step, nw: number, w: Map<string, Tensor>, put: (k: string, t: Tensor) => void, params: Record<string, unknown>, drawSeed: number, noiseVariables: string[]) {
  const bias = w.get(`${st.node}/bias`);
  if (bias) put(`${st.node}/bias`, tf.fill([nw], tf.mean(bias).dataSync()[0]));
  params[st.def.widthParam!] = nw;
  if (st.def.redraw!.kind === 'new-seed') {
    params[st.def.redraw!.seedParam] = drawSeed & 0x7fffffff;
    // The fixed noise is drawn again from the new seed when the graph is built.
    for (const v of noiseVariables) w.delete(v);
    return;
  }
  // A dense weight: W (N x D) = U S Vᵀ, C = V (S² / N) Vᵀ, W~ = G S Vᵀ / √N with G (N′ x k).
  const kernelKey = `${st.node}/${st.def.inputWeight!.variable}`;
  const kernel = w.get(kernelKey)!;
  const [D, N] = kernel.shape;
  const { S, V, k } = svd(transpose(kernel.dataSync() as Float32Array, D, N), N, D);
  const rng = seededRandom(drawSeed);
  const out = new Float32Array(D * nw); // kernel~ = W~ᵀ, D x N′
  const g = new Float64Array(k);
  for (let i = 0; i < nw; i++) {
    for (let j = 0; j < k; j++) g[j] = (rng.normal() * S[j]) / Math.sqrt(N);
    for (let dd = 0; dd < D; dd++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += g[j] * V[dd * k + j];
      out[dd * nw + i] = s;
    }
  }
  put(kernelKey, tf.tensor2d(out, [D, nw]));
}

/** Exact per-channel mean and variance of a BatchNorm's input on the alignment samples. */
async function refreshStats(tf: TF, m: CompiledModel, bn: string, names: { mean: string; variance: string }, src: string, bank: FeatureBank, batches: Uint32Array[], put: (k: string, t: Tensor) => void) {
  let sum: Tensor | null = null, sq: Tensor | null = null, rows = 0;
  for (const idx of batches) {
    const [s1, s2, n] = tf.tidy(() => {
      const { x, preset } = bank.batch('train', idx);
      const out = m.forward(x, { training: false, preset, keep: new Set([src]) }).kept.get(src)!.out;
      const c = out.shape[out.shape.length - 1];
      const r = tf.reshape(out, [-1, c]);
      return [tf.sum(r, 0), tf.sum(tf.square(r), 0), tf.scalar(r.shape[0])];
    });
    rows += (await n.data())[0];
    n.dispose();
    sum = sum ? tf.tidy(() => { const t = tf.add(sum!, s1); sum!.dispose(); s1.dispose(); return t; }) : s1;
    sq = sq ? tf.tidy(() => { const t = tf.add(sq!, s2); sq!.dispose(); s2.dispose(); return t; }) : s2;
  }
  const mu = tf.div(sum!, rows);
  const variance = tf.tidy(() => tf.relu(tf.sub(tf.div(sq!, rows), tf.square(mu))));
  sum!.dispose();
  sq!.dispose();
  for (const [name, t] of [[names.mean, mu], [names.variance, variance]] as const) {
    m.variables.find((v) => v.nodeId === bn && v.name === name)!.variable.assign(t as never);
    put(`${bn}/${name}`, t);
  }
}

/** Procrustes A (Cref x Cnew) from Sigma = E[phi_ref phi_newᵀ] over channel rows. */
async function alignment(tf: TF, ref: CompiledModel, m: CompiledModel, phi: string, cRef: number, cNew: number, bank: FeatureBank, batches: Uint32Array[]): Promise<Float64Array> {
  let acc: Tensor = tf.zeros([cRef, cNew]);
  for (const idx of batches) {
    const next = tf.tidy(() => {
      const { x, preset } = bank.batch('train', idx);
      const keep = new Set([phi]);
      const a = tf.reshape(ref.forward(x, { training: false, preset, keep }).kept.get(phi)!.out, [-1, cRef]);
      const b = tf.reshape(m.forward(x, { training: false, preset, keep }).kept.get(phi)!.out, [-1, cNew]);
      return tf.add(acc, tf.matMul(a, b, true, false));
    });
    acc.dispose();
    acc = next;
  }
  const sigma = (await acc.data()) as Float32Array;
  acc.dispose();
  return procrustes(sigma, cRef, cNew);
}

/** The next layer's input weight W composed with A on its channel axis (W A); `type` is the layer's type id. */
export function alignNext(tf: TF, type: string, old: Tensor, A: Float64Array, cRef: number, cNew: number): Tensor {
  const layout: WeightLayout | undefined = getNodeDefinition(type)?.inputWeight?.layout;
  if (!layout) throw new Error(`A ${type} node has no input weight to align.`);
  return tf.tidy(() => {
    const a = tf.tensor2d(Float32Array.from(A), [cRef, cNew]);
    if (layout === 'kernel') {
      const [kh, kw, , out] = old.shape;
      const t = tf.reshape(tf.transpose(old, [0, 1, 3, 2]), [-1, cRef]);
      return tf.transpose(tf.reshape(tf.matMul(t, a), [kh, kw, out, cNew]), [0, 1, 3, 2]);
    }
    if (layout === 'units-last') {
      const [din, out] = old.shape;
      const p = din / cRef;
      const t = tf.reshape(tf.transpose(tf.reshape(old, [p, cRef, out]), [0, 2, 1]), [-1, cRef]);
      return tf.reshape(tf.transpose(tf.reshape(tf.matMul(t, a), [p, out, cNew]), [0, 2, 1]), [p * cNew, out]);
    }
    const [r, din] = old.shape; // a covariance factor Q (r x D)
    return tf.reshape(tf.matMul(tf.reshape(old, [-1, cRef]), a), [r, (din / cRef) * cNew]);
  });
}

/** A few epochs of the classifier alone, the rest of the network in inference mode. */
async function trainHead(tf: TF, m: CompiledModel, head: string, bank: FeatureBank, data: Dataset, epochs: number, batch: number, seed: number, platform: TrainPlatform) {
  const vars = m.variables.filter((v) => v.nodeId === head && v.trainable).map((v) => v.variable);
  const opt = tf.train.adam(1e-3);
  const rng = seededRandom(seed);
  const n = data.train.count;
  for (let e = 0; e < epochs; e++) {
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let s = 0; s < n; s += batch) {
      const idx = order.subarray(s, Math.min(n, s + batch));
      const cost = opt.minimize(() => {
        const { x, preset, labels } = bank.batch('train', idx);
        const logits = m.forward(x, { training: false, preset }).logits;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, data.classes), logits) as never;
      }, true, vars);
      cost?.dispose();
      await platform.yield();
    }
  }
  opt.dispose();
}
