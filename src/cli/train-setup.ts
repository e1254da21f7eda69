/**
 * What `train` and the research commands share: pick the backend, resolve the
 * dataset, check it fits the graph's Input node, build the model.
 */
import { lower, type Analysis, type CompiledModel, type Dataset, type GraphDocument } from '../../compiler';
import { checkDatasetFits as fits } from '../../compiler/dataset';
import type { Tensor } from '../../nodes/types';
import { resolveDataset } from '../data/registry';
import { initBackend, tf } from '../platform/tf-node';
import { printDiagnostics } from './graph-file';
import type { CliIO } from './io';

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

export function buildModel(analysis: Analysis, seed: number, io: CliIO, weights?: Map<string, Tensor>): CompiledModel | undefined {
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
