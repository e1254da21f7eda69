/**
 * maybeGunzip(bytes, name?): Promise<Uint8Array>
 *   Returns the bytes unchanged unless they start with the gzip magic 1f 8b, in which
 *   case they are decompressed with the platform's DecompressionStream (Node >= 18 and
 *   every current browser), so the same code serves the CLI and the app. A damaged or
 *   truncated gzip stream throws a DataFormatError naming `name`.
 */
import { DataFormatError } from './errors';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function maybeGunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // The write side rejects too when the stream is corrupt; the read loop reports it.
  void writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DataFormatError(name, `the gzip data is damaged or truncated (${why}); download the file again`);
  }
  return concatBytes(chunks, total);
}

/** The pieces of a stream as one array (the piece itself when there is only one). */
export function concatBytes(parts: Uint8Array[], total = parts.reduce((s, p) => s + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
