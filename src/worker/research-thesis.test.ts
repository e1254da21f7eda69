/** The lazy sweep and the error-against-stability comparison as the research panel asks for them. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type GraphDocument } from '../../compiler/index';
import { withParam } from '../research/compare';
import { initBackend as initNodeBackend, nodePlatform, tf } from '../platform/tf-node';
import type { TF } from '../../nodes/types';
import type { ResearchReply, ResearchRequest, ResearchRequestBody } from './research-protocol';
import { ResearchSession } from './research-session';

function template(name: string): GraphDocument {
  const r = loadDocument(readFileSync(`templates/${name}.json`, 'utf8'));
  if (!r.doc) throw new Error(`template ${name} did not load`);
  return r.doc;
}

const settings = {
  optimizer: 'adam' as const,
  learningRate: 3e-3,
  momentum: 0.9,
  batchSize: 32,
  epochs: 1,
  seed: 3,
  logEvery: 1,
};
const common = { dataset: { kind: 'synthetic' as const, train: 96, test: 48 }, backend: 'cpu' };
let session: ResearchSession;
const messages: ResearchReply[] = [];

async function ask(req: ResearchRequestBody) {
  messages.length = 0;
  await session.run({ ...req, id: 1 } as ResearchRequest);
  const done = messages.find((m) => m.type === 'research-done') as Extract<ResearchReply, { type: 'research-done' }>;
  const results = messages.flatMap((m) => (m.type === 'research-result' ? [m.result] : []));
  const progress = messages.flatMap((m) => (m.type === 'research-progress' ? [m] : []));
  return { done, results, progress };
}

beforeAll(() => {
  session = new ResearchSession({
    tf: tf as unknown as TF,
    platform: nodePlatform,
    post: (m) => messages.push(m),
    initBackend: async (b) => ((await initNodeBackend(b)).ok ? tf.getBackend() : undefined),
  });
});

describe('feature against lazy, and error against stability, in the worker', () => {
  const mlp = withParam(template('mlp'), 'dense1', 'units', 8);

  it('sweeps alpha with the tangent-kernel limit, and refuses alpha = 0', async () => {
    const r = await ask({
      type: 'research-lazy',
      ...common,
      doc: mlp,
      alphas: [1, 100],
      settings,
      tangentKernel: { train: 20, test: 10 },
    });
    expect(r.done.diagnostics).toEqual([]);
    const res = r.results[0];
    if (res.kind !== 'lazy') throw new Error('expected a lazy sweep');
    expect(res.report.points.map((p) => p.alpha)).toEqual([1, 100]);
    expect(r.progress.filter((p) => p.lazy)).toHaveLength(2);
    expect(res.tangentKernel).toMatchObject({ train: 20, test: 10, trainError: 0 });
    const bad = await ask({ type: 'research-lazy', ...common, doc: mlp, alphas: [0], settings });
    expect(bad.done.ok).toBe(false);
    expect(bad.done.diagnostics[0].message).toMatch(/"alpha".*is 0/);
  }, 60_000);

  it('trains and probes several graphs, and refuses graphs with different inputs', async () => {
    const r = await ask({
      type: 'research-stability-error',
      ...common,
      graphs: [
        { doc: mlp, label: 'mlp 8' },
        { doc: withParam(mlp, 'dense1', 'units', 16), label: 'mlp 16' },
      ],
      settings,
      T: 0.003,
      c: 3,
      samples: 12,
    });
    expect(r.done.diagnostics).toEqual([]);
    const res = r.results[0];
    if (res.kind !== 'stability-error') throw new Error('expected a comparison');
    expect(res.report.points.map((p) => p.label)).toEqual(['mlp 8', 'mlp 16']);
    expect(res.report.points[0].R).toBeGreaterThan(0);
    const cifar = template('learned-scattering-cifar');
    const bad = await ask({
      type: 'research-stability-error',
      ...common,
      graphs: [
        { doc: mlp, label: 'mlp' },
        { doc: cifar, label: 'cifar' },
      ],
      settings,
      T: 0.003,
      c: 3,
      samples: 12,
    });
    expect(bad.done.ok).toBe(false);
    expect(bad.done.diagnostics[0].message).toMatch(/Input nodes differ \(28 x 28 x 1 against 32 x 32 x 3\)/);
  }, 60_000);
});
