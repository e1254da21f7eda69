/**
 * Serves training batches, and computes a frozen front end only once.
 *
 * When everything before some point of the graph has no trainable parameter and no
 * training-only behaviour (a wired scattering transform, say), its outputs for the
 * whole training and test sets are computed once and kept; each step then runs only
 * the trainable rest. A cache (disk in the CLI, memory in the browser) keeps them
 * across runs, keyed by the frozen subgraph and the data.
 */
import type { PrecomputeKernels, Tensor, TensorSpec } from '../nodes/types';
import type { Dataset, DataSplit } from './dataset';
import type { CompiledModel } from './3-lower';
import type { TrainPlatform } from './platform';

export interface FeatureCache {
  get(key: string): Promise<Float32Array | undefined>;
  set(key: string, data: Float32Array): Promise<void>;
  /**
   * Read an entry piece by piece into the array `begin` returns for its length (undefined
   * refuses it), calling `filled` with the values read so far after each piece, so a
   * streaming run trains on the first stored images while the rest is read. False when
   * the entry is missing, refused or damaged. Optional: a cache without it is read whole.
   */
  readInto?(
    key: string,
    begin: (length: number) => Float32Array | undefined,
    filled: (values: number) => void,
  ): Promise<boolean>;
}

export interface Frontier {
  node: string;
  port: string;
  shape: number[];
  size: number;
}

/** A framework-free forward pass of one node type (see NodeDefinition.precompute). */
export type Precompute = (
  params: Record<string, unknown>,
  input: { data: Float32Array; shape: number[] },
) => Promise<Float32Array> | Float32Array;

export interface FeatureBankOptions {
  cache?: FeatureCache;
  /** The platform's faster transforms (a multi-threaded scattering, say), handed to every node's precompute. */
  kernels?: PrecomputeKernels;
  /** Output specs, to size the frontier without running the model. */
  specs?: Map<string, Record<string, TensorSpec>>;
  /** Batch size used while precomputing. */
  precomputeBatch?: number;
  /**
   * Keep the frozen outputs in shared memory, so that worker threads training the same
   * model read them without a copy (see `prepared`).
   */
  shared?: boolean;
  /** Another bank's prepared outputs (same model and data): prepare() adopts them. */
  prepared?: PreparedFeatures;
  /** Images of both splits computed so far, of `total` (cached ones count as done), after each chunk. */
  onProgress?(done: number, total: number): void;
  /** Asked between chunks: true abandons the computation (nothing partial is cached). */
  cancelled?(): boolean;
  /**
   * Let training start on the first computed images while the rest is computed (see
   * train()): a newcomer sees metrics in seconds instead of after the whole front end.
   */
  stream?: boolean;
}

/** What a prepared bank holds: enough for a copy of the model on another thread. */
export interface PreparedFeatures {
  frontier: Frontier[];
  stored: Record<'train' | 'test', Float32Array[]>;
}

export class FeatureBank {
  readonly frozenNodes: string[];
  /** Splits whose front end came from the cache in the last prepare(). */
  reused: ('train' | 'test')[] = [];
  /** True while a stored front end is being read back (progress then counts images read). */
  readingStored = false;
  /** How many leading images of each split have their front end computed. */
  readonly available = { train: 0, test: 0 };
  private finished = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];
  private abandoned = false;
  private frontier: Frontier[] = [];
  private stored: Record<'train' | 'test', Float32Array[]> = { train: [], test: [] };
  private readonly sampleSize: number;

  constructor(
    private model: CompiledModel,
    private data: Dataset,
    private options: FeatureBankOptions = {},
  ) {
    this.sampleSize = data.shape[0] * data.shape[1] * data.shape[2];
    const frozen = new Set(model.frozenPrefix());
    // Only worth it when something besides the Input is frozen.
    const worth = [...frozen].some((id) => id !== model.inputNode);
    this.frozenNodes = worth ? [...frozen] : [];
  }

  /** The frozen nodes whose outputs some trainable node reads. */
  private computeFrontier(consumers: Map<string, { node: string; port: string }[]>) {
    const frozen = new Set(this.frozenNodes);
    const list: { node: string; port: string }[] = [];
    for (const [target, sources] of consumers) {
      if (frozen.has(target)) continue;
      for (const s of sources)
        if (frozen.has(s.node) && !list.some((f) => f.node === s.node && f.port === s.port)) list.push(s);
    }
    return list;
  }

  /** The frozen outputs once prepared (empty when nothing is frozen). */
  get prepared(): PreparedFeatures {
    return { frontier: this.frontier, stored: this.stored };
  }

  private alloc(n: number): Float32Array {
    return this.options.shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  }

  /** Stop computing at the next chunk (the run ended early); nothing partial is cached. */
  abandon(): void {
    this.abandoned = true;
  }

  private stopped(): boolean {
    return this.abandoned || !!this.options.cancelled?.();
  }

  /** True when training may start before prepare() has finished. */
  get streaming(): boolean {
    // Only a framework-free front end streams: it runs beside the training steps without
    // sharing TensorFlow.js with them (and it is the slow kind, a scattering, that needs it).
    return !!this.options.stream && this.frozenNodes.length > 0 && !!this.precomputePlan();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once `n` images of `split` are ready, prepare() has ended, or it failed (then rejects). */
  async whenAvailable(split: 'train' | 'test', n: number): Promise<void> {
    while (this.available[split] < n && !this.finished) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure !== undefined) throw this.failure;
  }

  async prepare(platform: TrainPlatform): Promise<void> {
    this.abandoned = false;
    this.finished = false;
    this.failure = undefined;
    try {
      await this.compute(platform);
    } catch (e) {
      this.failure = e;
      throw e;
    } finally {
      this.finished = true;
      this.notify();
    }
  }

  private async compute(platform: TrainPlatform): Promise<void> {
    if (!this.frozenNodes.length) {
      this.available.train = this.data.train.count;
      this.available.test = this.data.test.count;
      return;
    }
    if (this.options.prepared) {
      // A worker thread adopts the main thread's outputs (shared memory): nothing to compute.
      this.frontier = this.options.prepared.frontier;
      this.stored = this.options.prepared.stored;
      this.available.train = this.data.train.count;
      this.available.test = this.data.test.count;
      return;
    }
    const edges = this.model.edges;
    const consumers = new Map<string, { node: string; port: string }[]>();
    for (const e of edges)
      (consumers.get(e.target) ?? consumers.set(e.target, []).get(e.target)!).push({
        node: e.source,
        port: e.sourcePort,
      });
    const ports = this.computeFrontier(consumers);
    const frontierNodes = new Set(ports.map((p) => p.node));
    const { tf } = this.model;
    const keyBase = this.options.cache ? `${this.model.describe(this.frozenNodes)}|${dataKey(this.data)}` : undefined;
    // One probe batch gives the frontier shapes.
    const probe = tf.tidy(() => {
      const x = this.images('train', new Uint32Array([0]));
      const r = this.model.outputs(x, frontierNodes, { training: false });
      return ports.map((p) => r.get(p.node)![p.port].shape.slice(1));
    });
    this.frontier = ports.map((p, i) => ({ ...p, shape: probe[i], size: probe[i].reduce((a, b) => a * b, 1) }));
    const total = this.data.train.count + this.data.test.count;
    this.reused = [];
    let before = 0;
    let current: 'train' | 'test' = 'train';
    const progress = (n: number) => {
      this.available[current] = Math.max(this.available[current], n);
      this.notify();
      this.options.onProgress?.(before + n, total);
    };
    progress(0);
    for (const split of ['train', 'test'] as const) {
      const part = this.data[split];
      current = split;
      this.available[split] = 0;
      if (keyBase && (await this.readStreaming(keyBase, split, progress))) {
        this.reused.push(split);
        progress(part.count);
        before += part.count;
        continue;
      }
      for (let f = 0; f < this.frontier.length; f++) {
        const key = keyBase && `${keyBase}|${split}|${this.frontier[f].node}.${this.frontier[f].port}`;
        const cached = key ? await this.options.cache?.get(key) : undefined;
        if (cached && cached.length === part.count * this.frontier[f].size) {
          this.stored[split][f] =
            this.options.shared && !(cached.buffer instanceof SharedArrayBuffer)
              ? copyInto(this.alloc(cached.length), cached)
              : cached;
        }
      }
      if (this.stored[split].length === this.frontier.length && this.stored[split].every(Boolean)) {
        this.reused.push(split);
        progress(part.count);
        before += part.count;
        continue;
      }
      const direct = this.precomputePlan();
      // Stored before it is filled, so a streaming run can read the images computed so far.
      const out = this.frontier.map((f) => this.alloc(part.count * f.size));
      this.stored[split] = out;
      if (direct) await this.runPrecompute(direct, part, platform, progress, out);
      const b = this.options.precomputeBatch ?? 256;
      for (let start = 0; !direct && start < part.count; start += b) {
        if (this.stopped()) return;
        const n = Math.min(b, part.count - start);
        const idx = new Uint32Array(n).map((_, i) => start + i);
        const values = tf.tidy(() => {
          const r = this.model.outputs(this.images(split, idx), frontierNodes, { training: false });
          return this.frontier.map((f) => r.get(f.node)![f.port]);
        });
        for (let f = 0; f < values.length; f++) {
          out[f].set(await values[f].data(), start * this.frontier[f].size);
          values[f].dispose();
        }
        progress(start + n);
        await platform.yield();
      }
      if (this.stopped()) return;
      before += part.count;
      if (keyBase && this.options.cache) {
        for (let f = 0; f < out.length; f++) {
          await this.options.cache.set(`${keyBase}|${split}|${this.frontier[f].node}.${this.frontier[f].port}`, out[f]);
        }
      }
    }
  }

  /**
   * A stored front end read as a stream (one frontier output, a cache that can): training
   * starts on the images read so far, as it does on images computed so far. False when
   * it cannot be read that way, or the entry is not there (then the split is computed, and
   * what training read meanwhile stays right: the same values, computed again).
   */
  private async readStreaming(
    keyBase: string,
    split: 'train' | 'test',
    progress: (n: number) => void,
  ): Promise<boolean> {
    const cache = this.options.cache;
    if (!cache?.readInto || !this.streaming || this.frontier.length !== 1) return false;
    const f = this.frontier[0];
    const count = this.data[split].count;
    this.readingStored = true;
    const ok = await cache
      .readInto(
        `${keyBase}|${split}|${f.node}.${f.port}`,
        (length) => {
          if (length !== count * f.size) return undefined;
          this.stored[split] = [this.alloc(length)];
          return this.stored[split][0];
        },
        (values) => progress(Math.floor(values / f.size)),
      )
      .finally(() => (this.readingStored = false));
    if (!ok) {
      this.available[split] = 0;
      this.stored[split] = [];
    }
    return ok;
  }

  /** The frozen nodes as framework-free steps, when every one of them has one. */
  private precomputePlan():
    { id: string; source: string; run: Precompute; params: Record<string, unknown>; inShape: number[] }[] | undefined {
    const v = this.model.validation;
    const steps = [];
    for (const id of this.frozenNodes) {
      if (id === this.model.inputNode) continue;
      const n = v.nodes.get(id)!;
      const kernels = this.options.kernels;
      const run: Precompute | undefined =
        n.def.precompute && ((params, input) => n.def.precompute!(params as never, input, kernels));
      const ins = Object.entries(n.inputs);
      if (!run || ins.length !== 1 || ins[0][0] !== 'in' || ins[0][1].length !== 1) return undefined;
      const e = ins[0][1][0];
      const inSpec = this.model.shapes.outputs.get(e.source)?.[e.sourcePort];
      if (!inSpec || e.sourcePort !== 'out') return undefined;
      steps.push({ id, source: e.source, run, params: n.params, inShape: inSpec.shape });
    }
    if (!this.frontier.every((f) => f.port === 'out')) return undefined;
    return steps;
  }

  private async runPrecompute(
    steps: NonNullable<ReturnType<FeatureBank['precomputePlan']>>,
    part: DataSplit,
    platform: TrainPlatform,
    progress: (done: number) => void,
    out: Float32Array[],
  ): Promise<void> {
    const chunk = this.options.onProgress ? 512 : 2048;
    for (let start = 0; start < part.count; start += chunk) {
      if (this.stopped()) break;
      const n = Math.min(chunk, part.count - start);
      const values = new Map<string, Float32Array>();
      values.set(this.model.inputNode, part.images.subarray(start * this.sampleSize, (start + n) * this.sampleSize));
      for (const s of steps) {
        values.set(s.id, await s.run(s.params, { data: values.get(s.source)!, shape: [n, ...s.inShape] }));
      }
      this.frontier.forEach((f, i) => out[i].set(values.get(f.node)!, start * f.size));
      progress(start + n);
      await platform.yield();
    }
  }

  private images(split: 'train' | 'test', idx: Uint32Array): Tensor {
    const part: DataSplit = this.data[split];
    const [h, w, c] = this.data.shape;
    const buf = new Float32Array(idx.length * this.sampleSize);
    for (let i = 0; i < idx.length; i++) {
      const o = idx[i] * this.sampleSize;
      buf.set(part.images.subarray(o, o + this.sampleSize), i * this.sampleSize);
    }
    return this.model.tf.tensor4d(buf, [idx.length, h, w, c]);
  }

  /** A batch: images (or the frozen front end's outputs) and labels. Call inside tidy. */
  batch(
    split: 'train' | 'test',
    idx: Uint32Array,
  ): { x: Tensor | null; preset?: Map<string, Record<string, Tensor>>; labels: Tensor } {
    const { tf } = this.model;
    const part = this.data[split];
    const labels = tf.tensor1d(
      Int32Array.from(idx, (i) => part.labels[i]),
      'int32',
    );
    if (!this.frontier.length) return { x: this.images(split, idx), labels };
    const preset = new Map<string, Record<string, Tensor>>();
    for (let f = 0; f < this.frontier.length; f++) {
      const fr = this.frontier[f];
      const src = this.stored[split][f];
      const buf = new Float32Array(idx.length * fr.size);
      for (let i = 0; i < idx.length; i++) buf.set(src.subarray(idx[i] * fr.size, (idx[i] + 1) * fr.size), i * fr.size);
      const rec = preset.get(fr.node) ?? {};
      rec[fr.port] = tf.tensor(buf, [idx.length, ...fr.shape]);
      preset.set(fr.node, rec);
    }
    // Frozen nodes that are not on the frontier are never read: mark them done.
    for (const id of this.frozenNodes) if (!preset.has(id)) preset.set(id, {});
    return { x: null, preset, labels };
  }

  dispose(): void {
    this.abandoned = true;
    this.stored = { train: [], test: [] };
  }
}

function copyInto(dst: Float32Array, src: Float32Array): Float32Array {
  dst.set(src);
  return dst;
}

/** A cheap fingerprint of a dataset: name, sizes and a strided checksum of the pixels. */
export function dataKey(d: Dataset): string {
  let h = 0x811c9dc5;
  for (const part of [d.train, d.test]) {
    const step = Math.max(1, Math.floor(part.images.length / 4096));
    for (let i = 0; i < part.images.length; i += step)
      h = Math.imul(h ^ Math.round(part.images[i] * 65535), 0x01000193);
    for (let i = 0; i < part.labels.length; i += 7) h = Math.imul(h ^ part.labels[i], 0x01000193);
  }
  return `${d.name}:${d.train.count}:${d.test.count}:${d.shape.join('x')}:${(h >>> 0).toString(16)}`;
}
