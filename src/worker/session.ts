/**
 * One training run, as the worker performs it: load the data, compile the graph,
 * train, and report everything as messages. Free of worker globals (messages go out
 * through `post`, tfjs and time come in), so Node tests can drive it directly.
 */
import { analyze, diag, lower, notTrainable, train, type Diagnostic } from '../../compiler/index';
import { evaluate } from '../../compiler/4-train';
import { FeatureBank, type FeatureCache } from '../../compiler/feature-bank';
import { checkDatasetFits, datasetForGraph } from '../../compiler/dataset';
import type { CompiledModel } from '../../compiler/3-lower';
import type { TrainControl, TrainPlatform } from '../../compiler/4-train';
import type { Dataset } from '../../compiler/dataset';
import type { PrecomputeKernels, Tensor, TF } from '../../nodes/types';
import { checkWeightsCover } from '../platform/weights';
import { makeSynthetic } from '../data/synthetic';
import { datasetFromUpload, loadServerDataset, type LoadResult } from '../data/browser';
import { featureMaps, filterSnapshots, initialFilters, verifyAgainstCpu } from './inspect';
import type { DatasetSpec, FromWorker, ImageData01, StartRequest } from './protocol';

/** How many test images the prediction grid shows (train() predicts them in order). */
export const SAMPLE_COUNT = 32;

/**
 * A mean cross-entropy this large has diverged even while it is finite (chance level
 * is ln K, about 2.3 for ten classes); huge learning rates reach 1e20 without a NaN,
 * and WebGPU shaders may not propagate NaN at all.
 */

export interface SessionEnv {
  tf: TF;
  platform: TrainPlatform;
  post(msg: FromWorker, transfer?: Transferable[]): void;
  /** Initialize the backend; undefined when it failed (the reasons were posted). */
  initBackend(preference: string): Promise<string | undefined>;
  /** Base URL for /data requests (empty in the browser: same origin). */
  dataBase?: string;
  /** Where computed frozen front ends are kept across runs and reloads. */
  featureCache?: FeatureCache;
  /** Faster versions of node types' precompute on this platform (the browser's scattering pool). */
  kernels?: PrecomputeKernels;
}

/** At most this often a progress message while the front end is computed. */
const PROGRESS_EVERY_MS = 100;

export async function loadDataset(
  spec: DatasetSpec,
  base = '',
  onProgress?: (loaded: number, total: number) => void,
): Promise<LoadResult> {
  if (spec.kind === 'synthetic')
    return { ok: true, dataset: makeSynthetic({ seed: 1, train: spec.train, test: spec.test }) };
  if (spec.kind === 'server') return loadServerDataset(spec.name, { base, limit: spec.limit, onProgress });
  return datasetFromUpload(
    spec.files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
    { limit: spec.limit },
  );
}

function samples(data: Dataset, n: number): ImageData01[] {
  const [h, w, c] = data.shape;
  const size = h * w * c;
  const out: ImageData01[] = [];
  for (let i = 0; i < Math.min(n, data.test.count); i++)
    out.push({ width: w, height: h, channels: c, pixels: data.test.images.slice(i * size, (i + 1) * size) });
  return out;
}

export class Session {
  readonly control: TrainControl = {};
  /** True while train() runs: backend switches must wait. */
  training = false;
  model?: CompiledModel;
  data?: Dataset;
  private complexPorts = new Set<string>();
  private bank?: FeatureBank;

  constructor(private env: SessionEnv) {}

  async run(req: StartRequest): Promise<void> {
    const { env } = this;
    const fail = (diagnostics: Diagnostic[]) => {
      env.post({ type: 'diagnostics', diagnostics });
      env.post({ type: 'done', status: 'failed', finalTestAcc: NaN });
    };
    const backend = await env.initBackend(req.backend);
    if (!backend)
      return fail([
        diag('backend-unavailable', `No TensorFlow.js backend could start (asked for "${req.backend}").`, {
          fix: 'Choose "auto" or another backend.',
        }),
      ]);

    const analysis = analyze(req.doc, { batchSize: req.settings.batchSize });
    if (!analysis.ok) return fail(analysis.diagnostics.filter((d) => d.severity === 'error'));
    const statistics = notTrainable(analysis.validation);
    if (statistics) return fail([statistics]);

    env.post({ type: 'status', phase: 'loading-data', message: 'Loading the dataset…' });
    let lastBytes = -Infinity;
    const loaded = await loadDataset(req.dataset, env.dataBase, (done, total) => {
      const now = env.platform.now();
      if (done < total && now - lastBytes < PROGRESS_EVERY_MS) return;
      lastBytes = now;
      const mb = (b: number) => Math.round(b / 1e5) / 10;
      env.post({ type: 'work', what: 'Loading the dataset', done: mb(done), total: mb(total), unit: 'MB' });
    });
    if (!loaded.ok) return fail([loaded.diagnostic]);
    const v = analysis.validation;
    const misfit = checkDatasetFits(v, loaded.dataset);
    if (misfit.length) return fail(misfit);
    const data = datasetForGraph(v, loaded.dataset);
    for (const [id, ports] of analysis.shapes.outputs)
      for (const [port, spec] of Object.entries(ports))
        if (spec.kind === 'complex') this.complexPorts.add(`${id}/${port}`);

    env.post({ type: 'status', phase: 'compiling', message: `Building the model on ${backend}…` });
    const given =
      req.weights && new Map<string, Tensor>(req.weights.map((w) => [w.key, env.tf.tensor(w.data, w.shape)]));
    const built = lower(v, analysis.shapes, { tf: env.tf, seed: req.settings.seed, weights: given });
    for (const t of given?.values() ?? []) t.dispose();
    if (!built.model) return fail(built.diagnostics);
    const model = built.model;
    if (given) {
      // Weights loaded for this graph before an edit that added a variable: say which, do not half-initialize.
      const uncovered = checkWeightsCover(model, given);
      if (uncovered.length) {
        model.dispose();
        return fail(uncovered);
      }
    }
    this.model = model;
    this.data = data;

    const settings = { ...req.settings };
    const batch = Math.max(1, Math.min(settings.batchSize, data.train.count));
    const stepsPerEpoch = Math.floor(data.train.count / batch);
    // About a hundred points per epoch on the charts, at least one per step for short runs.
    settings.logEvery = Math.max(1, Math.floor(stepsPerEpoch / 100));
    env.post({
      type: 'dataset',
      name: data.name,
      classNames: data.classNames,
      trainCount: data.train.count,
      testCount: data.test.count,
      shape: data.shape,
      samples: samples(data, SAMPLE_COUNT),
      sampleLabels: Array.from(data.test.labels.subarray(0, SAMPLE_COUNT)),
      stepsPerEpoch,
      epochs: settings.epochs,
    });

    const nodeTypes = new Map([...v.nodes].map(([id, n]) => [id, n.def.type]));
    const initial = await initialFilters(model);
    let pending: Promise<void> | undefined;
    const snapshot = (step: number) => {
      if (pending) return;
      pending = filterSnapshots(model, nodeTypes, step, initial)
        .then((snaps) => {
          if (snaps.length) env.post({ type: 'filters', snapshots: snaps });
        })
        .catch(() => undefined) // the run ended and freed the model meanwhile
        .finally(() => {
          pending = undefined;
        });
    };
    snapshot(0);
    await pending;
    if (req.evaluateOnly) return this.evaluateOnly(model, data, settings.batchSize, backend);

    let lastSnapshot = 0;
    let lastProgress = -Infinity;
    let announced = false;
    const what = 'Computing the fixed front end';
    const bank = new FeatureBank(model, data, {
      cache: env.featureCache,
      kernels: env.kernels,
      stream: true,
      cancelled: () => !!this.control.stop,
      onProgress: (done, total) => {
        const now = env.platform.now();
        if (done < total && now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        env.post({ type: 'work', what: bank.readingStored ? 'Reading the stored front end' : what, done, total });
      },
    });
    this.bank = bank;
    if (bank.frozenNodes.length)
      env.post({
        type: 'status',
        phase: 'precomputing',
        message: `${what} (${bank.frozenNodes.length} nodes without trainable weights) on ${backend}…`,
      });
    else env.post({ type: 'status', phase: 'training', message: `Training on ${backend}…` });
    try {
      // While paused, train() polls through yield(): poll slowly instead of spinning a core.
      const platform = {
        now: env.platform.now,
        yield: () => (this.control.paused ? new Promise<void>((r) => setTimeout(r, 50)) : env.platform.yield()),
      };
      this.training = true;
      const result = await train(
        model,
        data,
        settings,
        platform,
        {
          onFrozen: (info) =>
            env.post({
              type: 'status',
              phase: 'training',
              message:
                bank.reused.length === 2
                  ? `Reused the stored fixed front end (${info.nodes.length} nodes), loaded in ${info.seconds.toFixed(1)} s; training on ${backend}…`
                  : `Computed the fixed front end (${info.nodes.length} nodes) once in ${info.seconds.toFixed(1)} s; training on ${backend}…`,
            }),
          onStep: (m) => {
            if (!announced && bank.streaming && bank.available.train < data.train.count) {
              env.post({
                type: 'status',
                phase: 'training',
                message: `Training on ${backend} with the images computed so far, while the fixed front end is computed…`,
              });
            }
            announced = true;
            const globalStep = (m.epoch - 1) * m.stepsPerEpoch + m.step;
            env.post({ type: 'step', metrics: m, globalStep });
            if (req.snapshotEvery > 0 && globalStep - lastSnapshot >= req.snapshotEvery) {
              lastSnapshot = globalStep;
              void snapshot(globalStep);
            }
          },
          onEpoch: (m) => {
            env.post({ type: 'epoch', metrics: m });
            void snapshot(m.epoch * stepsPerEpoch);
          },
        },
        this.control,
        bank,
      );
      this.training = false;
      // The front end's features are in the store now; the worker need not hold them.
      bank.dispose();
      await pending;
      if (result.diagnostics.length) env.post({ type: 'diagnostics', diagnostics: result.diagnostics });
      env.post({ type: 'done', status: result.status, finalTestAcc: result.finalTestAcc });
    } catch (e) {
      this.training = false;
      fail([
        diag(
          'lower-failed',
          `Training failed on the ${backend} backend: ${e instanceof Error ? e.message : String(e)}.`,
          {
            fix: 'Your graph passed every check, so this is a fault in Wavegraph: try another backend, and report it with the graph file.',
          },
        ),
      ]);
    }
  }

  /** Test accuracy, confusion and sample predictions of the model as built (loaded weights), reported as epoch 0. */
  private async evaluateOnly(model: CompiledModel, data: Dataset, batchSize: number, backend: string): Promise<void> {
    const { env } = this;
    const bank = new FeatureBank(model, data, { cache: env.featureCache, kernels: env.kernels });
    this.bank = bank;
    env.post({ type: 'status', phase: 'training', message: `Evaluating the weights on ${backend}…` });
    const t0 = env.platform.now();
    try {
      await bank.prepare(env.platform);
      const batch = Math.max(1, Math.min(batchSize, data.test.count));
      const ev = await evaluate(model, bank, data, batch, env.platform);
      const seconds = (env.platform.now() - t0) / 1000;
      env.post({
        type: 'epoch',
        metrics: {
          epoch: 0,
          loss: NaN,
          trainAcc: NaN,
          testAcc: ev.accuracy,
          samplesPerSec: data.test.count / Math.max(seconds, 1e-3),
          seconds,
          backend,
          confusion: ev.confusion,
          samplePredictions: ev.predictions.slice(0, SAMPLE_COUNT),
        },
      });
      env.post({ type: 'done', status: 'completed', finalTestAcc: ev.accuracy });
    } catch (e) {
      env.post({
        type: 'diagnostics',
        diagnostics: [
          diag(
            'lower-failed',
            `Evaluating the weights failed on ${backend}: ${e instanceof Error ? e.message : String(e)}.`,
          ),
        ],
      });
      env.post({ type: 'done', status: 'failed', finalTestAcc: NaN });
    } finally {
      bank.dispose();
      this.bank = undefined;
    }
  }

  /** Compare a node's output on this backend with the CPU backend's (after training). */
  async verify(nodeId: string, count: number): Promise<void> {
    if (!this.model || !this.data || this.training) {
      const why = this.training ? 'Wait for training to finish' : 'Train the graph first';
      this.env.post({
        type: 'diagnostics',
        diagnostics: [
          diag('bad-argument', `${why}: the check compares the trained model on two backends.`, { severity: 'info' }),
        ],
      });
      return;
    }
    try {
      this.env.post({ type: 'verify', reply: await verifyAgainstCpu(this.model, this.data, nodeId, count) });
    } catch (e) {
      this.env.post({
        type: 'diagnostics',
        diagnostics: [
          diag(
            'bad-argument',
            `Could not check ${nodeId} against the CPU: ${e instanceof Error ? e.message : String(e)}.`,
            { nodeId, severity: 'warning' },
          ),
        ],
      });
    }
  }

  async featureMaps(nodeId: string, index: number): Promise<void> {
    if (!this.model || !this.data) {
      this.env.post({
        type: 'diagnostics',
        diagnostics: [
          diag('bad-argument', 'Train the graph first: feature maps come from the trained model.', {
            severity: 'info',
          }),
        ],
      });
      return;
    }
    try {
      const reply = await featureMaps(this.model, this.data, nodeId, index, this.complexPorts);
      if (reply) this.env.post({ type: 'feature-maps', reply }, [reply.values.buffer]);
    } catch (e) {
      this.env.post({
        type: 'diagnostics',
        diagnostics: [
          diag(
            'bad-argument',
            `Could not compute the feature maps of ${nodeId}: ${e instanceof Error ? e.message : String(e)}.`,
            { nodeId, severity: 'warning' },
          ),
        ],
      });
    }
  }

  dispose(): void {
    this.control.stop = true;
    this.model?.dispose();
    this.bank?.dispose();
    this.bank = undefined;
    this.model = undefined;
    this.data = undefined;
  }
}
