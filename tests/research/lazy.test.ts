/** Alpha-scaled (lazy) training, the alpha sweep, the tangent-kernel limit, and their refusals. */
import { describe, expect, it } from 'vitest';
import { analyze, loadDocument, lower, train } from '../../compiler';
import { alphaScaled, checkAlpha, frozenCopy } from '../../compiler/lazy';
import { lazySweep, parseAlphas, summarizeLazy } from '../../src/research/lazy-sweep';
import { kernelRegression, tangentKernel } from '../../src/research/tangent-kernel';
import { chainDoc, node } from '../helpers';
import { cli, context, tinyMlp, writeGraph } from './helpers';

/** Input -> Flatten -> Dense 10: its tangent kernel is known in closed form. */
const linear = (size: number) =>
  chainDoc([
    node('input', 'Input', { height: size, width: size, channels: 1 }),
    node('flat', 'Flatten'),
    node('fc', 'Dense', { units: 10 }),
    node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
  ]);

describe('alpha-scaled training', () => {
  it('the scaled output alpha (f_w - f_w0) is 0 at initialization and follows the weights after', async () => {
    const ctx = await context(20, 10);
    const a = analyze(tinyMlp());
    const model = lower(a.validation, a.shapes, { tf: ctx.tf, seed: 3 }).model!;
    const initial = frozenCopy(model);
    const scaled = alphaScaled(model, initial, 50);
    const x = ctx.tf.tensor4d(ctx.data.test.images.subarray(0, 4 * 784), [4, 28, 28, 1]);
    const at0 = ctx.tf.tidy(() => scaled.forward(x, { training: false }).logits);
    expect(Math.max(...(await at0.data()).map(Math.abs))).toBe(0);
    // Move one bias by 0.01: the scaled output moves by alpha x 0.01 in that class only.
    const bias = model.variables.find((v) => v.key === 'fc2/bias')!.variable;
    bias.assign(ctx.tf.add(bias, ctx.tf.oneHot([2], 10).reshape([10]).mul(0.01)));
    const after = ctx.tf.tidy(() => scaled.forward(x, { training: false }).logits);
    const v = await after.data();
    expect(v[2]).toBeCloseTo(0.5, 4);
    expect(v[3]).toBeCloseTo(0, 5);
    for (const t of [x, at0, after]) t.dispose();
    initial.dispose();
    model.dispose();
  });

  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`at large alpha the weights move by O(1/alpha) (${optimizer})`, async () => {
      const ctx = await context(100, 50, {
        optimizer,
        learningRate: optimizer === 'sgd' ? 0.05 : 1e-3,
        epochs: 3,
        batchSize: 25,
      });
      const r = await lazySweep(tinyMlp(), ctx, [100, 1000]);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const [a100, a1000] = r.report.points;
      expect(a100.alpha).toBe(100);
      expect(a100.weightChange).toBeGreaterThan(0);
      // Ten times the alpha, a tenth of the movement (to first order in 1/alpha).
      expect(a100.weightChange / a1000.weightChange).toBeGreaterThan(9);
      expect(a100.weightChange / a1000.weightChange).toBeLessThan(11);
      expect(r.report.lazySlope!.slope).toBeCloseTo(-1, 1);
      // Gradient descent reaches the same function in the lazy limit: the two alphas agree on
      // the test set (Adam's step is not linear in the gradient, so only its scaling is checked).
      if (optimizer === 'sgd') expect(Math.abs(a100.testError - a1000.testError)).toBeLessThanOrEqual(0.02);
    });
  }

  it('refuses an alpha of 0 or below, naming the setting, in settings, documents and commands', async () => {
    expect(checkAlpha(0)!.message).toMatch(/training setting "alpha".*is 0: an alpha of 0 multiplies the output by 0/);
    expect(checkAlpha(-1)!.message).toMatch(/"alpha".*negative alpha flips the sign/);
    expect(checkAlpha(Number.NaN)!.message).toMatch(/"alpha".*positive number/);
    expect(checkAlpha(3)).toBeUndefined();
    const ctx = await context(20, 10);
    const swept = await lazySweep(tinyMlp(), ctx, [1, 0]);
    expect(swept.ok).toBe(false);
    if (!swept.ok) expect(swept.diagnostics[0].message).toMatch(/"alpha".*is 0/);
    const a = analyze(tinyMlp());
    const model = lower(a.validation, a.shapes, { tf: ctx.tf, seed: 1 }).model!;
    const r = await train(model, ctx.data, { ...ctx.settings, alpha: -2 }, ctx.platform);
    model.dispose();
    expect(r.status).toBe('failed');
    expect(r.diagnostics[0].message).toMatch(/"alpha".*-2/);
    const loaded = loadDocument({ ...tinyMlp(), training: { alpha: 0 } });
    expect(loaded.doc).toBeUndefined();
    expect(loaded.diagnostics[0].message).toMatch(/training settings.*"alpha".*must be positive.*at training\.alpha/);
    const path = writeGraph('lazy.json', tinyMlp());
    const c = await cli('lazy', path, '--alphas', '0,1', '--data', 'synthetic');
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/"alpha".*is 0/);
    const t = await cli('train', path, '--alpha', '-1', '--data', 'synthetic');
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/--alpha: .*"alpha".*-1/);
    expect((await cli('lazy', path, '--alphas', 'big')).err).toMatch(/Could not read the alphas "big"/);
  });

  it('records an alpha whose run diverges and goes on with the others', async () => {
    // SGD's rate is lr / alpha^2: 1e9 at alpha = 0.001, 0.1 at alpha = 100.
    const ctx = await context(50, 20, { optimizer: 'sgd', learningRate: 1000, epochs: 1, batchSize: 25 });
    const r = await lazySweep(tinyMlp(8), ctx, [0.001, 100]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.points[0].diverged).toMatch(/loss/);
    expect(r.report.points[0].weightChange).toBeNaN();
    expect(r.report.points[1].diverged).toBeUndefined();
    expect(r.report.points[1].weightChange).toBeGreaterThan(0);
  });

  it('reads alpha lists and log-spaced ranges', () => {
    expect(parseAlphas('0.01..100:5')).toEqual({ ok: true, values: [0.01, 0.1, 1, 10, 100] });
    expect(parseAlphas('1e-2, 3')).toEqual({ ok: true, values: [0.01, 3] });
    expect(parseAlphas('0..10:3').ok).toBe(false);
  });

  it('finds the crossover where the lazy law meets the feature plateau', () => {
    const pt = (alpha: number, weightChange: number) => ({
      alpha,
      weightChange,
      testError: 0.1,
      trainError: 0,
      loss: 0,
      steps: 1,
      seconds: 0,
    });
    // A plateau at 2 for small alpha, then 0.2 / alpha: they meet at alpha = 0.1.
    const r = summarizeLazy([pt(0.001, 2), pt(0.01, 2), pt(0.03, 2), pt(10, 0.02), pt(100, 0.002), pt(1000, 0.0002)]);
    expect(r.lazySlope!.slope).toBeCloseTo(-1, 6);
    expect(r.featureSlope!.slope).toBeCloseTo(0, 6);
    expect(r.crossover!).toBeCloseTo(0.1, 6);
    // Weights moving as alpha^-0.5 below: the laws meet where 0.2 / alpha = 0.02 alpha^-0.5, alpha = 100.
    const s = summarizeLazy([0.01, 0.1, 1, 1e3, 1e4, 1e5].map((a) => pt(a, a < 100 ? 0.02 * a ** -0.5 : 0.2 / a)));
    expect(s.crossover!).toBeCloseTo(100, 4);
    expect(summarizeLazy([pt(10, 0.02), pt(100, 0.002)]).crossover).toBeNull();
  });
});

describe('tangent-kernel limit', () => {
  it("of a linear layer is the closed form: 10 (x . x' + 1) summed over the 10 outputs", async () => {
    const ctx = await context(4, 4);
    const a = analyze(linear(4));
    const model = lower(a.validation, a.shapes, { tf: ctx.tf, seed: 1 }).model!;
    const images = Float32Array.from({ length: 3 * 16 }, (_, i) => Math.sin(i));
    const K = await tangentKernel(model, images, 3, [4, 4, 1], 10);
    model.dispose();
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let dot = 0;
        for (let t = 0; t < 16; t++) dot += images[i * 16 + t] * images[j * 16 + t];
        expect(K[i * 3 + j]).toBeCloseTo(10 * (dot + 1), 3);
      }
  });

  it('kernel regression interpolates its training set and labels a copy of a training point alike', () => {
    // Four points in the plane, a linear kernel plus a constant; the fifth point repeats the third.
    const pts = [
      [1, 0],
      [0, 1],
      [-1, 0.2],
      [0.3, -1],
      [-1, 0.2],
    ];
    const n = pts.length;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) K[i * n + j] = (pts[i][0] * pts[j][0] + pts[i][1] * pts[j][1] + 1) ** 2;
    const r = kernelRegression(K, n, 4, [0, 1, 2, 1], 3);
    expect(r.ok).toBe(true);
    expect([...r.predictions]).toEqual([0, 1, 2, 1, 2]);
  });

  it('runs from the command line with --ntk and --json', async () => {
    const path = writeGraph('lazy-small.json', tinyMlp(8));
    const r = await cli(
      'lazy',
      path,
      '--data',
      'synthetic',
      '--limit',
      '60',
      '--test-limit',
      '30',
      '--alphas',
      '1,100',
      '--epochs',
      '2',
      '--batch',
      '20',
      '--ntk',
      '--ntk-train',
      '30',
      '--ntk-test',
      '20',
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points.map((p: { alpha: number }) => p.alpha)).toEqual([1, 100]);
    expect(j.points[0].weightChange).toBeGreaterThan(j.points[1].weightChange);
    expect(j.tangentKernel).toMatchObject({ train: 30, test: 20, params: 784 * 8 + 8 + 8 * 10 + 10, trainError: 0 });
    expect(j.tangentKernel.testError).toBeLessThan(0.9);
    expect((await cli('lazy', '--help')).out).toMatch(/alpha \(f_w - f_w0\)/);
  });
});
