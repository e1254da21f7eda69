import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptCachePath } from '../../bin/bundle.js';
import { spawnBundledWorker } from '../../src/platform/worker-spawn';

// inside the repository (.cache is ignored), so that tsx and its esbuild resolve from it
mkdirSync('.cache', { recursive: true });
const dir = mkdtempSync(join(process.cwd(), '.cache', 'worker-bundle-'));
const entry = join(dir, 'echo-worker.ts');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scriptCachePath(entry), { force: true });
  rmSync(`${scriptCachePath(entry)}.json`, { force: true });
});

function sources(answer: number): void {
  writeFileSync(join(dir, 'answer.ts'), `export const answer: number = ${answer};\n`);
  writeFileSync(
    entry,
    `import { parentPort } from 'node:worker_threads';\nimport { answer } from './answer';\n` +
      `parentPort!.on('message', (x: number) => parentPort!.postMessage(x + answer));\n`,
  );
}

async function ask(w: Worker, x: number): Promise<number> {
  const reply = new Promise<number>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  w.postMessage(x);
  try {
    return await reply;
  } finally {
    await w.terminate();
  }
}

describe('workers started as one bundled script', () => {
  const from = pathToFileURL(join(dir, 'spawner.ts')).href;

  it('run the TypeScript sources, imports included', async () => {
    sources(40);
    expect(await ask(spawnBundledWorker(from, 'echo-worker'), 2)).toBe(42);
  });

  it('rebuild when an imported source changes, not only the entry', async () => {
    sources(40);
    expect(await ask(spawnBundledWorker(from, 'echo-worker'), 1)).toBe(41);
    writeFileSync(join(dir, 'answer.ts'), 'export const answer: number = 100;\n');
    // a different time as well as a different size
    utimesSync(join(dir, 'answer.ts'), new Date(), new Date(Date.now() + 5000));
    expect(await ask(spawnBundledWorker(from, 'echo-worker'), 1)).toBe(101);
  });
});
