/**
 * Jamming: the quadratic hinge's loss and gradient against hand-computed values, the
 * binary split of a dataset (and the message when there is none), and a sweep whose
 * unsatisfied constraints vanish above a width and not far below it.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler';
import { checkDatasetFits, datasetForGraph, type Dataset } from '../../compiler/dataset';
import { QuadraticHinge } from '../../nodes/standard/hinge';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { jammingThreshold, linearFit } from '../../src/research/jamming-fit';
import { jammingSweep, phaseDiagram } from '../../src/research/jamming';
import { jammingCharts, readJammingReport } from '../../src/app/research/jamming-charts';
import { widthSweep } from '../../src/research/width-sweep';
import { DEFAULT_SETTINGS } from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { chainDoc, node } from '../helpers';
import { cli, tinyMlp, writeGraph } from './helpers';

const hinge = QuadraticHinge.objective!;
const params = { split: '' };

describe('quadratic hinge loss', () => {
  it('gives ½ max(0, 1 − y f)² averaged over the batch, and its gradient', async () => {
    await initBackend('cpu');
    // y = +1, +1, +1, −1 and f = 2, 0.5, −0.3, −2: margins 2, 0.5, −0.3, 2, shortfalls 0, 0.5, 1.3, 0.
    const f = tf.tensor2d([[2], [0.5], [-0.3], [-2]]);
    const labels = tf.tensor1d([1, 1, 1, 0], 'int32');
    const loss = hinge.loss(tf, f, labels, params);
    expect(loss.dataSync()[0]).toBeCloseTo((0.5 * 0.25 + 0.5 * 1.69) / 4, 6);
    // dL/df = −y·shortfall / B
    const g = tf.grad((s) => hinge.loss(tf, s, labels, params))(f);
    const grad = Array.from(g.dataSync());
    [0, -0.125, -0.325, 0].forEach((want, i) => expect(grad[i]).toBeCloseTo(want, 6));
    expect(Array.from(hinge.predict(tf, f, params).dataSync())).toEqual([1, 1, 0, 0]);
    tf.dispose([f, labels, loss, g]);
  });
});

/** Input [1, width, 1] (or the 28 x 28 synthetic images) -> Dense(hidden) -> ReLU -> Dense(1) -> hinge. */
function hingeDoc(split: string, hidden = 4, width = 784) {
  const shape = width === 784 ? { height: 28, width: 28 } : { height: 1, width };
  return chainDoc([
    node('input', 'Input', { ...shape, channels: 1 }),
    node('flat', 'Flatten'),
    node('fc1', 'Dense', { units: hidden, init: 'he' }),
    node('relu', 'ReLU'),
    node('out', 'Dense', { units: 1 }),
    node('loss', 'QuadraticHinge', { split }),
  ]);
}

function synthetic(): Dataset {
  return makeSynthetic({ seed: 1, train: 40, test: 20 });
}

describe('binary split', () => {
  it('regroups the classes by parity or by a list, and names the loss when there is no split', () => {
    const data = synthetic();
    const parity = analyze(hingeDoc('parity')).validation;
    expect(checkDatasetFits(parity, data)).toEqual([]);
    const p = datasetForGraph(parity, data);
    expect(p.classes).toBe(2);
    expect(Array.from(p.train.labels)).toEqual(Array.from(data.train.labels).map((y) => y % 2));
    const list = datasetForGraph(analyze(hingeDoc('0, 2,3')).validation, data);
    expect(Array.from(list.test.labels)).toEqual(
      Array.from(data.test.labels).map((y) => ([0, 2, 3].includes(y) ? 1 : 0)),
    );
    expect(list.classNames[1]).toMatch(/^\+1: /);

    const none = checkDatasetFits(analyze(hingeDoc('')).validation, data);
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ code: 'dataset-mismatch', nodeId: 'loss', nodeTitle: 'Quadratic hinge (binary)' });
    expect(none[0].message).toMatch(/no binary split.*10 classes, not two/);
    expect(none[0].fix).toMatch(/parity/);
    expect(checkDatasetFits(analyze(hingeDoc('3,12')).validation, data)[0].message).toMatch(/class 12.*0 to 9/);
    const unreadable = analyze(hingeDoc('odd'));
    expect(unreadable.ok).toBe(false);
    expect(unreadable.diagnostics.find((d) => d.nodeId === 'loss')?.message).toMatch(/cannot read the split "odd"/);
  });
});

/**
 * P Gaussian points in d dimensions, labelled by a fixed linear teacher (linearly
 * separable) or at random (only memorized: a network fits them only with enough parameters).
 */
function gaussianTask(P: number, test: number, d: number, seed: number, by: 'teacher' | 'random'): Dataset {
  let s = seed;
  const normal = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = (s + 1) / 4294967297;
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const v = (s + 1) / 4294967297;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const w = Array.from({ length: d }, normal);
  const split = (n: number) => {
    const images = Float32Array.from({ length: n * d }, normal);
    const labels = Uint8Array.from({ length: n }, (_, i) => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += w[k] * images[i * d + k];
      return (by === 'teacher' ? dot : normal()) > 0 ? 1 : 0;
    });
    return { images, labels, count: n };
  };
  return { name: 'teacher', shape: [1, d, 1], classes: 2, classNames: ['−', '+'], train: split(P), test: split(test) };
}

describe('jamming sweep', () => {
  const d = 8;
  const sweep = async (data: Dataset) => {
    await initBackend('cpu');
    const ctx = { tf, platform: nodePlatform, data, dataSpec: { spec: 'gaussian' }, settings: { ...DEFAULT_SETTINGS } };
    const r = await jammingSweep(hingeDoc('', 4, d), ctx, {
      node: 'fc1',
      param: 'units',
      widths: [1, 48],
      sizes: [60, 120],
      minimize: { learningRate: 0.01, maxSteps: 3000, patience: 50 },
    });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    return { report: r.report, at: (P: number, w: number) => r.report.points.find((p) => p.P === P && p.width === w)! };
  };

  it('fits every constraint of a linearly separable task once the network is wide enough', async () => {
    const { at } = await sweep(gaussianTask(120, 50, d, 3, 'teacher'));
    for (const P of [60, 120]) {
      expect(at(P, 48).nets[0]).toMatchObject({ unsatisfied: 0, status: 'fitted' });
      expect(at(P, 48).N).toBe(d * 48 + 48 + 48 + 1);
      // A teacher the network can express: the test error is far below chance.
      expect(at(P, 48).testError).toBeLessThan(0.3);
    }
  }, 120_000);

  it('leaves constraints unsatisfied well below the width where they vanish (random labels)', async () => {
    const { report, at } = await sweep(gaussianTask(120, 50, d, 5, 'random'));
    for (const P of [60, 120]) {
      expect(at(P, 48).nets[0]).toMatchObject({ unsatisfied: 0, status: 'fitted' });
      // One hidden unit (11 parameters) cannot memorize 60 random labels.
      expect(at(P, 1).nets[0].unsatisfied).toBeGreaterThan(5);
      expect(at(P, 1).nets[0].loss).toBeGreaterThan(0.01);
      expect(report.thresholds.find((t) => t.P === P)).toEqual({ P, nStar: at(P, 48).N, nBelow: at(P, 1).N });
    }
    // More examples, more unsatisfied constraints at the same width.
    expect(at(120, 1).nets[0].unsatisfied).toBeGreaterThan(at(60, 1).nets[0].unsatisfied);
  }, 120_000);
});

describe('width sweep of a hinge-loss graph', () => {
  it("predicts by the loss's own rule (the sign of the one score), also for the ensemble", async () => {
    await initBackend('cpu');
    const data = gaussianTask(120, 200, 8, 3, 'teacher');
    const ctx = {
      tf,
      platform: nodePlatform,
      data,
      dataSpec: { spec: 'gaussian' },
      settings: { ...DEFAULT_SETTINGS, batchSize: 40, epochs: 60, learningRate: 0.01 },
    };
    const r = await widthSweep(hingeDoc('', 4, 8), ctx, { node: 'fc1', param: 'units', values: [16], ensemble: 2 });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const [row] = r.report.rows;
    // A linear teacher in 8 dimensions, learned from 120 examples: far better than chance.
    expect(row.testError).toBeLessThan(0.25);
    expect(row.ensembleTestError).toBeLessThan(0.25);
  }, 120_000);
});

describe('jamming read-outs', () => {
  it('finds N* where every larger network fits, and fits a line to the phase diagram', () => {
    expect(
      jammingThreshold([
        { N: 10, unsatisfied: [5] },
        { N: 40, unsatisfied: [0, 0, 3] },
        { N: 20, unsatisfied: [0, 1, 2] },
        { N: 80, unsatisfied: [0] },
      ]),
    ).toEqual({ nStar: 40, nBelow: 20 });
    // A majority of networks must fit: one fitted network in three does not make N*.
    expect(jammingThreshold([{ N: 10, unsatisfied: [0, 4, 2] }])).toEqual({ nStar: null, nBelow: 10 });
    expect(jammingThreshold([{ N: 10, unsatisfied: [1] }])).toEqual({ nStar: null, nBelow: 10 });
    const fit = linearFit([100, 200, 400], [30, 50, 90])!;
    expect(fit.slope).toBeCloseTo(0.2, 10);
    expect(fit.intercept).toBeCloseTo(10, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(linearFit([1], [2])).toBeNull();
  });
});

describe('wavegraph jamming', () => {
  it('prints its help, refuses a hinge loss without a split on 10 classes and a graph without one score', async () => {
    expect((await cli('jamming', '--help')).out).toMatch(/--sizes.*\n.*--values/);
    const noSplit = await cli(
      'jamming',
      writeGraph('no-split.json', hingeDoc('', 4, 784)),
      '--sizes',
      '20',
      '--values',
      '2,4',
      '--data',
      'synthetic',
    );
    expect(noSplit.code).toBe(1);
    expect(noSplit.err).toMatch(/Node "loss" \(Quadratic hinge \(binary\)\): has no binary split.*10 classes/);
    expect(noSplit.err).toMatch(/Fix: Set split to "parity"/);
    const softmax = await cli('jamming', writeGraph('mlp.json', tinyMlp()), '--sizes', '20', '--values', '2,4');
    expect(softmax.code).toBe(1);
    expect(softmax.err).toMatch(/Node "loss".*not a one-score loss/);
    const tooMany = await cli(
      'jamming',
      '--sizes',
      '20,99999',
      '--values',
      '2',
      '--data',
      'synthetic',
      '--limit',
      '50',
    );
    expect(tooMany.code).toBe(1);
  });

  it('prints one JSON report with every network, the thresholds and the fit', async () => {
    const r = await cli(
      'jamming',
      writeGraph('hinge.json', hingeDoc('parity', 4, 784)),
      '--sizes',
      '20,40',
      '--values',
      '1,16',
      '--max-steps',
      '300',
      '--data',
      'synthetic',
      '--test-limit',
      '50',
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.points).toHaveLength(4);
    expect(report.points[0]).toMatchObject({ P: 20, width: 1, N: 784 + 1 + 1 + 1 });
    expect(report.thresholds.map((t: { P: number }) => t.P)).toEqual([20, 40]);
    expect(report.classNames).toHaveLength(2);
  }, 120_000);
});

describe('jamming charts', () => {
  const net = (unsatisfied: number, testError: number) => ({
    unsatisfied,
    loss: 0,
    steps: 1,
    status: 'fitted' as const,
    testError,
  });
  const point = (P: number, width: number, N: number, u: number[], e: number) => ({
    P,
    width,
    N,
    nets: u.map((x) => net(x, e)),
    testError: e,
    ensembleTestError: e / 2,
    spread: 1 / N,
  });
  it('draws N* with its fitted line, one error curve per P against N/P, and the ensemble', () => {
    const points = [
      point(100, 2, 50, [3, 2], 0.2),
      point(100, 8, 200, [0, 0], 0.3),
      point(200, 2, 50, [9, 9], 0.25),
      point(200, 8, 200, [4, 1], 0.2),
      point(200, 32, 800, [0, 0], 0.1),
    ];
    const c = jammingCharts({
      node: 'fc1',
      param: 'units',
      ensemble: 2,
      test: 10,
      classNames: [],
      points,
      ...phaseDiagram(points),
    });
    expect(Array.from(c.phase[0].x)).toEqual([100, 200]);
    expect(Array.from(c.phase[0].y)).toEqual([200, 800]);
    expect(c.phase[2].label).toMatch(/fit N\* = 6\.00·P − 400/);
    expect(c.error.map((s) => s.label)).toEqual(['P = 100', 'P = 200']);
    expect(Array.from(c.error[1].x)).toEqual([0.25, 1, 4]);
    expect(c.ensemble).toHaveLength(4);
    expect(Array.from(c.ensemble[3].y)).toEqual([0.125, 0.1, 0.05]);
    expect(readJammingReport('{"points": 3}')).toMatch(/not a jamming report/);
    expect(readJammingReport('nope')).toMatch(/not JSON/);
  });
});
