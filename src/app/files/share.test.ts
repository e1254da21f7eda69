import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadDocument } from '../../../document/graph';
import { decodeShare, encodeShare, SHARE_PREFIX } from './share';

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
});
