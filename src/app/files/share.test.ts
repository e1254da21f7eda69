import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadDocument } from '../../../document/graph';
import { deflateRawSync } from 'node:zlib';
import { decodeShare, encodeShare, MAX_SHARE_BYTES, SHARE_PREFIX, toBase64Url } from './share';
import { deflateBomb } from '../../../tests/fuzz/deflate-bomb';

describe('share links', () => {
  const doc = loadDocument(readFileSync(new URL('../../../templates/cnn.json', import.meta.url), 'utf8')).doc!;
  it('round-trips the whole graph through the URL hash', async () => {
    const hash = await encodeShare(doc);
    expect(hash.startsWith(SHARE_PREFIX)).toBe(true);
    expect(hash).toMatch(/^#graph=[A-Za-z0-9_-]+$/);
    const back = await decodeShare(hash);
    expect(back.doc).toEqual(doc);
  });
  it('reports a damaged link as a diagnostic instead of throwing', async () => {
    const hash = await encodeShare(doc);
    for (const bad of [hash.slice(0, hash.length / 2), '#graph=!!!', '#graph=AAAA']) {
      const r = await decodeShare(bad);
      expect(r.doc).toBeUndefined();
      expect(r.diagnostics[0].message).toMatch(/damaged|JSON|not/);
    }
  });
  it('stops unpacking a deflate bomb at the cap and says so', async () => {
    const link = (bytes: number) =>
      SHARE_PREFIX + toBase64Url(new Uint8Array(deflateRawSync(Buffer.alloc(bytes, 32), { level: 1 })));
    const bomb = SHARE_PREFIX + toBase64Url(deflateBomb(256 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(2_500_000);
    const before = process.memoryUsage().rss;
    const r = await decodeShare(bomb);
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toMatch(/unpacks to more than 8 MiB/);
    // Stopped at the cap: nowhere near the 256 MiB the link would unpack to.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // Right at the cap it is unpacked (and found not to be JSON); one byte more is refused.
    expect((await decodeShare(link(MAX_SHARE_BYTES))).diagnostics[0].code).toBe('malformed-json');
    expect((await decodeShare(link(MAX_SHARE_BYTES + 1))).diagnostics[0].message).toMatch(/more than 8 MiB/);
  });
});
