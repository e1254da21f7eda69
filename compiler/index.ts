/**
 * The compiler, stage by stage: load (document.ts) -> validate -> infer shapes ->
 * lower -> train. `analyze` runs the pure stages, as the editor does on every edit.
 */
import { hasErrors, type Diagnostic } from './diagnostics';
import type { GraphDocument } from './document';
import { validate, type ValidateOptions, type Validation } from './1-validate';
import { inferShapes, type ShapeInfo } from './2-infer-shapes';

export interface Analysis {
  validation: Validation;
  shapes: ShapeInfo;
  diagnostics: Diagnostic[];
  ok: boolean;
}

export function analyze(doc: GraphDocument, options: ValidateOptions = {}): Analysis {
  const validation = validate(doc, options);
  const shapes = inferShapes(validation);
  const diagnostics = [...validation.diagnostics, ...shapes.diagnostics];
  return { validation, shapes, diagnostics, ok: !hasErrors(diagnostics) };
}

export * from './diagnostics';
export * from './document';
export { validate } from './1-validate';
export type { Validation, ValidNode } from './1-validate';
export { inferShapes } from './2-infer-shapes';
export type { ShapeInfo } from './2-infer-shapes';
export { lower } from './3-lower';
export type { CompiledModel, ModelVariable, ForwardOptions } from './3-lower';
export { train, evaluate, learningRateAt, LEARNING_RATE_SCHEDULES, DEFAULT_SETTINGS, TrainingFailure } from './4-train';
export type { TrainSettings, LearningRateSchedule, TrainPlatform, StepMetrics, EpochMetrics, TrainResult, TrainControl, StepRunner, StepRunnerFactory } from './4-train';
export { FeatureBank } from './feature-bank';
export type { Dataset, DataSplit } from './dataset';
