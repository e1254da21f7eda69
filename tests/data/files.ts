/** Builders for small real data files in the formats the loaders read. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wavegraph-data-'));
}

/** An IDX file of unsigned bytes: magic 0x0000080N, big-endian dims, then the data. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Images whose pixel (n, y, x) is (n * 7 + y * 3 + x) mod 256, so every value is checkable. */
export function pixelAt(n: number, y: number, x: number): number {
  return (n * 7 + y * 3 + x) % 256;
}

export function idxImages(count: number, rows: number, cols: number): Uint8Array {
  const data = new Uint8Array(count * rows * cols);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) data[(n * rows + y) * cols + x] = pixelAt(n, y, x);
  return idxBytes([count, rows, cols], data);
}

export function idxLabels(labels: number[]): Uint8Array {
  return idxBytes([labels.length], Uint8Array.from(labels));
}

/** Writes the four MNIST-style files into `dir`, gzipped or raw. */
export function writeIdxSet(dir: string, opts: { gzip: boolean; train?: number; test?: number; side?: number }): void {
  const side = opts.side ?? 4;
  const train = opts.train ?? 12;
  const test = opts.test ?? 5;
  const put = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, opts.gzip ? `${name}.gz` : name), opts.gzip ? gzipSync(bytes) : bytes);
  put('train-images-idx3-ubyte', idxImages(train, side, side));
  put('train-labels-idx1-ubyte', idxLabels(Array.from({ length: train }, (_, i) => i % 10)));
  put('t10k-images-idx3-ubyte', idxImages(test, side, side));
  put('t10k-labels-idx1-ubyte', idxLabels(Array.from({ length: test }, (_, i) => (i * 3) % 10)));
}

/** CIFAR-10 records: label, then R, G, B planes; channel c of pixel p of record r is (r + 5c + p) mod 256. */
export function cifarBytes(labels: number[]): Uint8Array {
  const rec = 1 + 3 * 1024;
  const out = new Uint8Array(labels.length * rec);
  labels.forEach((l, r) => {
    out[r * rec] = l;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[r * rec + 1 + c * 1024 + p] = (r + 5 * c + p) % 256;
  });
  return out;
}

/** A .npy file the way NumPy writes it, with a raw data payload. */
export function npyBytes(
  descr: string,
  shape: number[],
  payload: Uint8Array,
  opts: { version?: number; fortran?: boolean } = {},
): Uint8Array {
  const version = opts.version ?? 1;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(total - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(total + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(payload, total);
  return out;
}

/** Exact equality of two typed arrays; much faster than a deep toEqual on large arrays. */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
