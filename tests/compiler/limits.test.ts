import { describe, expect, it } from 'vitest';
import { LIMITS, loadDocument, TRAINING_LIMITS } from '../../document/graph';
import { mlpDoc, node } from '../helpers';

const load = (doc: unknown) => loadDocument(JSON.parse(JSON.stringify(doc)));

describe('document size limits', () => {
  it('refuses too many nodes at once, naming the count and the limit', () => {
    const doc = mlpDoc();
    doc.nodes = Array.from({ length: LIMITS.nodes + 1 }, (_, i) => node(`n${i}`, 'ReLU'));
    const r = load(doc);
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toBe(
      `The graph has ${LIMITS.nodes + 1} nodes; Wavegraph edits graphs of up to ${LIMITS.nodes}.`,
    );
  });

  it("refuses too many edges, also in an old file's links", () => {
    const links = Array.from({ length: LIMITS.edges + 1 }, () => ({ from: 'a.out', to: 'b.in' }));
    const r = loadDocument({ format: 'wavegraph', version: 1, nodes: [], links });
    expect(r.diagnostics[0].message).toMatch(new RegExp(`${LIMITS.edges + 1} edges`));
  });

  it('names the node whose string is too long, with a bounded message', () => {
    const doc = mlpDoc();
    doc.nodes[2].label = 'x'.repeat(100_000);
    doc.nodes[3].params.note = 'y'.repeat(LIMITS.stringParamLength + 1);
    const r = load(doc);
    expect(r.doc).toBeUndefined();
    const byNode = Object.fromEntries(r.diagnostics.map((d) => [d.nodeId, d.message]));
    expect(byNode.fc1).toMatch(/Node "fc1": the label is longer than 200 characters \(at nodes\.2\.label\)/);
    expect(byNode.act).toMatch(/text parameter is longer than 10000/);
    for (const d of r.diagnostics) expect(d.message.length).toBeLessThan(300);
  });

  it('does not quote an oversized id or key back', () => {
    const doc = mlpDoc();
    doc.nodes[1].id = 'z'.repeat(50_000);
    doc.nodes[2].params['k'.repeat(5000)] = 1;
    const r = load(doc);
    expect(r.doc).toBeUndefined();
    for (const d of r.diagnostics) expect(JSON.stringify(d).length).toBeLessThan(400);
  });

  it('bounds the training settings', () => {
    for (const [key, value] of [
      ['batchSize', TRAINING_LIMITS.maxBatchSize + 1],
      ['epochs', 1e9],
      ['learningRate', 1e6],
      ['momentum', 2],
      ['seed', 1e300],
    ] as const) {
      const r = load({ ...mlpDoc(), training: { [key]: value } });
      expect(r.doc, key).toBeUndefined();
      expect(r.diagnostics[0].message).toMatch(new RegExp(`^The training settings: .*\\(at training\\.${key}\\)`));
    }
    expect(
      load({ ...mlpDoc(), training: { batchSize: TRAINING_LIMITS.maxBatchSize, epochs: TRAINING_LIMITS.maxEpochs } })
        .doc,
    ).toBeDefined();
  });

  it('refuses coordinates far off the canvas and too many params', () => {
    const doc = mlpDoc();
    doc.nodes[0].position.x = 1e300;
    for (let i = 0; i <= LIMITS.paramsPerNode; i++) doc.nodes[4].params[`p${i}`] = i;
    const r = load(doc);
    expect(r.diagnostics.map((d) => d.nodeId).sort()).toEqual(['fc2', 'input']);
    expect(r.diagnostics.find((d) => d.nodeId === 'fc2')!.message).toMatch(/more than 100 parameters/);
  });

  it('opens an old file whose lists hold non-objects with a diagnostic, not a throw', () => {
    const r = loadDocument({ format: 'wavegraph', version: 1, nodes: [null, 3], links: [null] });
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics[0].code).toBe('bad-document');
  });
});

describe('deeply nested text', () => {
  it('is refused by a linear scan before JSON.parse, which slows sharply on it', () => {
    const depth = 200_000;
    const text = `{"format": "wavegraph", "version": 2, "nodes": [{"params": {"deep": ${'['.repeat(depth)}${']'.repeat(depth)}}}], "edges": []}`;
    const r = loadDocument(text);
    expect(r.diagnostics[0]).toMatchObject({ code: 'malformed-json' });
    expect(r.diagnostics[0].message).toMatch(/more than 64 deep/);
    // Brackets inside strings do not count.
    const doc = mlpDoc();
    doc.description = '['.repeat(1000);
    expect(loadDocument(JSON.stringify(doc)).doc).toBeDefined();
  });
});
