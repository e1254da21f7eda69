import { describe, expect, it } from 'vitest';
import { edgeIdFor, freeEdgeId, type PortArityResolver } from './edges';
import { loadDocument, type GraphDocument } from './graph';

const arity: PortArityResolver = (type) => (type === 'Add' ? 'multi' : 'single');
const doc = (edges: GraphDocument['edges'] = []): GraphDocument => ({
  format: 'wavegraph',
  version: 2,
  nodes: [
    { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: {} },
    { id: 'b', type: 'ReLU', position: { x: 0, y: 0 }, params: {} },
    { id: 'sum', type: 'Add', position: { x: 0, y: 0 }, params: {} },
  ],
  edges,
});

describe('the edge-id rule', () => {
  it('keys an edge into a single-input port by the port', () => {
    expect(edgeIdFor(doc(), 'a', 'out', 'b', 'in', arity)).toBe('b:in');
  });

  it('keys an edge into a multi-input port by both ends, with #n when taken', () => {
    const first = edgeIdFor(doc(), 'a', 'out', 'sum', 'in', arity);
    expect(first).toBe('a:out->sum:in');
    const taken = doc([{ id: first, source: 'a', sourcePort: 'out', target: 'sum', targetPort: 'in' }]);
    expect(edgeIdFor(taken, 'a', 'out', 'sum', 'in', arity)).toBe('a:out->sum:in#2');
    expect(freeEdgeId('e', (id) => id === 'e' || id === 'e#2')).toBe('e#3');
  });

  it('opens a file whose ids follow the older collaborative rule, keeping them', () => {
    const old = doc([{ id: 'e1~2', source: 'a', sourcePort: 'out', target: 'sum', targetPort: 'in' }]);
    const r = loadDocument(JSON.stringify(old));
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.edges.map((e) => e.id)).toEqual(['e1~2']);
  });
});
