/**
 * What `train` and the research commands share: pick the backend, resolve the
 * dataset, check it fits the graph's Input node, build the model.
 */
import {
  DEFAULT_SETTINGS,
  FeatureBank,
  LEARNING_RATE_SCHEDULES,
  lower,
  notTrainable,
  type Analysis,
  type CompiledModel,
  type Dataset,
  type GraphDocument,
  type LearningRateSchedule,
  type TrainSettings,
} from '../../compiler';
import { checkDatasetFits as fits, datasetForGraph } from '../../compiler/dataset';
import { checkAlpha } from '../../compiler/lazy';
import { TRAINING_LIMITS } from '../../document/graph';
import type { Tensor } from '../../nodes/types';
import { resolveDataset } from '../data/registry';
import { nodeKernels } from '../platform/accelerate-node';
import { diskFeatureCache } from '../platform/feature-cache-node';
import { initBackend, nodePlatform, tf } from '../platform/tf-node';
import { defaultWorkers, parallelRunner } from '../platform/train-parallel-node';
import type { RunContext } from '../research/compare';
import { printDiagnostics, type LoadedGraph } from './graph-file';
import { flagBool, flagNumber, flagString, UsageError, type CliIO, type ParsedArgs } from './io';

export async function chooseBackend(requested: string | undefined, io: CliIO): Promise<string | undefined> {
  const choice = await initBackend(requested);
  if (!choice.ok) {
    io.err(
      `Cannot use the ${requested ? `"${requested}"` : 'requested'} backend: ${choice.notes.join('; ')}. Fix: use --backend wasm or --backend cpu (Node has no WebGPU or WebGL).`,
    );
    return undefined;
  }
  return choice.backend;
}

/** The dataset named by a flag, the graph's training settings, or its Input node. */
export function datasetSpec(doc: GraphDocument, analysis: Analysis, flag?: string): string {
  if (flag) return flag;
  if (doc.training?.dataset) return doc.training.dataset;
  const input = analysis.validation.inputNode && analysis.validation.nodes.get(analysis.validation.inputNode);
  const fromInput = input ? input.params.dataset : undefined;
  return typeof fromInput === 'string' && fromInput ? fromInput : 'synthetic';
}

export async function loadDataset(
  spec: string,
  opts: { dataDir?: string; limit?: number; seed?: number; testLimit?: number },
  io: CliIO,
): Promise<Dataset | undefined> {
  const r = await resolveDataset(spec, { dataDir: opts.dataDir, limit: opts.limit, seed: opts.seed });
  if (!r.ok) {
    printDiagnostics(io, [r.diagnostic]);
    return undefined;
  }
  const d = r.dataset;
  if (opts.testLimit !== undefined && opts.testLimit < d.test.count) {
    const n = opts.testLimit;
    const size = d.shape[0] * d.shape[1] * d.shape[2];
    d.test = { images: d.test.images.subarray(0, n * size), labels: d.test.labels.subarray(0, n), count: n };
  }
  return d;
}

export function buildModel(
  analysis: Analysis,
  seed: number,
  io: CliIO,
  weights?: Map<string, Tensor>,
): CompiledModel | undefined {
  const { model, diagnostics } = lower(analysis.validation, analysis.shapes, { tf, seed, weights });
  if (!model) {
    printDiagnostics(io, diagnostics);
    return undefined;
  }
  return model;
}

/** The dataset fits the graph's Input and loss nodes (see compiler/dataset.ts). */
export function checkDatasetFits(analysis: Analysis, data: Dataset) {
  return fits(analysis.validation, data);
}

const isSchedule = (v: string): v is LearningRateSchedule => (LEARNING_RATE_SCHEDULES as readonly string[]).includes(v);

/** Training settings from flags, falling back to the graph's, then the defaults. */
export function settingsFromFlags(p: ParsedArgs, doc: GraphDocument): TrainSettings {
  const t = doc.training ?? {};
  const optimizer = flagString(p, 'optimizer') ?? t.optimizer ?? DEFAULT_SETTINGS.optimizer;
  if (optimizer !== 'adam' && optimizer !== 'sgd')
    throw new UsageError(`--optimizer must be adam or sgd, got "${optimizer}".`);
  const schedule = flagString(p, 'schedule') ?? t.schedule ?? 'constant';
  if (!isSchedule(schedule))
    throw new UsageError(`--schedule must be ${LEARNING_RATE_SCHEDULES.join(' or ')}, got "${schedule}".`);
  return {
    ...DEFAULT_SETTINGS,
    optimizer,
    learningRate:
      flagNumber(p, 'lr', { min: 0, max: TRAINING_LIMITS.maxLearningRate }) ??
      t.learningRate ??
      DEFAULT_SETTINGS.learningRate,
    momentum: flagNumber(p, 'momentum', { min: 0, max: 1 }) ?? t.momentum ?? DEFAULT_SETTINGS.momentum,
    batchSize:
      flagNumber(p, 'batch', { int: true, min: 1, max: TRAINING_LIMITS.maxBatchSize }) ??
      t.batchSize ??
      DEFAULT_SETTINGS.batchSize,
    epochs:
      flagNumber(p, 'epochs', { int: true, min: 1, max: TRAINING_LIMITS.maxEpochs }) ??
      t.epochs ??
      DEFAULT_SETTINGS.epochs,
    seed: flagNumber(p, 'seed', { int: true }) ?? t.seed ?? DEFAULT_SETTINGS.seed,
    logEvery: flagNumber(p, 'log-every', { int: true, min: 1 }) ?? DEFAULT_SETTINGS.logEvery,
    schedule,
    ...alphaFrom(p, t.alpha),
  };
}

/** --alpha (or the graph's training.alpha): lazy training's output scale, refused unless positive. */
function alphaFrom(p: ParsedArgs, fallback: number | undefined): { alpha?: number } {
  const text = flagString(p, 'alpha');
  const alpha = text === undefined ? fallback : Number(text);
  if (alpha === undefined) return {};
  const bad = checkAlpha(alpha);
  if (bad) throw new UsageError(`${text !== undefined ? '--alpha: ' : ''}${bad.message} ${bad.fix}`);
  return { alpha };
}

/**
 * --workers N: worker threads that share each batch (1 trains in this thread). Default:
 * one per core, for runs long enough to be worth starting them (train-parallel-node.ts).
 */
export function workerCount(p: ParsedArgs): number {
  return explicitWorkers(p) ?? defaultWorkers();
}

export function explicitWorkers(p: ParsedArgs): number | undefined {
  return flagNumber(p, 'workers', { int: true, min: 1, max: 256 });
}

/** Backend, dataset (checked against the graph) and the shared run context. */
export async function setupRun(
  p: ParsedArgs,
  g: LoadedGraph,
  settings: TrainSettings,
  io: CliIO,
): Promise<RunContext | undefined> {
  const statistics = notTrainable(g.analysis.validation);
  if (statistics) {
    printDiagnostics(io, [statistics], `${g.path}: `);
    return undefined;
  }
  if (!(await chooseBackend(flagString(p, 'backend'), io))) return undefined;
  const spec = datasetSpec(g.doc, g.analysis, flagString(p, 'data'));
  const limit = flagNumber(p, 'limit', { int: true, min: 1 });
  const testLimit = flagNumber(p, 'test-limit', { int: true, min: 1 });
  const data = await loadDataset(
    spec,
    { dataDir: flagString(p, 'data-dir'), limit, seed: settings.seed, testLimit },
    io,
  );
  if (!data) return undefined;
  const misfit = checkDatasetFits(g.analysis, data);
  if (misfit.length) {
    printDiagnostics(io, misfit, `${g.path}: `);
    return undefined;
  }
  const cache = flagBool(p, 'no-cache') ? undefined : diskFeatureCache();
  const workers = workerCount(p);
  return {
    tf,
    platform: nodePlatform,
    data: datasetForGraph(g.analysis.validation, data),
    settings,
    dataSpec: { spec, limit, testLimit },
    makeBank: (model, d) =>
      new FeatureBank(model, d, { kernels: nodeKernels, shared: workers > 1, ...(cache ? { cache } : {}) }),
    runner: (doc) => (workers > 1 ? parallelRunner(doc, { workers: explicitWorkers(p) }) : undefined),
  };
}
