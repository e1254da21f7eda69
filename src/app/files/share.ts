/**
 * Share links carry the whole graph in the URL hash: the saved JSON, deflated
 * (CompressionStream 'deflate-raw') and base64url-encoded. Nothing leaves the browser.
 */
import { loadDocument, saveDocument, type GraphDocument, type LoadResult } from '../../../document/graph';
import { diag } from '../../../document/diagnostics';

export const SHARE_PREFIX = '#graph=';

async function pump(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

export async function encodeShare(doc: GraphDocument): Promise<string> {
  const bytes = new TextEncoder().encode(saveDocument(doc));
  return SHARE_PREFIX + toBase64Url(await pump(bytes, new CompressionStream('deflate-raw')));
}

/** Decodes a hash made by encodeShare; a damaged link gives a diagnostic, never a throw. */
export async function decodeShare(hash: string): Promise<LoadResult> {
  const payload = hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : hash.replace(/^#/, '');
  let text: string;
  try {
    const bytes = await pump(fromBase64Url(payload), new DecompressionStream('deflate-raw'));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      diagnostics: [diag('bad-document', 'The share link is damaged: its graph could not be decoded.', { fix: 'Ask for the link again; it may have been cut short when it was copied.' })],
    };
  }
  return loadDocument(text);
}
