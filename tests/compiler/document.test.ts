import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, loadDocument, saveDocument } from '../../document/graph';
import { mlpDoc } from '../helpers';

describe('graph document', () => {
  it('round-trips through save and load unchanged', () => {
    const doc = { ...mlpDoc(), description: 'a test', training: { optimizer: 'sgd' as const, learningRate: 0.1 } };
    const text = saveDocument(doc);
    const back = loadDocument(text);
    expect(back.diagnostics).toEqual([]);
    expect(saveDocument(back.doc!)).toBe(text);
    expect(back.doc!.nodes.map((n) => n.id)).toEqual(['input', 'flat', 'fc1', 'act', 'fc2', 'loss']);
  });

  it('reports malformed JSON instead of throwing', () => {
    const r = loadDocument('{"format": "wavegraph", "version": 2, "nodes": [');
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics[0].code).toBe('malformed-json');
    expect(r.diagnostics[0].fix).toBeTruthy();
  });

  it('refuses a file from a newer version with a clear message', () => {
    const r = loadDocument({ format: 'wavegraph', version: CURRENT_VERSION + 1, nodes: [], edges: [] });
    expect(r.diagnostics[0].code).toBe('future-version');
    expect(r.diagnostics[0].message).toMatch(/newer/);
  });

  it('refuses something that is not a Wavegraph graph', () => {
    expect(loadDocument('[1,2]').diagnostics[0].code).toBe('bad-document');
    expect(loadDocument({ format: 'other', version: 1 }).diagnostics[0].message).toMatch(/not a Wavegraph graph/);
  });

  it('opens a version 1 file (positions as pairs, edges as "node.port" links)', () => {
    const v1 = {
      format: 'wavegraph',
      version: 1,
      name: 'old',
      nodes: [
        { id: 'a', type: 'Input', pos: [10, 20], params: {} },
        { id: 'b', type: 'Flatten', pos: [200, 20] },
      ],
      links: [{ from: 'a.out', to: 'b.in' }],
    };
    const r = loadDocument(v1);
    expect(r.diagnostics).toEqual([]);
    expect(r.fromVersion).toBe(1);
    expect(r.doc!.version).toBe(CURRENT_VERSION);
    expect(r.doc!.nodes[0].position).toEqual({ x: 10, y: 20 });
    expect(r.doc!.edges).toEqual([{ id: 'e1', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }]);
  });

  it('names the node whose entry is malformed', () => {
    const doc = mlpDoc();
    const raw = JSON.parse(saveDocument(doc));
    raw.nodes[2].position = { x: 'left', y: 0 };
    const r = loadDocument(raw);
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics[0].nodeId).toBe('fc1');
    expect(r.diagnostics[0].message).toMatch(/Node "fc1"/);
  });
});
