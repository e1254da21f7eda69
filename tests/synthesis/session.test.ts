import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../../compiler';
import { SynthesisSession, type SynthesisMessage } from '../../src/synthesis/session';
import type { TF } from '../../nodes/types';
import { tf, useBackend } from '../wavelets/helpers';

beforeAll(() => useBackend('cpu'));

const doc = () => loadDocument(readFileSync('templates/synthesis-gaussian.json', 'utf8')).doc!;

describe('synthesis session (what the worker runs)', () => {
  it('posts the target and the Gaussian sample, then the loss every step and the samples every few', async () => {
    const messages: SynthesisMessage[] = [];
    await new SynthesisSession(tf as unknown as TF, (m) => messages.push(m)).run({
      type: 'synthesize',
      doc: doc(),
      target: { kind: 'ising' },
      size: 32,
      samples: 2,
      steps: 6,
      seed: 1,
      frameEvery: 3,
    });
    expect(messages[0]).toMatchObject({ type: 'synthesis-target', n: 32 });
    const first = messages[0] as Extract<SynthesisMessage, { type: 'synthesis-target' }>;
    expect(first.gaussian.length).toBe(2 * 32 * 32);
    const steps = messages.filter(
      (m): m is Extract<SynthesisMessage, { type: 'synthesis-step' }> => m.type === 'synthesis-step',
    );
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps.filter((s) => s.samples).map((s) => s.step)).toEqual([3, 6]);
    const done = messages.at(-1) as Extract<SynthesisMessage, { type: 'synthesis-done' }>;
    expect(done.status).toBe('completed');
    expect(done.samples!.length).toBe(2 * 32 * 32);
    expect(done.reports!.gaussian.spectrumRatio.every((r) => Math.abs(r - 1) < 1e-3)).toBe(true);
  });

  it('stops when asked, and reports a graph that is not a statistics model', async () => {
    const messages: SynthesisMessage[] = [];
    const session = new SynthesisSession(tf as unknown as TF, (m) => {
      messages.push(m);
      if (m.type === 'synthesis-step' && m.step === 2) session.stop = true;
    });
    await session.run({
      type: 'synthesize',
      doc: doc(),
      target: { kind: 'ising' },
      size: 32,
      samples: 1,
      steps: 50,
      seed: 1,
    });
    expect(messages.filter((m) => m.type === 'synthesis-step')).toHaveLength(2);
    expect(messages.at(-1)).toMatchObject({ type: 'synthesis-done', status: 'stopped' });

    const bad: SynthesisMessage[] = [];
    const mlp = loadDocument(readFileSync('templates/mlp.json', 'utf8')).doc!;
    await new SynthesisSession(tf as unknown as TF, (m) => bad.push(m)).run({
      type: 'synthesize',
      doc: mlp,
      target: { kind: 'ising' },
      size: 32,
      samples: 1,
      steps: 2,
      seed: 1,
    });
    const d = bad.find((m) => m.type === 'synthesis-diagnostics') as Extract<
      SynthesisMessage,
      { type: 'synthesis-diagnostics' }
    >;
    expect(d.diagnostics[0].message).toMatch(/not a statistics model/);
    expect(bad.at(-1)).toMatchObject({ type: 'synthesis-done', status: 'failed' });
  });
});
