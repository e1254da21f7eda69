/**
 * The app's Export menu, without React: a graph as a PyTorch package (.zip), an ONNX
 * model, its JSON, its weights; and weights brought back for the open graph, checked
 * name by name. The weights are the ones loaded for this graph, or its seeded
 * initialization (computed here with TensorFlow.js on the CPU backend, loaded lazily).
 */
import { analyze, lower, saveDocument, type Analysis, type GraphDocument } from '../../../compiler';
import { pytorchPackage, settingsOf } from '../../export/package';
import { exportRefusal } from '../../../compiler/export/pytorch';
import { onnxModel } from '../../export/onnx';
import { zipFiles } from '../../export/zip';
import { decodeWeights, encodeWeights, type NamedArray } from '../../platform/weights';
import { fileNameFor } from '../files/file-io';

export function baseName(doc: GraphDocument): string {
  return fileNameFor(doc).replace(/\.wavegraph\.json$/, '');
}

export function download(name: string, data: string | Uint8Array, type: string): void {
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function valid(doc: GraphDocument): Analysis {
  const a = analyze(doc);
  if (!a.ok) {
    const first = a.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`the graph has problems to fix first${first ? ` (${first.message})` : ''}`);
  }
  const refused = exportRefusal(a);
  if (refused) throw new Error(refused.message);
  return a;
}

/** Names and shapes of the graph's variables and their initial values. */
export async function initialWeights(doc: GraphDocument, a: Analysis): Promise<NamedArray[]> {
  const tf = await import('@tensorflow/tfjs');
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed: settingsOf(doc).seed });
  if (!model) throw new Error(diagnostics[0]?.message ?? 'the model could not be built');
  try {
    const out: NamedArray[] = [];
    for (const v of model.variables)
      out.push({ key: v.key, shape: v.variable.shape, data: Float32Array.from(await v.variable.data()) });
    return out;
  } finally {
    model.dispose();
  }
}

export async function exportPytorchZip(doc: GraphDocument, loaded?: NamedArray[]): Promise<void> {
  const a = valid(doc);
  const weights = loaded ?? (await initialWeights(doc, a));
  const name = baseName(doc);
  download(
    `${name}-pytorch.zip`,
    zipFiles(pytorchPackage(doc, a, weights, saveDocument(doc)), `${name}-pytorch`),
    'application/zip',
  );
}

export async function exportOnnx(doc: GraphDocument, loaded?: NamedArray[]): Promise<void> {
  const a = valid(doc);
  download(
    `${baseName(doc)}.onnx`,
    onnxModel(doc, a, loaded ?? (await initialWeights(doc, a))),
    'application/octet-stream',
  );
}

export async function exportWeights(doc: GraphDocument, loaded?: NamedArray[]): Promise<void> {
  const a = valid(doc);
  const w = encodeWeights(loaded ?? (await initialWeights(doc, a)), doc.name);
  download(
    `${baseName(doc)}-weights.zip`,
    zipFiles(
      new Map<string, string | Uint8Array>([
        ['weights.json', JSON.stringify(w.manifest, null, 1) + '\n'],
        ['weights.bin', w.bin],
      ]),
      'weights',
    ),
    'application/zip',
  );
}

/**
 * Weights picked by the person (weights.json and weights.bin) for the open graph, or
 * every name and shape that does not match it.
 */
export async function readWeightsFor(
  doc: GraphDocument,
  files: File[],
): Promise<{ arrays: NamedArray[] } | { problems: string[] }> {
  const json = files.find((f) => f.name.endsWith('.json'));
  const bin = files.find((f) => f.name.endsWith('.bin'));
  if (!json || !bin)
    return {
      problems: ['pick both weights.json and weights.bin (saved by wavegraph train --save or by an exported train.py)'],
    };
  let arrays: NamedArray[];
  try {
    arrays = decodeWeights(await json.text(), new Uint8Array(await bin.arrayBuffer()));
  } catch (e) {
    return { problems: [e instanceof Error ? e.message : String(e)] };
  }
  const a = valid(doc);
  const wanted = await initialWeights(doc, a);
  const given = new Map(arrays.map((x) => [x.key, x]));
  const problems: string[] = [];
  for (const w of wanted) {
    const g = given.get(w.key);
    if (!g) problems.push(`"${w.key}" is missing`);
    else if (g.shape.join() !== w.shape.join())
      problems.push(`"${w.key}" is [${g.shape.join(', ')}], the graph needs [${w.shape.join(', ')}]`);
  }
  const keys = new Set(wanted.map((w) => w.key));
  for (const k of given.keys()) if (!keys.has(k)) problems.push(`"${k}" is not in this graph`);
  return problems.length ? { problems } : { arrays: wanted.map((w) => given.get(w.key)!) };
}
