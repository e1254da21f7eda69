/**
 * What `train` and the research commands share: pick the backend, resolve the
 * dataset, check it fits the graph's Input node, build the model.
 */
import { diag, lower, type Analysis, type CompiledModel, type Dataset, type Diagnostic, type GraphDocument } from '../../compiler';
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

/** The dataset must have the Input node's shape and the loss node's class count. */
export function checkDatasetFits(analysis: Analysis, data: Dataset): Diagnostic[] {
  const v = analysis.validation;
  const out: Diagnostic[] = [];
  const input = v.inputNode ? v.nodes.get(v.inputNode) : undefined;
  if (input) {
    const want = [input.params.height, input.params.width, input.params.channels].join(' x ');
    const have = data.shape.join(' x ');
    if (want !== have) {
      out.push(
        diag('dataset-mismatch', `expects ${want} images, but the dataset "${data.name}" has ${have}.`, {
          nodeId: input.node.id,
          nodeTitle: input.def.title,
          fix: `Set the Input node's height, width and channels to ${data.shape.join(', ')}.`,
        }),
      );
    }
  }
  const loss = v.lossNode ? v.nodes.get(v.lossNode) : undefined;
  if (loss && loss.params.classes !== data.classes) {
    out.push(
      diag('dataset-mismatch', `is set for ${loss.params.classes} classes, but the dataset "${data.name}" has ${data.classes}.`, {
        nodeId: loss.node.id,
        nodeTitle: loss.def.title,
        fix: `Set classes to ${data.classes} (and the last Dense layer's units to match).`,
      }),
    );
  }
  return out;
}

export function buildModel(analysis: Analysis, seed: number, io: CliIO, weights?: Map<string, Tensor>): CompiledModel | undefined {
  const { model, diagnostics } = lower(analysis.validation, analysis.shapes, { tf, seed, weights });
  if (!model) {
    printDiagnostics(io, diagnostics);
    return undefined;
  }
  return model;
}
