/**
 * A/B runs: train several graphs (a graph and its variants) on the same data, with
 * the same seed, data order and hyper-parameters, and keep a run record of each.
 * Platform-free: tf, the clock and the feature cache come in through options.
 *
 * The data order depends only on the settings' seed and the training-set size, so
 * two runs with equal settings on the same Dataset see exactly the same batches.
 */
import { analyze } from '../../compiler';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument, ParamValue } from '../../document/graph';
import type { Dataset } from '../../compiler/dataset';
import { lower, type CompiledModel } from '../../compiler/3-lower';
import {
  train,
  type StepRunnerFactory,
  type TrainCallbacks,
  type TrainControl,
  type TrainPlatform,
  type TrainSettings,
} from '../../compiler/4-train';
import { FeatureBank } from '../../compiler/feature-bank';
import type { TF } from '../../nodes/types';
import { RUN_FORMAT, RUN_VERSION, type RunDataSpec, type RunRecord, type RunStep } from './run-record';

export interface RunContext {
  tf: TF;
  platform: TrainPlatform;
  data: Dataset;
  /** How the data was asked for (recorded so the run can be reproduced). */
  dataSpec: { spec: string; limit?: number; testLimit?: number };
  settings: TrainSettings;
  /** A feature bank per model (the CLI's has a disk cache); a plain one otherwise. */
  makeBank?: (model: CompiledModel, data: Dataset) => FeatureBank;
  /** How a graph's steps run (the CLI's spread each batch over worker threads); in this thread otherwise. */
  runner?: (doc: GraphDocument) => StepRunnerFactory | undefined;
  control?: TrainControl;
  /**
   * How far a graph's run is, for a progress bar: images of the frozen front end
   * computed, then training steps of all epochs.
   */
  onWork?(phase: 'front end' | 'training', done: number, total: number): void;
}

export interface RunHooks {
  /** Called once the model is built, before training; may add training callbacks. */
  onModel?(model: CompiledModel, bank: FeatureBank): TrainCallbacks | void;
  onStep?(m: RunStep): void;
  /** Awaited before the next epoch (it may evaluate the model through onModel's handles). */
  onEpoch?(m: RunRecord['metrics']['epochs'][number]): void | Promise<void>;
  /** After training, before the model is disposed (evaluate it, read its weights). */
  afterTrain?(model: CompiledModel, bank: FeatureBank): Promise<void> | void;
  /** Figures to attach to the record's metrics.extra, asked for after afterTrain. */
  extraMetrics?(): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Seed of the initial weights when it differs from the data-order seed (ensembles). */
  initSeed?: number;
}

export type RunResult = { ok: true; record: RunRecord } | { ok: false; diagnostics: Diagnostic[] };

/** The Input node's [H, W, C] of a graph, or undefined when it has none. */
export function inputShape(doc: GraphDocument): [number, number, number] | undefined {
  const a = analyze(doc);
  const id = a.validation.inputNode;
  const n = id ? a.validation.nodes.get(id) : undefined;
  if (!n) return undefined;
  return [Number(n.params.height), Number(n.params.width), Number(n.params.channels)];
}

/** Graphs compared side by side must read the same images. */
export function checkSameInputs(docs: { doc: GraphDocument; label: string }[]): Diagnostic[] {
  const shapes = docs.map((d) => ({ label: d.label, shape: inputShape(d.doc) }));
  const missing = shapes.filter((s) => !s.shape);
  if (missing.length) {
    return missing.map((s) =>
      diag('no-input-node', `"${s.label}" has no Input node, so it cannot be trained or compared.`, {
        fix: 'Add an Input node.',
      }),
    );
  }
  const first = shapes[0];
  const other = shapes.find((s) => s.shape!.join() !== first.shape!.join());
  if (!other) return [];
  return [
    diag(
      'dataset-mismatch',
      `Cannot compare "${first.label}" and "${other.label}": their Input nodes differ (${first.shape!.join(' x ')} against ${other.shape!.join(' x ')}), so they cannot be trained on the same images.`,
      { fix: 'Compare graphs that take the same input: set both Input nodes to the same height, width and channels.' },
    ),
  ];
}

/** A copy of the graph with one node's param changed (a variant to compare with). */
export function withParam(doc: GraphDocument, nodeId: string, param: string, value: ParamValue): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: value } } : n)),
  };
}

/** Train one graph and return its record. */
export async function runGraph(
  doc: GraphDocument,
  label: string,
  ctx: RunContext,
  hooks: RunHooks = {},
): Promise<RunResult> {
  const analysis = analyze(doc);
  if (!analysis.ok) return { ok: false, diagnostics: analysis.diagnostics.filter((d) => d.severity === 'error') };
  const s = ctx.settings;
  const built = lower(analysis.validation, analysis.shapes, { tf: ctx.tf, seed: hooks.initSeed ?? s.seed });
  if (!built.model) return { ok: false, diagnostics: built.diagnostics };
  const model = built.model;
  // A bank with nothing frozen reports its (empty) work too: only a real front end gets a bar.
  const bank: FeatureBank = ctx.makeBank
    ? ctx.makeBank(model, ctx.data)
    : new FeatureBank(model, ctx.data, {
        onProgress: (done, total) => bank.frozenNodes.length && ctx.onWork?.('front end', done, total),
      });
  const extra = hooks.onModel?.(model, bank) ?? {};
  const steps: RunStep[] = [];
  let frozenSeconds: number | undefined;
  try {
    const result = await train(
      model,
      ctx.data,
      s,
      ctx.platform,
      {
        onFrozen: (info) => {
          frozenSeconds = info.seconds;
          extra.onFrozen?.(info);
        },
        onStep: (m) => {
          const step: RunStep = {
            step: (m.epoch - 1) * m.stepsPerEpoch + m.step,
            epoch: m.epoch,
            loss: m.loss,
            trainAcc: m.trainAcc,
            samplesPerSec: m.samplesPerSec,
          };
          steps.push(step);
          ctx.onWork?.('training', step.step, m.stepsPerEpoch * s.epochs);
          extra.onStep?.(m);
          hooks.onStep?.(step);
        },
        weightsAt: extra.weightsAt,
        onEpoch: async (m) => {
          await extra.onEpoch?.(m);
          await hooks.onEpoch?.({
            epoch: m.epoch,
            loss: m.loss,
            trainAcc: m.trainAcc,
            testAcc: m.testAcc,
            seconds: m.seconds,
            samplesPerSec: m.samplesPerSec,
          });
        },
      },
      ctx.control ?? {},
      bank,
      ctx.runner?.(doc),
    );
    if (result.status === 'diverged' || result.status === 'failed')
      return { ok: false, diagnostics: result.diagnostics };
    await hooks.afterTrain?.(model, bank);
    const extraMetrics = await hooks.extraMetrics?.();
    const epochs = result.epochs.map((m) => ({
      epoch: m.epoch,
      loss: m.loss,
      trainAcc: m.trainAcc,
      testAcc: m.testAcc,
      seconds: m.seconds,
      samplesPerSec: m.samplesPerSec,
    }));
    const record: RunRecord = {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      label,
      graph: doc,
      settings: { ...s },
      data: dataSpecOf(ctx),
      backend: model.backend,
      metrics: {
        status: result.status,
        params: { ...analysis.shapes.total },
        epochs,
        steps,
        finalTestAcc: result.finalTestAcc,
        finalTrainAcc: epochs.at(-1)?.trainAcc ?? NaN,
        secondsPerEpoch: epochs.length ? epochs.reduce((a, e) => a + e.seconds, 0) / epochs.length : NaN,
        ...(frozenSeconds !== undefined ? { frozenSeconds } : {}),
        ...(extraMetrics ? { extra: extraMetrics } : {}),
      },
      created: new Date().toISOString(),
    };
    return { ok: true, record };
  } finally {
    bank.dispose();
    model.dispose();
  }
}

function dataSpecOf(ctx: RunContext): RunDataSpec {
  const d = ctx.data;
  return {
    spec: ctx.dataSpec.spec,
    ...(ctx.dataSpec.limit !== undefined ? { limit: ctx.dataSpec.limit } : {}),
    ...(ctx.dataSpec.testLimit !== undefined ? { testLimit: ctx.dataSpec.testLimit } : {}),
    train: d.train.count,
    test: d.test.count,
    shape: [...d.shape],
    classes: d.classes,
  };
}

export interface CompareHooks {
  onRunStart?(index: number, label: string): void;
  /** Extra hooks for one run (a filter recorder, say); its onStep/onEpoch run before the ones below. */
  runHooks?(index: number, doc: GraphDocument): RunHooks;
  onStep?(index: number, m: RunStep): void;
  onEpoch?(index: number, m: RunRecord['metrics']['epochs'][number]): void;
}

/** Train each graph in turn under identical settings; refuses graphs that read different inputs. */
export async function compareRuns(
  graphs: { doc: GraphDocument; label: string }[],
  ctx: RunContext,
  hooks: CompareHooks = {},
): Promise<{ ok: true; runs: RunRecord[] } | { ok: false; diagnostics: Diagnostic[] }> {
  const refused = checkSameInputs(graphs);
  if (refused.length) return { ok: false, diagnostics: refused };
  const runs: RunRecord[] = [];
  for (let i = 0; i < graphs.length; i++) {
    hooks.onRunStart?.(i, graphs[i].label);
    const own = hooks.runHooks?.(i, graphs[i].doc) ?? {};
    const r = await runGraph(graphs[i].doc, graphs[i].label, ctx, {
      ...own,
      onStep: (m) => {
        own.onStep?.(m);
        hooks.onStep?.(i, m);
      },
      onEpoch: (m) => {
        own.onEpoch?.(m);
        hooks.onEpoch?.(i, m);
      },
    });
    if (!r.ok)
      return {
        ok: false,
        diagnostics: r.diagnostics.map((d) => ({ ...d, message: `(${graphs[i].label}) ${d.message}` })),
      };
    runs.push(r.record);
    if (ctx.control?.stop) break;
  }
  return { ok: true, runs };
}

export interface CompareRow {
  label: string;
  trainable: number;
  fixed: number;
  testAcc: number;
  trainAcc: number;
  secondsPerEpoch: number;
  frozenSeconds?: number;
  backend: string;
}

/** The side-by-side table of a set of runs. */
export function compareTable(runs: RunRecord[]): CompareRow[] {
  return runs.map((r) => ({
    label: r.label,
    trainable: r.metrics.params.trainable,
    fixed: r.metrics.params.fixed,
    testAcc: r.metrics.finalTestAcc,
    trainAcc: r.metrics.finalTrainAcc,
    secondsPerEpoch: r.metrics.secondsPerEpoch,
    ...(r.metrics.frozenSeconds !== undefined ? { frozenSeconds: r.metrics.frozenSeconds } : {}),
    backend: r.backend,
  }));
}
