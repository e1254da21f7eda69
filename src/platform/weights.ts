/**
 * Trained weights as bytes: a JSON manifest plus one little-endian float32 blob, the
 * same in Node (a folder with weights.json and weights.bin) and the browser.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { Tensor } from '../../nodes/types';

export interface WeightsManifest {
  format: 'wavegraph-weights';
  version: 1;
  /** Name of the graph the weights were trained for, informational. */
  graph?: string;
  tensors: Record<string, { shape: number[]; offset: number; length: number }>;
}

export interface NamedArray {
  key: string;
  shape: number[];
  data: Float32Array;
}

/** The model's variables as named arrays (read synchronously: a worker's copy, say). */
export function variableArrays(model: CompiledModel): NamedArray[] {
  return model.variables.map((v) => ({
    key: v.key,
    shape: v.variable.shape,
    data: v.variable.dataSync() as Float32Array,
  }));
}

/** Set the model's variables that `arrays` names, those `which` accepts (all by default). */
export function assignArrays(
  model: CompiledModel,
  arrays: NamedArray[],
  which: (v: CompiledModel['variables'][number]) => boolean = () => true,
): void {
  const { tf } = model;
  const byKey = new Map(arrays.map((a) => [a.key, a]));
  for (const v of model.variables) {
    const a = byKey.get(v.key);
    if (a && which(v)) tf.tidy(() => v.variable.assign(tf.tensor(a.data, a.shape)));
  }
}

export function encodeWeights(arrays: NamedArray[], graph?: string): { manifest: WeightsManifest; bin: Uint8Array } {
  const total = arrays.reduce((s, a) => s + a.data.length, 0);
  const blob = new Float32Array(total);
  const manifest: WeightsManifest = {
    format: 'wavegraph-weights',
    version: 1,
    ...(graph ? { graph } : {}),
    tensors: {},
  };
  let offset = 0;
  for (const a of arrays) {
    blob.set(a.data, offset);
    manifest.tensors[a.key] = { shape: a.shape, offset, length: a.data.length };
    offset += a.data.length;
  }
  return { manifest, bin: new Uint8Array(blob.buffer) };
}

export class WeightsFormatError extends Error {}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Throws WeightsFormatError, naming the tensor and what is wrong, on any file it cannot trust. */
export function decodeWeights(manifestText: string, bin: Uint8Array): NamedArray[] {
  let manifest: WeightsManifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    throw new WeightsFormatError('weights.json is not valid JSON');
  }
  const tensors: unknown = manifest?.tensors;
  if (
    manifest?.format !== 'wavegraph-weights' ||
    typeof tensors !== 'object' ||
    tensors === null ||
    Array.isArray(tensors)
  ) {
    throw new WeightsFormatError('weights.json is not a Wavegraph weights manifest');
  }
  if (bin.byteLength % 4 !== 0) throw new WeightsFormatError('weights.bin length is not a multiple of 4 bytes');
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  return Object.entries(tensors as Record<string, unknown>).map(([key, entry]) => {
    const name = key.length > 80 ? `${key.slice(0, 80)}…` : key;
    const t = entry as Partial<WeightsManifest['tensors'][string]> | null;
    if (
      typeof t !== 'object' ||
      t === null ||
      !Array.isArray(t.shape) ||
      !t.shape.every(isCount) ||
      !isCount(t.offset) ||
      !isCount(t.length)
    ) {
      throw new WeightsFormatError(
        `the entry for "${name}" in weights.json needs a shape (whole numbers), an offset and a length`,
      );
    }
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.length || t.offset + t.length > all.length) {
      throw new WeightsFormatError(
        `weights for "${name}" do not fit in weights.bin (shape [${t.shape.slice(0, 8)}], offset ${t.offset})`,
      );
    }
    return { key, shape: t.shape, data: all.subarray(t.offset, t.offset + t.length) };
  });
}

/** decodeWeights with its failure as a diagnostic, for the commands that read a weights folder. */
export function readWeights(
  manifestText: string,
  bin: Uint8Array,
  where: string,
): { arrays?: NamedArray[]; diagnostic?: Diagnostic } {
  try {
    return { arrays: decodeWeights(manifestText, bin) };
  } catch (e) {
    const msg =
      e instanceof WeightsFormatError
        ? e.message
        : `an unexpected error (${e instanceof Error ? e.message : String(e)})`;
    return {
      diagnostic: diag('weights-mismatch', `Cannot read the weights in "${where}": ${msg}.`, {
        fix: 'Save the weights again with "wavegraph train <graph.json> --save <dir>".',
      }),
    };
  }
}

/** Check that saved weights cover exactly the model's variables, with the same shapes. */
export function checkWeightsCover(model: CompiledModel, weights: Map<string, Tensor>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const v of model.variables) {
    if (!weights.has(v.key)) {
      out.push(
        diag(
          'weights-mismatch',
          `has no saved value for "${v.name}": the weights were trained for a different graph.`,
          { nodeId: v.nodeId, fix: 'Retrain this graph and save its weights.' },
        ),
      );
    }
  }
  return out;
}
