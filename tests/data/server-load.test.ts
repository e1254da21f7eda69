/** Loading a dataset the app's server offers: the bytes are counted as they arrive, for the progress bar. */
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerDataset } from '../../src/data/browser';
import { tempDir, writeIdxSet } from './files';

let server: Server;
let base = '';
const dir = tempDir();

beforeAll(async () => {
  writeIdxSet(dir, { gzip: false, train: 300, test: 100, side: 28 });
  // Each file is sent in pieces of 16 KiB with its length, as a static server does.
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    const bytes = readFileSync(join(dir, name));
    res.writeHead(200, { 'content-length': bytes.length });
    let at = 0;
    const next = () => {
      if (at >= bytes.length) return res.end();
      res.write(bytes.subarray(at, at + 16384), () => setTimeout(next, 1));
      at += 16384;
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('a dataset from the server', () => {
  it('reports the bytes received, growing to the four files’ total, and loads the images', async () => {
    const files = readdirSync(dir);
    const total = files.reduce((s, f) => s + readFileSync(join(dir, f)).length, 0);
    const seen: [number, number][] = [];
    const r = await loadServerDataset('tiny', { base, files, onProgress: (d, t) => seen.push([d, t]) });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.train.count).toBe(300);
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.every(([, t]) => t === total)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThanOrEqual(seen[i - 1][0]);
    expect(seen.some(([d]) => d < total / 2)).toBe(true);
    expect(seen.at(-1)).toEqual([total, total]);
  });
});
