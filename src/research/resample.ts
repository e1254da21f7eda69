/**
 * Rainbow-network resampling (SCIENCE.md section 6) on a trained graph (a layer's
 * covariance spectrum is in layer-spectrum.ts): redraw the random part of
 * every RandomFeature and hidden Dense layer from the learned covariance (optionally
 * at another width), align each next layer by orthogonal Procrustes, and measure.
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
import type { Tensor, TF } from '../../nodes/types';
import { procrustes } from '../../nodes/math/linalg';
import { seededRandom } from '../../nodes/math/random';
import { analyze, type Analysis } from '../../compiler';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { Dataset } from '../../compiler/dataset';
import { lower, hashSeed, type CompiledModel } from '../../compiler/3-lower';
import { evaluate, type TrainPlatform } from '../../compiler/4-train';
import { FeatureBank } from '../../compiler/feature-bank';
import { mean, std } from './metrics';
import { planLayers, type LayerStep, type WeightLayout } from './redraw-plan';
import { drawRows, RIDGE, rowsToWeight, weightRows } from './redraw';

export interface ResampleOptions {
  draws: number;
  /** Width N′ of every resampled layer; the trained width when absent. */
  width?: number;
  /** Every resampled layer at this multiple of its trained width (when width is absent). */
  widthFactor?: number;
  retrainHead: boolean;
  /** Redraw convolutions too (covariance over input channels x kernel positions), not only RandomFeature and hidden Dense layers. */
  everyLayer?: boolean;
  /** Replaces the Gaussian draw of a Dense or convolution layer's rows (tests; permutations). */
  drawRows?: (node: string, W: Float64Array, N: number, D: number, nw: number, seed: number) => Float64Array;
  /** Sees each redrawn network before it is measured (tests; further analysis). */
  onNetwork?(model: CompiledModel, draw: number): Promise<void> | void;
  /** Epochs of head-only training when retrainHead. */
  headEpochs?: number;
  /** Training samples used to align layers and recompute statistics. */
  alignSamples?: number;
  batch?: number;
  seed?: number;
  platform: TrainPlatform;
  /** What was just measured, and how many of the draws are done. */
  onProgress?(message: string, done: number, total: number): void;
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
  /** What was done differently and where: a singular covariance drawn with a ridge, say. */
  notes: string[];
}

export type ResampleResult = { ok: true; report: ResampleReport } | { ok: false; diagnostics: Diagnostic[] };

function fail(message: string, fix?: string, nodeId?: string): ResampleResult {
  return { ok: false, diagnostics: [diag('bad-argument', message, { fix, nodeId })] };
}

export function compileWith(
  tf: TF,
  doc: GraphDocument,
  weights: Map<string, Tensor>,
  seed: number,
): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const a = analyze(doc);
  if (!a.ok) return { diagnostics: a.diagnostics };
  return lower(a.validation, a.shapes, { tf, seed, weights });
}

/** Accuracy of the trained graph and of `draws` networks redrawn from its learned covariances. */
export async function resample(
  tf: TF,
  doc: GraphDocument,
  weights: Map<string, Tensor>,
  data: Dataset,
  o: ResampleOptions,
): Promise<ResampleResult> {
  const seed = o.seed ?? 1;
  const batch = o.batch ?? 256;
  const a = analyze(doc);
  if (!a.ok) return { ok: false, diagnostics: a.diagnostics };
  const built = compileWith(tf, doc, weights, seed);
  if (!built.model) return { ok: false, diagnostics: built.diagnostics };
  const ref = built.model;
  const plan = planLayers(a, ref, o.everyLayer ?? false, doc.name ?? 'The graph');
  if (!plan.ok) {
    ref.dispose();
    return fail(plan.message, plan.fix, plan.nodeId);
  }
  const { steps, head } = plan;
  const notes = new Set<string>();
  const missing = ref.variables.filter((v) => !weights.has(v.key));
  if (missing.length) {
    ref.dispose();
    return {
      ok: false,
      diagnostics: [
        diag(
          'weights-mismatch',
          `The weights do not belong to this graph: they have no value for ${missing
            .slice(0, 3)
            .map((v) => `"${v.key}"`)
            .join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}.`,
          { fix: 'Pass the --weights folder saved when training this same graph.' },
        ),
      ],
    };
  }
  const bank = new FeatureBank(ref, data);
  await bank.prepare(o.platform);
  const nAlign = Math.min(o.alignSamples ?? 1000, data.train.count);
  const alignBatches: Uint32Array[] = [];
  for (let s = 0; s < nAlign; s += batch)
    alignBatches.push(Uint32Array.from({ length: Math.min(batch, nAlign - s) }, (_, i) => s + i));

  const trained = (await evaluate(ref, bank, data, batch, o.platform)).accuracy;
  o.onProgress?.(`trained network: test accuracy ${(100 * trained).toFixed(2)}%`, 0, o.draws);
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
        const nw = newWidth(o, st.width);
        const problem = redraw(tf, st, nw, w, put, params(st.node), drawSeed + i, o.drawRows);
        if (problem?.fail)
          return fail(
            problem.fail,
            'Train the network (or pass the weights saved after training), then resample.',
            st.node,
          );
        if (problem?.note) notes.add(problem.note);
        const nextKey = `${st.next}/${st.nextWeight}`;
        const nextOld = w.get(nextKey)!;
        w.delete(nextKey);
        const a2 = analyze(doc2);
        if (!a2.ok) return { ok: false, diagnostics: a2.diagnostics };
        const channels = (id: string, an: Analysis = a2) => an.shapes.outputs.get(id)!.out.shape.at(-1)!;
        for (const p of st.between) {
          for (const [name, fillMean] of [
            ['gamma', true],
            ['beta', true],
            ['moving_mean', false],
            ['moving_variance', false],
          ] as const) {
            const old = w.get(`${p}/${name}`);
            if (old)
              put(
                `${p}/${name}`,
                fillMean ? tf.fill([channels(p)], tf.mean(old).dataSync()[0]) : tf.zeros([channels(p)]),
              );
          }
        }
        const step = compileWith(tf, doc2, w, seed);
        if (!step.model) return { ok: false, diagnostics: step.diagnostics };
        const m = step.model;
        for (const p of st.between)
          if (w.has(`${p}/moving_mean`))
            await refreshStats(tf, m, p, a.validation.nodes.get(p)!.inputs.in[0].source, bank, alignBatches, put);
        const cRef = channelsAt(a, st.phi, st.node);
        const cNew = channelsAt(a2, st.phi, st.node);
        const A = await alignment(tf, ref, m, st.phi, cRef, cNew, bank, alignBatches);
        put(nextKey, alignNext(tf, st.nextLayout, nextOld, A, cRef, cNew));
        m.dispose();
      }
      const fin = compileWith(tf, doc2, w, seed);
      if (!fin.model) return { ok: false, diagnostics: fin.diagnostics };
      await o.onNetwork?.(fin.model, d);
      const reused = (await evaluate(fin.model, bank, data, batch, o.platform)).accuracy;
      const row: ResampleReport['draws'][number] = { reused };
      if (o.retrainHead) {
        await trainHead(
          tf,
          fin.model,
          head,
          bank,
          data,
          o.headEpochs ?? 2,
          batch,
          hashSeed(drawSeed, 'head'),
          o.platform,
        );
        row.retrained = (await evaluate(fin.model, bank, data, batch, o.platform)).accuracy;
      }
      fin.model.dispose();
      for (const t of owned) t.dispose();
      draws.push(row);
      o.onProgress?.(
        `draw ${d + 1}/${o.draws}: ${(100 * reused).toFixed(2)}%${row.retrained !== undefined ? `, head retrained ${(100 * row.retrained).toFixed(2)}%` : ''}`,
        d + 1,
        o.draws,
      );
    }
  } finally {
    ref.dispose();
    bank.dispose();
  }
  const spread = (v: number[]): Spread => ({ mean: mean(v), std: std(v), min: Math.min(...v), max: Math.max(...v) });
  return {
    ok: true,
    report: {
      layers: steps.map((s) => ({ node: s.node, type: s.type, width: s.width, newWidth: newWidth(o, s.width) })),
      notes: [...notes],
      trained,
      draws,
      reused: spread(draws.map((r) => r.reused)),
      ...(o.retrainHead ? { retrained: spread(draws.map((r) => r.retrained!)) } : {}),
    },
  };
}

function newWidth(o: ResampleOptions, trained: number): number {
  return o.width ?? Math.max(1, Math.round(trained * (o.widthFactor ?? 1)));
}

/**
 * Channels of phi, the next layer's input, as alignment rotates them: a vector made by
 * flattening a map keeps the map's channels (positions x channels, channel last).
 */
function channelsAt(an: Analysis, phi: string, layer: string): number {
  const out = (id: string) => an.shapes.outputs.get(id)!.out;
  let n = phi;
  for (;;) {
    const spec = out(n);
    const ins = Object.values(an.validation.nodes.get(n)!.inputs).flat();
    if (spec.kind !== 'vector' || n === layer || ins.length !== 1) return spec.shape.at(-1)!;
    const from = out(ins[0].source);
    if (from.kind !== 'vector') return from.shape.at(-1)!;
    n = ins[0].source;
  }
}

/** New weights for one layer: a fresh Gaussian at width nw, same covariance. */
function redraw(
  tf: TF,
  st: LayerStep,
  nw: number,
  w: Map<string, Tensor>,
  put: (k: string, t: Tensor) => void,
  params: Record<string, unknown>,
  drawSeed: number,
  custom?: ResampleOptions['drawRows'],
): { note?: string; fail?: string } | undefined {
  const bias = w.get(`${st.node}/bias`);
  if (bias) put(`${st.node}/bias`, tf.fill([nw], tf.mean(bias).dataSync()[0]));
  params[st.widthParam] = nw;
  if (st.layout === 'covariance-factor') {
    params.seed = drawSeed & 0x7fffffff;
    w.delete(`${st.node}/noise`); // drawn again from the new seed when the graph is built
    return;
  }
  const key = `${st.node}/${st.weight}`;
  const weight = w.get(key)!;
  const { W, N, D } = weightRows(st.layout, weight.dataSync() as Float32Array, weight.shape);
  let rows: Float64Array;
  let note: string | undefined;
  if (custom) rows = custom(st.node, W, N, D, nw, drawSeed);
  else {
    const d = drawRows(W, N, D, nw, drawSeed);
    if ('zero' in d)
      return {
        fail: `Layer "${st.node}" (${st.type}) has all-zero weights: its covariance is zero, and there is nothing to draw from.`,
      };
    rows = d.W;
    if (d.ridge) {
      note = `Layer "${st.node}" (${st.type}): its weight covariance is singular (rank ${d.rank} of ${Math.min(N, D)} possible, ${N} neurons x ${D} inputs); drawn from C + εI with ε = ${d.ridge.toPrecision(3)} (${100 * RIDGE}% of the mean eigenvalue).`;
    }
  }
  const back = rowsToWeight(st.layout, rows, nw, weight.shape);
  put(key, tf.tensor(back.values, back.shape));
  return note ? { note } : undefined;
}

/** Exact per-channel mean and variance of a BatchNorm's input on the alignment samples. */
async function refreshStats(
  tf: TF,
  m: CompiledModel,
  bn: string,
  src: string,
  bank: FeatureBank,
  batches: Uint32Array[],
  put: (k: string, t: Tensor) => void,
) {
  let sum: Tensor | null = null,
    sq: Tensor | null = null,
    rows = 0;
  for (const idx of batches) {
    const [s1, s2, n] = tf.tidy(() => {
      const { x, preset } = bank.batch('train', idx);
      const out = m.outputs(x, new Set([src]), { training: false, preset }).get(src)!.out;
      const c = out.shape[out.shape.length - 1];
      const r = tf.reshape(out, [-1, c]);
      return [tf.sum(r, 0), tf.sum(tf.square(r), 0), tf.scalar(r.shape[0])];
    });
    rows += (await n.data())[0];
    n.dispose();
    sum = sum
      ? tf.tidy(() => {
          const t = tf.add(sum!, s1);
          sum!.dispose();
          s1.dispose();
          return t;
        })
      : s1;
    sq = sq
      ? tf.tidy(() => {
          const t = tf.add(sq!, s2);
          sq!.dispose();
          s2.dispose();
          return t;
        })
      : s2;
  }
  const mu = tf.div(sum!, rows);
  const variance = tf.tidy(() => tf.relu(tf.sub(tf.div(sq!, rows), tf.square(mu))));
  sum!.dispose();
  sq!.dispose();
  for (const [name, t] of [
    ['moving_mean', mu],
    ['moving_variance', variance],
  ] as const) {
    m.variables.find((v) => v.nodeId === bn && v.name === name)!.variable.assign(t as never);
    put(`${bn}/${name}`, t);
  }
}

/** Procrustes A (Cref x Cnew) from Sigma = E[phi_ref phi_newᵀ] over channel rows. */
async function alignment(
  tf: TF,
  ref: CompiledModel,
  m: CompiledModel,
  phi: string,
  cRef: number,
  cNew: number,
  bank: FeatureBank,
  batches: Uint32Array[],
): Promise<Float64Array> {
  let acc: Tensor = tf.zeros([cRef, cNew]);
  for (const idx of batches) {
    const next = tf.tidy(() => {
      const { x, preset } = bank.batch('train', idx);
      const only = new Set([phi]);
      const a = tf.reshape(ref.outputs(x, only, { training: false, preset }).get(phi)!.out, [-1, cRef]);
      const b = tf.reshape(m.outputs(x, only, { training: false, preset }).get(phi)!.out, [-1, cNew]);
      return tf.add(acc, tf.matMul(a, b, true, false));
    });
    acc.dispose();
    acc = next;
  }
  const sigma = (await acc.data()) as Float32Array;
  acc.dispose();
  return procrustes(sigma, cRef, cNew);
}

/** The next layer's input weight W composed with A on its channel axis (W A). */
export function alignNext(
  tf: TF,
  type: WeightLayout,
  old: Tensor,
  A: Float64Array,
  cRef: number,
  cNew: number,
): Tensor {
  return tf.tidy(() => {
    const a = tf.tensor2d(Float32Array.from(A), [cRef, cNew]);
    if (type === 'kernel') {
      const [kh, kw, , out] = old.shape;
      const t = tf.reshape(tf.transpose(old, [0, 1, 3, 2]), [-1, cRef]);
      return tf.transpose(tf.reshape(tf.matMul(t, a), [kh, kw, out, cNew]), [0, 1, 3, 2]);
    }
    if (type === 'units-last') {
      const [din, out] = old.shape;
      const p = din / cRef;
      const t = tf.reshape(tf.transpose(tf.reshape(old, [p, cRef, out]), [0, 2, 1]), [-1, cRef]);
      return tf.reshape(tf.transpose(tf.reshape(tf.matMul(t, a), [p, out, cNew]), [0, 2, 1]), [p * cNew, out]);
    }
    const [r, din] = old.shape; // RandomFeature factor Q (r x D)
    return tf.reshape(tf.matMul(tf.reshape(old, [-1, cRef]), a), [r, (din / cRef) * cNew]);
  });
}

/** A few epochs of the classifier alone, the rest of the network in inference mode. */
async function trainHead(
  tf: TF,
  m: CompiledModel,
  head: string,
  bank: FeatureBank,
  data: Dataset,
  epochs: number,
  batch: number,
  seed: number,
  platform: TrainPlatform,
) {
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
      const cost = opt.minimize(
        () => {
          const { x, preset, labels } = bank.batch('train', idx);
          const logits = m.forward(x, { training: false, preset }).logits;
          return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, data.classes), logits) as never;
        },
        true,
        vars,
      );
      cost?.dispose();
      await platform.yield();
    }
  }
  opt.dispose();
}
