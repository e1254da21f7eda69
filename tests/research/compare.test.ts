/** A/B runs: same seed, same data order, same settings; the parameter table; refusing different inputs. */
import { describe, expect, it } from 'vitest';
import { checkSameInputs, compareRuns, compareTable, withParam } from '../../src/research/compare';
import { loadRunRecords } from '../../src/research/run-record';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, context, dir, tinyConv, tinyMlp, writeGraph } from './helpers';

describe('compare', () => {
  it('gives two copies of one graph identical curves (same init, same batches)', async () => {
    const ctx = await context(200, 100, { epochs: 2 });
    const r = await compareRuns(
      [
        { doc: tinyMlp(), label: 'a' },
        { doc: tinyMlp(), label: 'b' },
      ],
      ctx,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.runs;
    expect(a.metrics.steps.length).toBe(8); // 200 / 25 = 8 steps per epoch, logged every 2
    expect(b.metrics.steps.map((s) => s.loss)).toEqual(a.metrics.steps.map((s) => s.loss));
    expect(b.metrics.epochs.map((e) => e.testAcc)).toEqual(a.metrics.epochs.map((e) => e.testAcc));
    expect(a.settings.seed).toBe(7);
    expect(a.data).toMatchObject({ spec: 'synthetic', train: 200, test: 100 });
  });

  it('a variant changes the curves and the parameter table is right', async () => {
    const ctx = await context(100, 50);
    const base = tinyConv();
    const variant = withParam(base, 'conv1', 'kernel', 3);
    const r = await compareRuns(
      [
        { doc: base, label: 'k5' },
        { doc: variant, label: 'k3' },
      ],
      ctx,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const table = compareTable(r.runs);
    // conv 5x5x1x4 + 4, pooled 7x7x4 = 196 -> 10 dense: 1970
    expect(table[0]).toMatchObject({ label: 'k5', trainable: 25 * 4 + 4 + 1970, fixed: 0 });
    expect(table[1]).toMatchObject({ label: 'k3', trainable: 9 * 4 + 4 + 1970, fixed: 0 });
    expect(r.runs[0].metrics.steps[0].loss).not.toBe(r.runs[1].metrics.steps[0].loss);
    expect(table[0].secondsPerEpoch).toBeGreaterThan(0);
    expect(r.runs[1].graph.nodes.find((n) => n.id === 'conv1')!.params.kernel).toBe(3);
  });

  it('refuses graphs with different inputs, naming both shapes', async () => {
    const small = withParam(tinyConv(5, 28), 'input', 'height', 32);
    const d = checkSameInputs([
      { doc: tinyConv(), label: 'a' },
      { doc: small, label: 'b' },
    ]);
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/Input nodes differ \(28 x 28 x 1 against 32 x 28 x 1\)/);
    const r = await cli(
      'compare',
      writeGraph('a.json', tinyConv()),
      writeGraph('b.json', small),
      '--data',
      'synthetic',
      '--limit',
      '50',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot compare/);
    expect(r.err).toMatch(/Fix:/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('the CLI prints JSON and writes records that re-open', async () => {
    const out = join(dir, 'runs.json');
    const r = await cli(
      'compare',
      writeGraph('m.json', tinyMlp()),
      '--variant',
      'fc1.units=8',
      '--data',
      'synthetic',
      '--limit',
      '100',
      '--test-limit',
      '50',
      '--batch',
      '25',
      '--seed',
      '3',
      '--json',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.table.map((t: { trainable: number }) => t.trainable)).toEqual([784 * 16 + 16 + 170, 784 * 8 + 8 + 90]);
    expect(j.runs[0].metrics.epochs).toHaveLength(1);
    const loaded = loadRunRecords(readFileSync(out, 'utf8'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.records.map((x) => x.label)).toEqual(['tiny mlp', 'tiny mlp [fc1.units=8]']);
    expect(loaded.records[1].graph.nodes.find((n) => n.id === 'fc1')!.params.units).toBe(8);
    expect(loaded.records[0].settings.seed).toBe(3);
  });

  it('asks for a second graph', async () => {
    const r = await cli('compare', writeGraph('one.json', tinyMlp()), '--data', 'synthetic');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Give two graph files/);
  });
});
