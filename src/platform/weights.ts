/**
 * Trained weights as bytes: a JSON manifest plus one little-endian float32 blob, the
 * same in Node (a folder with weights.json and weights.bin) and the browser.
 */
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

export function encodeWeights(arrays: NamedArray[], graph?: string): { manifest: WeightsManifest; bin: Uint8Array } {
  const total = arrays.reduce((s, a) => s + a.data.length, 0);
  const blob = new Float32Array(total);
  const manifest: WeightsManifest = { format: 'wavegraph-weights', version: 1, ...(graph ? { graph } : {}), tensors: {} };
  let offset = 0;
  for (const a of arrays) {
    blob.set(a.data, offset);
    manifest.tensors[a.key] = { shape: a.shape, offset, length: a.data.length };
    offset += a.data.length;
  }
  return { manifest, bin: new Uint8Array(blob.buffer) };
}

export class WeightsFormatError extends Error {}

export function decodeWeights(manifestText: string, bin: Uint8Array): NamedArray[] {
  let manifest: WeightsManifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    throw new WeightsFormatError('weights.json is not valid JSON');
  }
  if (manifest?.format !== 'wavegraph-weights' || typeof manifest.tensors !== 'object') {
    throw new WeightsFormatError('weights.json is not a Wavegraph weights manifest');
  }
  if (bin.byteLength % 4 !== 0) throw new WeightsFormatError('weights.bin length is not a multiple of 4 bytes');
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  return Object.entries(manifest.tensors).map(([key, t]) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.length || t.offset < 0 || t.offset + t.length > all.length) {
      throw new WeightsFormatError(`weights for "${key}" do not fit in weights.bin (shape [${t.shape}], offset ${t.offset})`);
    }
    return { key, shape: t.shape, data: all.subarray(t.offset, t.offset + t.length) };
  });
}
