/**
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0), C order.
 *
 *   readNpy(bytes, name?): { dtype, shape, data }
 *     dtype 'uint8'   <- '|u1' (also '|b1')            data: Uint8Array
 *     dtype 'float32' <- '<f4', '<f8' (converted)       data: Float32Array
 *     dtype 'int32'   <- '<i4', '<i8', '|i1', '<i2', '<u2' (converted)  data: Int32Array
 *     Big-endian variants ('>f4', ...) are converted too. Fortran order, structured
 *     and other dtypes throw DataFormatError with the reason.
 *   writeNpy(data: Float32Array | Uint8Array, shape): Uint8Array
 *     Version 1.0 ('<f4' or '|u1'), header padded to 64 bytes as NumPy does.
 *
 * Platform-free.
 */
import { DataFormatError } from './errors';

export type NpyDtype = 'float32' | 'uint8' | 'int32';

export interface NpyArray {
  dtype: NpyDtype;
  /** The descr the file declared, e.g. '<f8'. */
  sourceDtype: string;
  shape: number[];
  data: Float32Array | Uint8Array | Int32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Kind {
  dtype: NpyDtype;
  size: number;
  get: (v: DataView, at: number, le: boolean) => number;
}

const KINDS: Record<string, Kind> = {
  u1: { dtype: 'uint8', size: 1, get: (v, at) => v.getUint8(at) },
  b1: { dtype: 'uint8', size: 1, get: (v, at) => v.getUint8(at) },
  f4: { dtype: 'float32', size: 4, get: (v, at, le) => v.getFloat32(at, le) },
  f8: { dtype: 'float32', size: 8, get: (v, at, le) => v.getFloat64(at, le) },
  i1: { dtype: 'int32', size: 1, get: (v, at) => v.getInt8(at) },
  i2: { dtype: 'int32', size: 2, get: (v, at, le) => v.getInt16(at, le) },
  u2: { dtype: 'int32', size: 2, get: (v, at, le) => v.getUint16(at, le) },
  i4: { dtype: 'int32', size: 4, get: (v, at, le) => v.getInt32(at, le) },
  i8: {
    dtype: 'int32',
    size: 8,
    get: (v, at, le) => Number(v.getBigInt64(at, le)),
  },
};

function parseHeader(text: string, name: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    throw new DataFormatError(
      name,
      `the .npy header is not understood (expected descr, fortran_order and shape): ${text.trim()}`,
    );
  }
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+L?$/.test(s) ? parseInt(s, 10) : NaN));
  if (dims.some((d) => !Number.isSafeInteger(d))) {
    throw new DataFormatError(name, `the .npy shape (${shape[1]}) is not a tuple of non-negative integers`);
  }
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: dims };
}

/**
 * The array in a .npy file's bytes. Its data is a copy, unless `view` is set and the
 * data is little-endian float32 at an offset divisible by 4: then it is a view of
 * `bytes` (a file read into shared memory stays there, uncopied).
 */
export function readNpy(bytes: Uint8Array, name = 'array.npy', opts: { view?: boolean } = {}): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new DataFormatError(name, 'not a NumPy .npy file (it does not start with \\x93NUMPY)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataFormatError(name, 'the .npy header is truncated');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataFormatError(
      name,
      `.npy format version ${major}.${bytes[7]} is not supported (only 1.0, 2.0 and 3.0)`,
    );
  }
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw new DataFormatError(name, 'the .npy header is truncated');
  // Versions 1 and 2 promise ASCII headers, which UTF-8 decodes identically.
  const decoder = new TextDecoder('utf-8');
  const { descr, fortran, shape } = parseHeader(decoder.decode(bytes.subarray(headerStart, dataStart)), name);

  const m = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const kind = m ? KINDS[m[2]] : undefined;
  if (!m || !kind) {
    throw new DataFormatError(
      name,
      `dtype '${descr}' is not supported; save the array as float32 ('<f4'), uint8 ('|u1'), float64 or an integer type`,
    );
  }
  if (fortran) {
    throw new DataFormatError(
      name,
      'the array is stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))',
    );
  }
  // '=' means native order; NumPy writes it only for single-byte types in practice.
  const le = m[1] !== '>';
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * kind.size;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new DataFormatError(
      name,
      `shape (${shape.join(', ')}) of ${descr} needs ${need} bytes of data but the file holds ${have} (truncated)`,
    );
  }
  const body = bytes.subarray(dataStart, dataStart + need);

  if (kind.dtype === 'uint8') return { dtype: 'uint8', sourceDtype: descr, shape, data: new Uint8Array(body) };
  if (m[2] === 'f4' && le && opts.view && body.byteOffset % 4 === 0) {
    return { dtype: 'float32', sourceDtype: descr, shape, data: new Float32Array(body.buffer, body.byteOffset, count) };
  }
  if (m[2] === 'f4' && le) {
    // A fresh copy (Buffer.slice would only be a view), aligned for Float32Array.
    return { dtype: 'float32', sourceDtype: descr, shape, data: new Float32Array(new Uint8Array(body).buffer) };
  }
  const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out = kind.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = kind.get(bodyView, i * kind.size, le);
    if (kind.dtype === 'int32' && (v > 0x7fffffff || v < -0x80000000)) {
      throw new DataFormatError(name, `value ${v} at index ${i} does not fit in 32 bits`);
    }
    out[i] = v;
  }
  return { dtype: kind.dtype, sourceDtype: descr, shape, data: out };
}

export function writeNpy(data: Float32Array | Uint8Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || count !== data.length) {
    throw new DataFormatError(
      'writeNpy',
      `shape [${shape.join(', ')}] holds ${count} values but the data has ${data.length}`,
    );
  }
  const header = npyHeader(data instanceof Float32Array ? '<f4' : '|u1', shape);
  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header, 0);
  // Float32Array bytes are in platform order, which is little-endian everywhere JS runs.
  out.set(payload, header.length);
  return out;
}

/**
 * The header of a .npy file (a multiple of 64 bytes); the values follow it. Lets a
 * writer fill a file's buffer in place instead of copying the values behind a header.
 */
export function npyHeader(descr: '<f4' | '|u1', shape: readonly number[]): Uint8Array {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary; the header ends in '\n'.
  let major = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    major = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  dict = dict.padEnd(total - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, total - prefix, true);
  else view.setUint32(8, total - prefix, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  return out;
}
