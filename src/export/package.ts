/**
 * The files of an exported PyTorch package, platform-free (the CLI writes them to a
 * folder, the app zips them): model.py, train.py, README.md, the weights in
 * Wavegraph's format, the fixed buffers that are not weights, and the graph itself.
 */
import type { Analysis, GraphDocument, TrainSettings } from '../../compiler';
import { DEFAULT_SETTINGS } from '../../compiler';
import { writePytorchModel } from '../../compiler/export/pytorch';
import { writeTrainPy } from '../../compiler/export/train-py';
import { encodeWeights, type NamedArray } from '../platform/weights';
import { packageReadme } from './readme';

/** Written into every export folder: `export` recognizes (and may overwrite) its own earlier output. */
export const EXPORT_MARKER = 'wavegraph-export.json';

export type PackageFiles = Map<string, string | Uint8Array>;

export function settingsOf(doc: GraphDocument): TrainSettings {
  const t = doc.training ?? {};
  return {
    ...DEFAULT_SETTINGS,
    ...(t.optimizer ? { optimizer: t.optimizer } : {}),
    ...(t.learningRate ? { learningRate: t.learningRate } : {}),
    ...(t.batchSize ? { batchSize: t.batchSize } : {}),
    ...(t.epochs ? { epochs: t.epochs } : {}),
    ...(t.seed !== undefined ? { seed: t.seed } : {}),
    ...(t.schedule ? { schedule: t.schedule } : {}),
  } as TrainSettings;
}

export function pytorchPackage(
  doc: GraphDocument,
  analysis: Analysis,
  weights: NamedArray[],
  graphText: string,
): PackageFiles {
  const name = doc.name ?? 'graph';
  const model = writePytorchModel(analysis, name, doc.description ?? '');
  const settings = settingsOf(doc);
  const input = analysis.validation.inputNode
    ? analysis.validation.nodes.get(analysis.validation.inputNode)
    : undefined;
  const dataset =
    doc.training?.dataset ?? (typeof input?.params.dataset === 'string' ? input.params.dataset : 'fashion-mnist');
  const files: PackageFiles = new Map();
  files.set('model.py', model.source);
  files.set('train.py', writeTrainPy({ settings, dataset }));
  files.set('README.md', packageReadme(name, dataset, settings));
  const w = encodeWeights(weights, name);
  files.set('weights/weights.json', JSON.stringify(w.manifest, null, 1) + '\n');
  files.set('weights/weights.bin', w.bin);
  const c = encodeWeights(
    model.constants.map((k) => ({ key: k.key, shape: k.shape, data: k.data })),
    name,
  );
  files.set('constants.json', JSON.stringify(c.manifest, null, 1) + '\n');
  files.set('constants.bin', c.bin);
  files.set('graph.json', graphText);
  files.set(
    EXPORT_MARKER,
    JSON.stringify({ format: 'wavegraph-export', to: 'pytorch', graph: name, files: [...files.keys()] }, null, 1) +
      '\n',
  );
  return files;
}
