/**
 * Messages between the research panel and the worker. Every request carries an id;
 * the worker answers with progress, one result, then exactly one `research-done` for
 * that id. Requests run one at a time, in the order they arrive; `research-stop` ends
 * the one running. Problems travel as Diagnostic values.
 */
import type { LayerGaussianity } from '../research/gaussianity';
import type { SpectraSnapshot, SpectrumLayerInfo } from '../research/spectra-evolution';
import type { NamedArray } from '../platform/weights';
import type { Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { TrainSettings } from '../../compiler/4-train';
import type { FilterBankInfo, FilterSnapshot as EvolutionSnapshot } from '../research/filter-evolution';
import type { ProbeReport } from '../research/probe';
import type { ResampleReport } from '../research/resample';
import type { RunEpoch, RunRecord, RunStep } from '../research/run-record';
import type { SweepProgress, SweepReport } from '../research/width-sweep';
import type { JammingProgress, JammingReport } from '../research/jamming';
import type { DatasetSpec } from './dataset-spec';
import type { LazyPoint, LazyReport } from '../research/lazy-sweep';
import type { StabilityErrorPoint, StabilityErrorReport } from '../research/stability-vs-error';
import type { TangentKernelReport } from '../research/tangent-kernel';

/** Which model an instrument reads: a trained run kept by the worker, or a graph at its initialization. */
export type ModelSource =
  | { kind: 'run'; runId: string }
  | { kind: 'init'; doc: GraphDocument; seed: number }
  /** The current graph with weights loaded in the app (Export > Load weights…); `label` names the file. */
  | { kind: 'weights'; doc: GraphDocument; seed: number; arrays: NamedArray[]; label: string };

interface Base {
  id: number;
  dataset: DatasetSpec;
  /** 'auto' or one of webgpu, webgl, wasm, cpu. */
  backend: string;
}

export type ResearchRequest =
  | (Base & {
      type: 'research-ab';
      /** Trained one after the other under identical settings; runId names each kept run. */
      graphs: { doc: GraphDocument; label: string; runId: string }[];
      settings: TrainSettings;
      /** Filter snapshots every this many steps (rounded up to a multiple of the logging interval). */
      snapshotEvery: number;
    })
  | (Base & { type: 'research-probe'; source: ModelSource; T: number; c: number; samples: number; seed: number })
  | (Base & { type: 'research-spectra'; source: ModelSource })
  | (Base & { type: 'research-gaussianity'; source: ModelSource })
  | (Base & {
      type: 'research-resample';
      runId: string;
      draws: number;
      retrainHead: boolean;
      everyLayer?: boolean;
      widthFactor?: number;
    })
  | (Base & {
      type: 'research-sweep';
      doc: GraphDocument;
      node: string;
      param: string;
      values: number[];
      maxSteps: number;
      settings: TrainSettings;
    })
  | (Base & { type: 'research-lista'; source: ModelSource; samples: number })
  | (Base & {
      type: 'research-jamming';
      doc: GraphDocument;
      node: string;
      param: string;
      widths: number[];
      /** Training-set sizes P. */
      sizes: number[];
      ensemble: number;
      learningRate: number;
      maxSteps: number;
      settings: TrainSettings;
    })
  | (Base & {
      type: 'research-lazy';
      doc: GraphDocument;
      alphas: number[];
      settings: TrainSettings;
      /** Images of the tangent-kernel limit; absent: not computed. */
      tangentKernel?: { train: number; test: number };
    })
  | (Base & {
      type: 'research-stability-error';
      graphs: { doc: GraphDocument; label: string }[];
      settings: TrainSettings;
      T: number;
      c: number;
      samples: number;
    });

export type ResearchMessage =
  ResearchRequest | { type: 'research-stop' } | { type: 'research-forget'; runIds: string[] };

export interface SpectrumRow {
  node: string;
  type: string;
  neurons: number;
  inputs: number;
  /** Eigenvalues of the weight covariance, descending. */
  eigenvalues: Float64Array;
  /** Marchenko-Pastur quantiles for the same shape and mean eigenvalue, laid out like the eigenvalues. */
  whiteNoise: Float64Array;
  /** Support of the white-noise law. */
  lo: number;
  hi: number;
  effectiveRank: { entropy: number; participation: number };
}

export interface ListaRow {
  node: string;
  type: string;
  /** Per unrolled step k = 0..K: fraction of code entries that are non-zero, and ||x - D z_k||^2 / ||x||^2. */
  steps: { step: number; active: number; reconstructionError: number }[];
}

export type ResearchResult =
  | {
      kind: 'run';
      runId: string;
      record: RunRecord;
      evolution?: { banks: FilterBankInfo[]; snapshots: EvolutionSnapshot[] };
      /** Every learned layer's weight-covariance spectrum at each snapshot (research/spectra-evolution.ts). */
      spectra?: { layers: SpectrumLayerInfo[]; snapshots: SpectraSnapshot[] };
    }
  | { kind: 'probe'; report: ProbeReport; source: string }
  | { kind: 'spectra'; layers: SpectrumRow[]; source: string }
  | { kind: 'gaussianity'; layers: LayerGaussianity[]; source: string }
  | { kind: 'resample'; report: ResampleReport; runId: string }
  | { kind: 'sweep'; report: SweepReport }
  | { kind: 'lista'; rows: ListaRow[]; source: string }
  | { kind: 'jamming'; report: JammingReport }
  | { kind: 'lazy'; report: LazyReport; tangentKernel?: TangentKernelReport }
  | { kind: 'stability-error'; report: StabilityErrorReport };

/** A job's progress: `done` of `total` units (networks, draws, layers, images), fractions allowed. */
export interface ResearchWork {
  what: string;
  done: number;
  total: number;
}

export type ResearchReply =
  | {
      type: 'research-progress';
      id: number;
      message?: string;
      runId?: string;
      step?: RunStep;
      epoch?: RunEpoch;
      sweep?: SweepProgress;
      jamming?: JammingProgress;
      lazy?: LazyPoint;
      stabilityError?: StabilityErrorPoint;
      /** How far the job is, for the progress bar (see workMeter). */
      work?: ResearchWork;
    }
  | { type: 'research-result'; id: number; result: ResearchResult }
  | { type: 'research-done'; id: number; ok: boolean; diagnostics: Diagnostic[] };

export function isResearchMessage(m: { type: string }): m is ResearchMessage {
  return m.type.startsWith('research-');
}

/** A request before the panel numbers it. */
export type ResearchRequestBody = ResearchRequest extends infer R
  ? R extends ResearchRequest
    ? Omit<R, 'id'>
    : never
  : never;
