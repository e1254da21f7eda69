/**
 * Share links carry the whole graph in the URL hash: the saved JSON, deflated
 * (CompressionStream 'deflate-raw') and base64url-encoded. Nothing leaves the browser.
 * A link is untrusted input opened at start-up: deflate packs a gigabyte of zeros into
 * a megabyte, so unpacking streams and stops at a cap instead of trusting the link.
 */
import { loadDocument, saveDocument, type GraphDocument, type LoadResult } from '../../../document/graph';
import { diag } from '../../../document/diagnostics';

export const SHARE_PREFIX = '#graph=';

/** 8 MiB of graph JSON: several times the largest graph the document limits allow. */
export const MAX_SHARE_BYTES = 8 * 1024 * 1024;

async function pump(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Inflates at most `cap` bytes; undefined when there would be more. Throws on damaged data. */
async function inflateCapped(bytes: Uint8Array, cap: number): Promise<Uint8Array | undefined> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.byteLength) - c.byteLength);
  return out;
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
    const bytes = await inflateCapped(fromBase64Url(payload), MAX_SHARE_BYTES);
    if (!bytes) {
      return {
        diagnostics: [
          diag(
            'bad-document',
            `The share link unpacks to more than ${MAX_SHARE_BYTES / 1024 / 1024} MiB, far more than any graph Wavegraph opens; it was not opened.`,
            {
              fix: "Ask whoever sent it for the graph file instead, or for a link made by Wavegraph's Share button.",
            },
          ),
        ],
      };
    }
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      diagnostics: [
        diag('bad-document', 'The share link is damaged: its graph could not be decoded.', {
          fix: 'Ask for the link again; it may have been cut short when it was copied.',
        }),
      ],
    };
  }
  return loadDocument(text);
}
