/** The deformation stability probe on a model, and its command (weights, --init, refusals). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, lower } from '../../compiler';
import { probeModel } from '../../src/research/probe';
import { cli, context, dir, tinyConv, tinyMlp, writeGraph } from './helpers';

async function model() {
  const ctx = await context(10, 40);
  const a = analyze(tinyConv());
  const built = lower(a.validation, a.shapes, { tf: ctx.tf, seed: 1 });
  const types = new Map([...a.validation.nodes].map(([id, n]) => [id, n.def.type]));
  return { ctx, m: built.model!, types };
}

describe('stability probe', () => {
  it('at T = 0 nothing moves: D_f = 0 for the output and every layer', async () => {
    const { ctx, m, types } = await model();
    const r = await probeModel(
      m,
      ctx.data.test.images,
      ctx.data.test.count,
      ctx.data.shape,
      { T: 0, c: 3, samples: 16, seed: 2 },
      types,
    );
    m.dispose();
    expect(r.layers.map((l) => l.layer)).toEqual(['input', 'conv1', 'relu1', 'pool1', 'flat', 'fc']);
    expect(r.layers.find((l) => l.layer === 'conv1')).toMatchObject({ type: 'Conv2D', dim: 28 * 28 * 4 });
    for (const l of [...r.layers, r.output]) {
      expect(l.D).toBe(0);
      expect(l.pairDist2).toBeGreaterThan(0);
    }
    expect(r.displacement).toBe(0);
    expect(r.examples.deformed[0]).toEqual(r.examples.original[0]);
  });

  it('on the input itself (the identity map) matched noise moves as far as the deformation: R = 1', async () => {
    const { ctx, m, types } = await model();
    const r = await probeModel(
      m,
      ctx.data.test.images,
      ctx.data.test.count,
      ctx.data.shape,
      { T: 0.003, c: 3, samples: 16, seed: 2, examples: 2 },
      types,
    );
    m.dispose();
    const input = r.layers[0];
    expect(input.D).toBeGreaterThan(0);
    expect(input.R).toBeCloseTo(1, 5);
    expect(r.output.node).toBe('fc');
    expect(r.output.dim).toBe(10);
    expect(r.displacement).toBeGreaterThan(0.3);
    expect(r.examples.original).toHaveLength(2);
    expect(r.examples.deformed[0]).not.toEqual(r.examples.original[0]);
  });

  it('the command refuses a probe without weights, and says how to get them', async () => {
    const g = writeGraph('probe-cnn.json', tinyConv());
    const r = await cli('probe', 'stability', g, '--data', 'synthetic');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--weights <dir>/);
    expect(r.err).toMatch(/--init/);
    const missing = await cli('probe', 'stability', g, '--data', 'synthetic', '--weights', join(dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No trained weights in/);
    expect(missing.err).toMatch(/wavegraph train/);
  });

  it('works with --init, and with weights saved by train; refuses weights of another graph', async () => {
    const g = writeGraph('probe-cnn2.json', tinyConv());
    const init = await cli('probe', 'stability', g, '--init', '--data', 'synthetic', '--samples', '12', '--json');
    expect(init.err).toBe('');
    const j = JSON.parse(init.out);
    expect(j.weights).toBe('init');
    expect(j.samples).toBe(12);
    expect(j.layers).toHaveLength(6);
    expect(j.output.R).toBeGreaterThan(0);
    const w = join(dir, 'w-cnn');
    expect(
      (
        await cli(
          'train',
          g,
          '--data',
          'synthetic',
          '--limit',
          '100',
          '--test-limit',
          '20',
          '--batch',
          '25',
          '--json',
          '--save',
          w,
        )
      ).code,
    ).toBe(0);
    const trained = await cli('probe', 'stability', g, '--weights', w, '--data', 'synthetic', '--samples', '12');
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/output \(fc\)/);
    expect(trained.out).toMatch(/R_f/);
    const other = await cli(
      'probe',
      'stability',
      writeGraph('probe-mlp.json', tinyMlp()),
      '--weights',
      w,
      '--data',
      'synthetic',
    );
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/weights-mismatch/);
    expect(other.err).not.toMatch(/\n\s+at /);
  });
});
