/**
 * The compiler, stage by stage: load (document.ts) -> validate -> infer shapes ->
 * lower -> train. `analyze` runs the pure stages, as the editor does on every edit.
 */
import { hasErrors, type Diagnostic } from '../document/diagnostics';
import type { GraphDocument } from '../document/graph';
import { validate, type ValidateOptions, type Validation } from './1-validate';
import { inferShapes, type ShapeInfo } from './2-infer-shapes';
import { DEFAULT_SETTINGS } from './4-train';

export interface Analysis {
  validation: Validation;
  shapes: ShapeInfo;
  diagnostics: Diagnostic[];
  ok: boolean;
}

export interface AnalyzeOptions extends ValidateOptions {
  /** The batch size training will use, for the memory estimate; else the graph's own setting, else the default. */
  batchSize?: number;
}

export function analyze(doc: GraphDocument, options: AnalyzeOptions = {}): Analysis {
  const validation = validate(doc, options);
  // A statistics model is not trained on batches: synthesis optimizes a few fields, so its
  // estimate is per field.
  const batch =
    options.batchSize ?? (validation.momentsNode ? 1 : (doc.training?.batchSize ?? DEFAULT_SETTINGS.batchSize));
  const shapes = inferShapes(validation, { batchSize: batch });
  const diagnostics = [...validation.diagnostics, ...shapes.diagnostics];
  return { validation, shapes, diagnostics, ok: !hasErrors(diagnostics) };
}

export * from '../document/diagnostics';
export * from '../document/graph';
export { validate } from './1-validate';
export type { Validation, ValidNode } from './1-validate';
export { inferShapes } from './2-infer-shapes';
export type { ShapeInfo } from './2-infer-shapes';
export { MEMORY_BUDGET_BYTES, formatBytes } from './memory';
export type { MemoryEstimate } from './memory';
export { lower, notTrainable } from './3-lower';
export type { CompiledModel, ModelVariable, ForwardOptions } from './3-lower';
export { train, evaluate, learningRateAt, LEARNING_RATE_SCHEDULES, DEFAULT_SETTINGS, TrainingFailure } from './4-train';
export type {
  TrainSettings,
  LearningRateSchedule,
  TrainPlatform,
  StepMetrics,
  EpochMetrics,
  TrainResult,
  TrainControl,
  StepRunner,
  StepRunnerFactory,
} from './4-train';
export { FeatureBank } from './feature-bank';
export type { Dataset, DataSplit } from './dataset';
