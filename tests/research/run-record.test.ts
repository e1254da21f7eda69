/** The run record file: a round trip, and a clear message for each kind of bad file. */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/research/compare';
import { loadRunRecord, loadRunRecords, saveRunRecords, type RunRecord } from '../../src/research/run-record';
import { context, tinyMlp } from './helpers';

let cached: RunRecord | undefined;
async function record(): Promise<RunRecord> {
  if (cached) return cached;
  const r = await runGraph(tinyMlp(), 'mlp', await context(100, 50));
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return (cached = r.record);
}

function messages(input: unknown): string {
  const r = loadRunRecords(input as string);
  expect(r.records).toEqual([]);
  return r.diagnostics.map((d) => d.message).join('\n');
}

describe('run record', () => {
  it('round-trips through its file format with the exact graph, seed, data and backend', async () => {
    const rec = await record();
    const back = loadRunRecord(saveRunRecords(rec));
    expect(back.diagnostics).toEqual([]);
    expect(back.record).toEqual(rec);
    expect(rec).toMatchObject({
      format: 'wavegraph-run',
      version: 1,
      settings: { seed: 7, batchSize: 25 },
      data: { spec: 'synthetic', limit: 100, train: 100, test: 50 },
    });
    expect(rec.backend).toMatch(/wasm|cpu/);
    expect(rec.metrics.params).toEqual({ trainable: 784 * 16 + 16 + 170, fixed: 0 });
  });

  it('keeps a list of runs, and writes NaN as null and reads it back as NaN', async () => {
    const rec = await record();
    const odd = { ...rec, label: 'odd', metrics: { ...rec.metrics, finalTrainAcc: NaN } };
    const text = saveRunRecords([rec, odd]);
    expect(text).toContain('"finalTrainAcc": null');
    const r = loadRunRecords(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => x.label)).toEqual(['mlp', 'odd']);
    expect(r.records[1].metrics.finalTrainAcc).toBeNaN();
  });

  it('explains malformed files', async () => {
    const rec = JSON.parse(saveRunRecords(await record()));
    expect(messages('{"format": "wavegraph-run",')).toMatch(/not valid JSON/);
    expect(messages('[]')).toMatch(/empty list/);
    expect(messages(JSON.stringify({ ...rec, format: 'wavegraph' }))).toMatch(
      /is not a Wavegraph run.*It is a graph file/,
    );
    expect(messages(JSON.stringify({ ...rec, version: 9 }))).toMatch(/newer Wavegraph/);
    const { settings: _s, ...noSettings } = rec;
    expect(messages(JSON.stringify(noSettings))).toMatch(/field "settings"/);
    expect(messages(JSON.stringify({ ...rec, settings: { ...rec.settings, seed: 'x' } }))).toMatch(
      /field "settings.seed"/,
    );
    expect(messages(JSON.stringify([rec, { ...rec, created: 'yesterday' }]))).toMatch(
      /Run #2: field "created" must be a date/,
    );
    const badGraph = { ...rec, graph: { ...rec.graph, nodes: [{ id: 'x' }] } };
    expect(messages(JSON.stringify(badGraph))).toMatch(/The run, its graph: Node "x"/);
  });

  it('loadRunRecord refuses a file of several runs', async () => {
    const rec = await record();
    const r = loadRunRecord(saveRunRecords([rec, rec]));
    expect(r.record).toBeUndefined();
    expect(r.diagnostics[0].message).toMatch(/holds 2 runs/);
  });
});
