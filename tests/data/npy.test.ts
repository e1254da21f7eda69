import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/data/errors';
import { readNpy, writeNpy } from '../../src/data/npy';
import { npyBytes, tempDir } from './files';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes to a real file and reads it back, as a user's .npy would arrive. */
function viaDisk(bytes: Uint8Array): Uint8Array {
  const path = join(tempDir(), 'a.npy');
  writeFileSync(path, bytes);
  return new Uint8Array(readFileSync(path));
}

describe('readNpy', () => {
  it('reads <f4 in C order with its shape', () => {
    const data = Float32Array.from([0.5, -1, 2.25, 3, 4, 5]);
    const a = readNpy(viaDisk(npyBytes('<f4', [2, 3], bytesOf(data))));
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([0.5, -1, 2.25, 3, 4, 5]);
  });

  it('returns a view of aligned little-endian float32 data when asked, else a copy', () => {
    const data = Float32Array.from([0.5, -1, 2.25, 3]);
    const file = npyBytes('<f4', [4], bytesOf(data));
    const shared = new Uint8Array(new SharedArrayBuffer(file.length));
    shared.set(file);
    const a = readNpy(shared, 'a.npy', { view: true });
    expect(Array.from(a.data)).toEqual([0.5, -1, 2.25, 3]);
    expect(a.data.buffer).toBe(shared.buffer);
    expect(readNpy(shared, 'a.npy').data.buffer).not.toBe(shared.buffer);
    // one byte further on, the data is no longer 4-byte aligned: a copy, same values
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const b = readNpy(shifted.subarray(1), 'b.npy', { view: true });
    expect(b.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(b.data)).toEqual([0.5, -1, 2.25, 3]);
  });

  it('reads |u1', () => {
    const a = readNpy(viaDisk(npyBytes('|u1', [4], Uint8Array.from([0, 1, 254, 255]))));
    expect(a.dtype).toBe('uint8');
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual([0, 1, 254, 255]);
  });

  it('converts <f8 to float32 and <i4 / <i8 to int32', () => {
    const f8 = readNpy(npyBytes('<f8', [3], bytesOf(Float64Array.from([0.25, -3.5, 1e3]))));
    expect(f8.dtype).toBe('float32');
    expect(f8.sourceDtype).toBe('<f8');
    expect(Array.from(f8.data)).toEqual([0.25, -3.5, 1000]);
    const i4 = readNpy(npyBytes('<i4', [2, 2], bytesOf(Int32Array.from([7, -2, 0, 9]))));
    expect(i4.dtype).toBe('int32');
    expect(Array.from(i4.data)).toEqual([7, -2, 0, 9]);
    const i8 = readNpy(npyBytes('<i8', [3], bytesOf(BigInt64Array.from([1n, -5n, 9n]))));
    expect(Array.from(i8.data)).toEqual([1, -5, 9]);
  });

  it('reads big-endian floats', () => {
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setFloat32(0, 1.5, false);
    new DataView(payload.buffer).setFloat32(4, -2, false);
    expect(Array.from(readNpy(npyBytes('>f4', [2], payload)).data)).toEqual([1.5, -2]);
  });

  it('reads format versions 2.0 and 3.0 and scalar shapes', () => {
    const payload = bytesOf(Float32Array.from([1, 2]));
    expect(Array.from(readNpy(npyBytes('<f4', [2], payload, { version: 2 })).data)).toEqual([1, 2]);
    expect(Array.from(readNpy(npyBytes('<f4', [1, 2], payload, { version: 3 })).data)).toEqual([1, 2]);
    expect(readNpy(npyBytes('<f4', [], payload.subarray(0, 4))).shape).toEqual([]);
  });

  it('rejects Fortran order with the fix', () => {
    const bytes = npyBytes('<f4', [2, 2], new Uint8Array(16), { fortran: true });
    expect(() => readNpy(bytes, 'w.npy')).toThrow(DataFormatError);
    expect(() => readNpy(bytes, 'w.npy')).toThrow(/w\.npy: the array is stored in Fortran .*ascontiguousarray/);
  });

  it('rejects unsupported dtypes, bad magic and truncated data', () => {
    expect(() => readNpy(npyBytes('<c8', [1], new Uint8Array(8)), 'c.npy')).toThrow(
      "c.npy: dtype '<c8' is not supported",
    );
    expect(() => readNpy(npyBytes('<U3', [1], new Uint8Array(12)), 'u.npy')).toThrow(/dtype '<U3' is not supported/);
    expect(() => readNpy(new Uint8Array(64), 'z.npy')).toThrow(/z\.npy: not a NumPy \.npy file/);
    const full = npyBytes('<f4', [2, 3], new Uint8Array(24));
    expect(() => readNpy(full.subarray(0, full.length - 4), 't.npy')).toThrow(
      't.npy: shape (2, 3) of <f4 needs 24 bytes of data but the file holds 20 (truncated)',
    );
    expect(() => readNpy(full.subarray(0, 40), 't.npy')).toThrow(/header is truncated/);
  });
});

describe('writeNpy', () => {
  it('round-trips float32 and uint8 through a file', () => {
    const f = Float32Array.from({ length: 24 }, (_, i) => i / 7 - 1);
    const back = readNpy(viaDisk(writeNpy(f, [2, 3, 4])));
    expect(back.dtype).toBe('float32');
    expect(back.shape).toEqual([2, 3, 4]);
    expect(back.data).toEqual(f);
    const u = Uint8Array.from({ length: 10 }, (_, i) => i * 25);
    const backU = readNpy(viaDisk(writeNpy(u, [10])));
    expect(backU).toMatchObject({ dtype: 'uint8', sourceDtype: '|u1', shape: [10] });
    expect(backU.data).toEqual(u);
  });

  it('writes the header NumPy writes: version 1.0, data on a 64-byte boundary, ending in a newline', () => {
    const bytes = writeNpy(Float32Array.from([1, 2, 3]), [3]);
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect(bytes[6]).toBe(1);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
  });

  it('writes subarray views without their neighbours', () => {
    const big = Float32Array.from([9, 1, 2, 9]);
    expect(Array.from(readNpy(writeNpy(big.subarray(1, 3), [2])).data)).toEqual([1, 2]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => writeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values but the data has 5/);
  });
});
