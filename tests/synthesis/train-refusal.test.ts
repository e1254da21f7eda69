/**
 * Training a statistics model (a graph ending in Moments) stops at once with a message
 * that points to Synthesis, in the app's worker and in the CLI, before any dataset is
 * loaded (a 128 x 128 Input would otherwise fail as a dataset that does not fit).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../compiler';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import type { TF } from '../../nodes/types';
import type { FromWorker } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import { main } from '../../src/cli/main';

describe('training a statistics model', () => {
  it('the worker answers with the statistics-model diagnostic and loads no data', async () => {
    await initBackend('cpu');
    const doc = loadDocument(readFileSync('templates/synthesis-phase-harmonics.json', 'utf8')).doc!;
    const messages: FromWorker[] = [];
    const session = new Session({
      tf: tf as unknown as TF,
      platform: nodePlatform,
      post: (m) => messages.push(m),
      initBackend: async (b) => ((await initBackend(b)).ok ? tf.getBackend() : undefined),
    });
    await session.run({
      type: 'start',
      doc,
      dataset: { kind: 'synthetic', train: 64, test: 16 },
      settings: { optimizer: 'adam', learningRate: 1e-3, momentum: 0.9, batchSize: 8, epochs: 1, seed: 1, logEvery: 1 },
      backend: 'cpu',
      snapshotEvery: 4,
    });
    const diags = messages.flatMap((m) => (m.type === 'diagnostics' ? m.diagnostics : []));
    expect(diags.map((d) => d.code)).toEqual(['statistics-model']);
    expect(diags[0].fix).toMatch(/Synthesis/);
    expect(messages.some((m) => m.type === 'status' && m.phase === 'loading-data')).toBe(false);
    expect(messages.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
  });

  it('the CLI says so too', async () => {
    const err: string[] = [];
    const code = await main(['train', 'templates/synthesis-gaussian.json', '--epochs', '1'], {
      out: () => {},
      err: (t) => err.push(t),
      isTTY: false,
    });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/\[statistics-model\].*statistics model.*wavegraph synthesize/);
  });
});
