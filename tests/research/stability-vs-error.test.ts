/** Test error against relative stability: known answers, agreement with the probe, refusals, the command. */
import { describe, expect, it } from 'vitest';
import { analyze, lower } from '../../compiler';
import { runGraph } from '../../src/research/compare';
import { fitLine } from '../../src/research/loglog';
import { probeModel } from '../../src/research/probe';
import { measureStability, stabilityVsError } from '../../src/research/stability-vs-error';
import { chainDoc, node } from '../helpers';
import { cli, context, tinyConv, tinyMlp, writeGraph } from './helpers';

const options = { T: 0.003, c: 3, seed: 4, samples: 24, curveTs: [0.0005, 0.001, 0.002] };

describe('error against relative stability', () => {
  it('gives R_f = 1 for the identity (matched noise moves it exactly as far as the deformation)', async () => {
    const ctx = await context(4, 40);
    // The graph's logits are its input image: Flatten straight into the loss.
    const identity = chainDoc([
      node('input', 'Input', { height: 28, width: 28, channels: 1 }),
      node('flat', 'Flatten'),
      node('loss', 'SoftmaxCrossEntropy', { classes: 784 }),
    ]);
    const a = analyze(identity);
    expect(a.ok).toBe(true);
    const model = lower(a.validation, a.shapes, { tf: ctx.tf, seed: 1 }).model!;
    const m = await measureStability(model, ctx.data.test.images, ctx.data.test.count, ctx.data.shape, options);
    model.dispose();
    expect(m.R).toBeCloseTo(1, 5);
    expect(m.D).toBeGreaterThan(0);
    expect(m.curve.T).toEqual(options.curveTs);
    // D_f grows with the deformation amplitude.
    expect(m.curve.D[2]).toBeGreaterThan(m.curve.D[0]);
  });

  it("reproduces each trained network's R_f as the probe measures it", async () => {
    const ctx = await context(100, 40, { epochs: 1, batchSize: 25 });
    const graphs = [
      { doc: tinyConv(), label: 'conv' },
      { doc: tinyMlp(), label: 'mlp' },
    ];
    const r = await stabilityVsError(graphs, ctx, options);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.points.map((p) => p.label)).toEqual(['conv', 'mlp']);
    for (const [i, g] of graphs.entries()) {
      // The same training (seed, data order) then the existing probe on the trained network.
      let R = NaN;
      let testAcc = NaN;
      const run = await runGraph(g.doc, g.label, ctx, {
        afterTrain: async (model) => {
          const p = await probeModel(model, ctx.data.test.images, ctx.data.test.count, ctx.data.shape, options);
          R = p.output.R;
        },
      });
      if (run.ok) testAcc = run.record.metrics.finalTestAcc;
      expect(r.report.points[i].R).toBe(R);
      expect(r.report.points[i].testError).toBeCloseTo(1 - testAcc, 10);
    }
    const fit = r.report.fit!;
    expect(fit.n).toBe(2);
    const [a, b] = r.report.points;
    expect(fit.slope).toBeCloseTo(Math.log(b.testError / a.testError) / Math.log(b.R / a.R), 8);
  });

  it('refuses graphs with different inputs, in the instrument and the command', async () => {
    const ctx = await context(20, 10);
    const r = await stabilityVsError(
      [
        { doc: tinyMlp(), label: 'mnist-sized' },
        { doc: tinyConv(5, 32), label: 'cifar-sized' },
      ],
      ctx,
      options,
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.diagnostics[0].message).toMatch(
        /Cannot compare "mnist-sized" and "cifar-sized": their Input nodes differ \(28 x 28 x 1 against 32 x 32 x 1\)/,
      );
    const c = await cli(
      'stability-vs-error',
      writeGraph('a.json', tinyMlp()),
      writeGraph('b.json', tinyConv(5, 32)),
      '--data',
      'synthetic',
    );
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/dataset-mismatch.*Input nodes differ/);
    const one = await cli('stability-vs-error', writeGraph('a.json', tinyMlp()), '--data', 'synthetic');
    expect(one.code).toBe(1);
    expect(one.err).toMatch(/at least two graphs/);
  });

  it('fits power laws in log-log', () => {
    const x = [1, 2, 4, 8];
    const f = fitLine(
      x,
      x.map((v) => 3 * v ** -0.5),
    )!;
    expect(f.slope).toBeCloseTo(-0.5, 10);
    expect(f.intercept).toBeCloseTo(Math.log(3), 10);
    expect(f.r2).toBeCloseTo(1, 10);
    expect(fitLine([1, 0], [1, 2])).toBeNull();
  });

  it('runs from the command line with --json', async () => {
    const r = await cli(
      'stability-vs-error',
      writeGraph('s1.json', tinyMlp(8)),
      writeGraph('s2.json', tinyConv()),
      '--data',
      'synthetic',
      '--limit',
      '50',
      '--test-limit',
      '30',
      '--epochs',
      '1',
      '--batch',
      '25',
      '--samples',
      '16',
      '--curve-T',
      '0.001,0.003',
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(2);
    expect(j.points[1]).toMatchObject({ label: 'tiny conv', curve: { T: [0.001, 0.003] } });
    expect(j.points[0].R).toBeGreaterThan(0);
    expect(j.fit === null || typeof j.fit.slope === 'number').toBe(true);
  });
});
