import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentSchema, type GraphDocument } from '../../document/graph';
import { connect, moveNodes, removeElements, setParam } from '../../document/edit';
import type { PortArityResolver } from '../../document/edges';
import { CollabStore } from '../../src/collab/store';
import { docToYDoc, graphMaps, yDocToDoc } from '../../src/collab/ydoc';

/** Add and Concat take many inputs; everything else one (the registry says the same for real types). */
const arity: PortArityResolver = (type) => (type === 'Add' || type === 'Concat' ? 'multi' : 'single');

function sample(): GraphDocument {
  return {
    format: 'wavegraph',
    version: 2,
    name: 'Scattering demo',
    description: 'two branches',
    nodes: [
      { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { dataset: 'fashion-mnist' } },
      {
        id: 'b',
        type: 'Conv2D',
        typeVersion: 1,
        label: 'conv',
        position: { x: 100, y: 5 },
        params: { filters: 8, kernel: [3, 3], relu: true },
      },
      { id: 'c', type: 'Add', position: { x: 200, y: 0 }, params: {}, group: 'g1' },
    ],
    edges: [
      { id: 'b:in', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' },
      { id: 'e2', source: 'a', sourcePort: 'out', target: 'c', targetPort: 'in' },
      { id: 'e3', source: 'b', sourcePort: 'out', target: 'c', targetPort: 'in' },
    ],
    groups: [{ id: 'g1', type: 'Residual', params: { depth: 2 } }],
    training: { dataset: 'fashion-mnist', optimizer: 'adam', learningRate: 0.001, epochs: 2 },
  };
}

/** Two replicas that exchange every update immediately, like a connected pair. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  return [a, b];
}
/** Each replica edited as the app edits it: drafts through a store (src/collab/diff.ts). */
function stores(...docs: Y.Doc[]): CollabStore[] {
  return docs.map((d) => new CollabStore(d, { arity }));
}
const wire = (source: string, target: string) => (d: GraphDocument) =>
  void connect(d, { node: source, port: 'out' }, { node: target, port: 'in' }, { arity });
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('graph document <-> Y.Doc', () => {
  it('round-trips a document', () => {
    const doc = sample();
    const ydoc = new Y.Doc();
    docToYDoc(doc, ydoc, { arity });
    expect(yDocToDoc(ydoc)).toEqual(doc);
    // and through an encoded update, as a second client would receive it
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc));
    expect(yDocToDoc(other)).toEqual(doc);
  });

  it('keys the edge into a single-input port by the port, and keeps a second one visible', () => {
    const doc = sample();
    doc.edges = [
      { id: 'x1', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' },
      { id: 'x2', source: 'c', sourcePort: 'out', target: 'b', targetPort: 'in' },
    ];
    const ydoc = new Y.Doc();
    docToYDoc(doc, ydoc, { arity });
    expect(yDocToDoc(ydoc).edges.map((e) => e.id)).toEqual(['b:in', 'x2']);
  });

  it('skips malformed entries instead of throwing', () => {
    const ydoc = new Y.Doc();
    docToYDoc(sample(), ydoc, { arity });
    const { nodes, edges } = graphMaps(ydoc);
    nodes.set('junk', new Y.Map());
    (edges as unknown as Y.Map<unknown>).set('bad', 42);
    const out = yDocToDoc(ydoc);
    expect(out.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(out.edges).toHaveLength(3);
  });
});

describe('concurrent edits', () => {
  it('merges changes to different params of one node', () => {
    const [x, y] = pair();
    docToYDoc(sample(), x, { arity });
    sync(x, y);
    const [sx, sy] = stores(x, y);
    sx.transact((d) => setParam(d, 'b', 'filters', 16));
    sy.transact((d) => setParam(d, 'b', 'relu', false));
    sy.transact((d) => moveNodes(d, new Map([['b', { x: 7, y: 9 }]])));
    sync(x, y);
    for (const d of [x, y]) {
      const b = yDocToDoc(d).nodes.find((n) => n.id === 'b')!;
      expect(b.params).toEqual({ filters: 16, kernel: [3, 3], relu: false });
      expect(b.position).toEqual({ x: 7, y: 9 });
    }
  });

  it('two people wiring one single-input port end with one edge', () => {
    const [x, y] = pair();
    docToYDoc({ ...sample(), edges: [] }, x, { arity });
    sync(x, y);
    const [sx, sy] = stores(x, y);
    sx.transact(wire('a', 'b'));
    sy.transact(wire('c', 'b'));
    sync(x, y);
    const ex = yDocToDoc(x).edges;
    expect(ex).toHaveLength(1);
    expect(ex[0].id).toBe('b:in');
    expect(yDocToDoc(y).edges).toEqual(ex);
  });

  it('two people wiring one multi-input port keep both edges', () => {
    const [x, y] = pair();
    docToYDoc({ ...sample(), edges: [] }, x, { arity });
    sync(x, y);
    const [sx, sy] = stores(x, y);
    sx.transact(wire('a', 'c'));
    sy.transact(wire('b', 'c'));
    sync(x, y);
    expect(
      yDocToDoc(x)
        .edges.map((e) => e.source)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('concurrent A->B and B->A both survive (the validator reports the cycle)', () => {
    const [x, y] = pair();
    docToYDoc({ ...sample(), edges: [] }, x, { arity });
    sync(x, y);
    const [sx, sy] = stores(x, y);
    sx.transact(wire('a', 'b'));
    sy.transact(wire('b', 'a'));
    sync(x, y);
    const pairs = yDocToDoc(x)
      .edges.map((e) => `${e.source}->${e.target}`)
      .sort();
    expect(pairs).toEqual(['a->b', 'b->a']);
    expect(yDocToDoc(y)).toEqual(yDocToDoc(x));
  });

  it('a move does not resurrect a node deleted concurrently; removing a node removes its edges', () => {
    const [x, y] = pair();
    docToYDoc(sample(), x, { arity });
    sync(x, y);
    const [sx, sy] = stores(x, y);
    sx.transact((d) => removeElements(d, ['b']));
    sy.transact((d) => moveNodes(d, new Map([['b', { x: 1, y: 1 }]])));
    sy.transact((d) => setParam(d, 'b', 'filters', 4));
    sync(x, y);
    for (const d of [x, y]) {
      const doc = yDocToDoc(d);
      expect(doc.nodes.map((n) => n.id)).toEqual(['a', 'c']);
      expect(doc.edges.map((e) => e.id)).toEqual(['e2']);
    }
  });

  it("adding a node and renaming are single transactions with the editor's origin", () => {
    const ydoc = new Y.Doc();
    const [store] = stores(ydoc);
    const origins: unknown[] = [];
    ydoc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const me = store.origin;
    store.transact((d) => void d.nodes.push({ id: 'n1', type: 'Input', position: { x: 0, y: 0 }, params: { a: 1 } }));
    store.transact((d) => void (d.name = 'New name'));
    expect(origins).toEqual([me, me]);
    expect(yDocToDoc(ydoc).name).toBe('New name');
  });
});

describe('reading what others wrote', () => {
  it('skips every part the document schema refuses and keeps the rest', () => {
    const d = new Y.Doc();
    docToYDoc(sample(), d, { arity });
    const { nodes, edges, meta } = graphMaps(d);
    d.transact(() => {
      meta.set('groups', [null, 5, { id: 'g2' }, { id: 'g3', type: 'LISTA', params: { steps: 3 } }]);
      const t = meta.get('training') as Y.Map<unknown>;
      t.set('epochs', 'many');
      t.set('batchSize', -4);
      t.set('evil', { nested: true });
      meta.set('name', 42);
      meta.set('description', 'x'.repeat(30_000));
      const bad = new Y.Map<unknown>();
      bad.set('type', '');
      bad.set('position', { x: 1, y: 2 });
      nodes.set('empty-type', bad);
      const nanParam = new Y.Map<unknown>();
      nanParam.set('type', 'Dense');
      const params = new Y.Map<unknown>();
      params.set('units', Infinity);
      params.set('bias', true);
      nanParam.set('params', params);
      nodes.set('inf', nanParam);
      const edge = new Y.Map<unknown>();
      for (const k of ['source', 'sourcePort', 'target']) edge.set(k, 'a');
      edge.set('targetPort', '');
      edges.set('bad-edge', edge);
    });
    const doc = yDocToDoc(d);
    expect(documentSchema.safeParse(doc).success).toBe(true);
    expect(doc.groups).toEqual([{ id: 'g3', type: 'LISTA', params: { steps: 3 } }]);
    expect(doc.training).toEqual({ dataset: 'fashion-mnist', optimizer: 'adam', learningRate: 0.001 });
    expect(doc.name).toBeUndefined();
    expect(doc.description).toBeUndefined();
    expect(doc.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'inf']);
    expect(doc.nodes.find((n) => n.id === 'inf')!.params).toEqual({ bias: true });
    expect(doc.edges.map((e) => e.id)).not.toContain('bad-edge');
  });
});
