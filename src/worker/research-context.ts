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
