/** Width sweep: refusals for bad params, and a two-point run with errors and parameter counts. */
import { describe, expect, it } from 'vitest';
import { checkSweep, widthSweep } from '../../src/research/width-sweep';
import { cli, context, tinyMlp, writeGraph } from './helpers';

describe('width sweep', () => {
  it('refuses a node or param that does not exist, a non-integer param, out-of-range values', async () => {
    const doc = tinyMlp();
    expect(checkSweep(doc, 'fc9', 'units', [8])[0].message).toMatch(/no node "fc9"/);
    const unknown = checkSweep(doc, 'fc1', 'width', [8])[0];
    expect(unknown).toMatchObject({ code: 'bad-argument', nodeId: 'fc1', param: 'width' });
    expect(unknown.fix).toMatch(/units/);
    expect(checkSweep(doc, 'fc1', 'init', [8])[0].message).toMatch(/a choice, not a whole number/);
    expect(checkSweep(doc, 'fc1', 'units', [0, 8])[0].message).toMatch(/from 1 to 65536; 0 is not/);
    const r = await cli(
      'sweep',
      writeGraph('sweep.json', doc),
      '--node',
      'fc1',
      '--param',
      'width',
      '--values',
      '8,16',
      '--data',
      'synthetic',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Node "fc1".*parameter "width".*not a parameter/);
    expect(r.err).toMatch(/Fix: Sweep one of its integer parameters: units/);
    const bad = await cli(
      'sweep',
      writeGraph('sweep.json', doc),
      '--node',
      'fc1',
      '--param',
      'units',
      '--values',
      'eight',
      '--data',
      'synthetic',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Could not read the sweep values/);
  });

  it('runs two widths and reports train and test error against parameter counts', async () => {
    const ctx = await context(100, 50, { epochs: 100, batchSize: 50, learningRate: 0.003 });
    const r = await widthSweep(tinyMlp(), ctx, { node: 'fc1', param: 'units', values: [64, 2] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [narrow, wide] = r.report.rows;
    expect(narrow).toMatchObject({ value: 2, trainable: 784 * 2 + 2 + 2 * 10 + 10, fixed: 0, runs: 1 });
    expect(wide).toMatchObject({ value: 64, trainable: 784 * 64 + 64 + 64 * 10 + 10 });
    for (const row of r.report.rows) {
      expect(row.trainError).toBeGreaterThanOrEqual(0);
      expect(row.testError).toBeGreaterThanOrEqual(0);
      expect(row.testError).toBeLessThanOrEqual(1);
    }
    // 100 samples fit by 64 hidden units, not by 2
    expect(wide.trainError).toBe(0);
    expect(narrow.trainError).toBeGreaterThan(0.2);
    expect(r.report.threshold?.value).toBe(64);
    // stopped early once fitted, well before the 200-step budget
    expect(r.report.points.find((p) => p.value === 64)!.runs[0].steps).toBeLessThan(200);
    // a run that stopped before its budget did fit: its exact training error (final weights) is 0
    for (const p of r.report.points)
      for (const run of p.runs) if (run.steps !== undefined && run.steps < 200) expect(run.trainError).toBe(0);
  });

  it('the command averages an ensemble and prints JSON', async () => {
    const g = writeGraph('sweep-e.json', tinyMlp());
    const r = await cli(
      'sweep',
      g,
      '--node',
      'fc1',
      '--param',
      'units',
      '--values',
      '4,8',
      '--data',
      'synthetic',
      '--limit',
      '50',
      '--test-limit',
      '40',
      '--epochs',
      '2',
      '--batch',
      '25',
      '--ensemble',
      '2',
      '--json',
    );
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j.rows.map((x: { value: number }) => x.value)).toEqual([4, 8]);
    for (const row of j.rows) {
      expect(row.runs).toBe(2);
      expect(typeof row.ensembleTestError).toBe('number');
    }
    expect(j.points[0].runs).toHaveLength(2);
  });
});
