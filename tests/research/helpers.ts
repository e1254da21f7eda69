/** Shared by the instrument tests: tiny graphs, a run context on synthetic data, an in-process CLI. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, saveDocument, type GraphDocument } from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { main } from '../../src/cli/main';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import type { RunContext } from '../../src/research/compare';
import { chainDoc, mlpDoc, node } from '../helpers';

export const dir = mkdtempSync(join(tmpdir(), 'wg-instruments-'));

export function writeGraph(name: string, doc: GraphDocument): string {
  const p = join(dir, name);
  writeFileSync(p, saveDocument(doc));
  return p;
}

/** Conv (k x k, 4 filters) -> ReLU -> 4x4 max pool -> Dense 10: small and quick. */
export function tinyConv(kernel = 5, size = 28): GraphDocument {
  return chainDoc(
    [
      node('input', 'Input', { height: size, width: size, channels: 1 }),
      node('conv1', 'Conv2D', { channels: 4, kernel }),
      node('relu1', 'ReLU'),
      node('pool1', 'MaxPool', { size: 4 }),
      node('flat', 'Flatten'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
    ],
    'tiny conv',
  );
}

/** The shared MLP graph (tests/helpers.ts), named for these tests. */
export function tinyMlp(hidden = 16): GraphDocument {
  return { ...mlpDoc(hidden), name: 'tiny mlp' };
}

export async function context(
  train = 200,
  test = 100,
  settings: Partial<typeof DEFAULT_SETTINGS> = {},
): Promise<RunContext> {
  await initBackend();
  return {
    tf,
    platform: nodePlatform,
    data: makeSynthetic({ seed: 1, train, test }),
    dataSpec: { spec: 'synthetic', limit: train, testLimit: test },
    settings: { ...DEFAULT_SETTINGS, batchSize: 25, epochs: 1, logEvery: 2, seed: 7, ...settings },
  };
}

/** Run `wavegraph ...` in-process, capturing what it prints. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
