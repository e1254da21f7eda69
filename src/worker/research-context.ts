/**
 * What a research job may use of the session that runs it. Jobs (research-jobs.ts,
 * research-ab.ts) depend on this interface and the session (research-session.ts)
 * implements it, so the session can dispatch to the jobs without the two importing
 * each other.
 */
import type { Dataset } from '../../compiler/dataset';
import type { CompiledModel } from '../../compiler/3-lower';
import type { TrainControl } from '../../compiler/4-train';
import type { Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { Tensor } from '../../nodes/types';
import type { DatasetSpec } from './protocol';
import type { ModelSource, ResearchReply } from './research-protocol';
import type { SessionEnv } from './session';

export interface ResearchEnv extends Omit<SessionEnv, 'post'> {
  post(msg: ResearchReply): void;
}

export interface KeptRun {
  label: string;
  doc: GraphDocument;
  seed: number;
  weights: Map<string, Tensor>;
}

/** A short text naming a dataset request, recorded in run records. */
export function datasetName(spec: DatasetSpec): string {
  if (spec.kind === 'synthetic') return 'synthetic';
  if (spec.kind === 'server') return spec.name;
  return `upload:${spec.files.map((f) => f.name).join('+')}`;
}

export interface ResearchContext {
  readonly env: ResearchEnv;
  /** Stop flag of the request being run. */
  control: TrainControl;
  /** Trained runs whose weights stay in memory, by run id. */
  readonly runs: Map<string, KeptRun>;
  progress(id: number, fields: Omit<Extract<ResearchReply, { type: 'research-progress' }>, 'type' | 'id'>): void;
  /** The dataset of a request, loaded once and reused while requests name the same data. */
  dataset(id: number, spec: DatasetSpec): Promise<Dataset | Diagnostic>;
  /** Keep a trained model's weights under a run id. */
  keep(runId: string, label: string, doc: GraphDocument, seed: number, model: CompiledModel): void;
  /** Build the model a source names, checked against the data. The caller disposes it. */
  build(
    source: ModelSource,
    data: Dataset,
  ): { model?: CompiledModel; doc?: GraphDocument; label: string; diagnostics: Diagnostic[] };
}

/** At most this often a job's progress bar is redrawn (its first and last reports always are). */
const WORK_EVERY_MS = 200;

export type WorkReport = (what: string, done: number, total: number) => void;

/**
 * A job's progress bar: `report(what, done, total)`, fractions allowed (a network's
 * training steps move the bar between networks). Throttled, so a fast loop does not
 * flood the page; a new `what` or `total` and the last unit always get through.
 */
export function workMeter(s: ResearchContext, id: number): WorkReport {
  let last = -Infinity;
  let shown = '';
  return (what, done, total) => {
    const now = s.env.platform.now();
    const key = `${what}|${total}`;
    const d = Math.max(0, Math.min(total, done));
    if (key === shown && d < total && now - last < WORK_EVERY_MS) return;
    last = now;
    shown = key;
    s.progress(id, { work: { what, done: d, total } });
  };
}

/**
 * A RunContext's onWork for network `k` of `count` of a job: its frozen front end is
 * a bar of its own (in images), its training moves the job's bar from k to k + 1.
 */
export function networkWork(report: WorkReport, k: number, count: number, label: string) {
  return (phase: 'front end' | 'training', done: number, total: number) => {
    if (phase === 'front end') report(`${label}: computing the fixed front end (images)`, done, total);
    else report(`Training ${label} (${k + 1} of ${count})`, k + done / Math.max(1, total), count);
  };
}
