import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { GraphDocument } from '../../document/graph';
import { CollabStore } from '../../src/collab/store';
import { docToYDoc } from '../../src/collab/ydoc';
import type { PortArityResolver } from '../../document/edges';

const arity: PortArityResolver = (type) => (type === 'Add' ? 'multi' : 'single');

function sample(): GraphDocument {
  return {
    format: 'wavegraph',
    version: 2,
    name: 'g',
    nodes: [
      { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: {} },
      { id: 'b', type: 'Conv2D', position: { x: 100, y: 0 }, params: { filters: 8, kernel: 3 } },
      { id: 'c', type: 'Dense', position: { x: 200, y: 0 }, params: { units: 10 } },
    ],
    edges: [{ id: 'b:in', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }],
  };
}

/** Two stores on two replicas that deliver every update to each other at once. */
function linkedStores(): [CollabStore, CollabStore] {
  const x = new Y.Doc();
  const y = new Y.Doc();
  docToYDoc(sample(), x, { arity });
  Y.applyUpdate(y, Y.encodeStateAsUpdate(x));
  x.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(y, u, 'net'));
  y.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(x, u, 'net'));
  return [new CollabStore(x, { arity, captureTimeout: 0 }), new CollabStore(y, { arity, captureTimeout: 0 })];
}

describe('CollabStore', () => {
  it('keeps the identity of nodes an edit did not touch', () => {
    const [s] = linkedStores();
    const before = s.getSnapshot();
    s.transact((d) => {
      d.nodes.find((n) => n.id === 'b')!.params.filters = 16;
    });
    const after = s.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.nodes[0]).toBe(before.nodes[0]);
    expect(after.nodes[2]).toBe(before.nodes[2]);
    expect(after.nodes[1]).not.toBe(before.nodes[1]);
    expect(after.nodes[1].params).toEqual({ filters: 16, kernel: 3 });
    expect(after.edges).toBe(before.edges);
  });

  it('writes leaf fields only, so edits of two people to one node merge', () => {
    const [s, t] = linkedStores();
    // Apply both drafts from the same snapshot state, as two people editing at once would.
    const x = s.ydoc;
    const y = t.ydoc;
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(y));
    const u = new CollabStore(offline, { arity });
    s.transact((d) => {
      d.nodes[1].params.filters = 32;
    });
    u.transact((d) => {
      d.nodes[1].params.kernel = 5;
      d.nodes[1].position = { x: 1, y: 2 };
    });
    Y.applyUpdate(x, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(x)));
    const b = s.getSnapshot().nodes[1];
    expect(b.params).toEqual({ filters: 32, kernel: 5 });
    expect(b.position).toEqual({ x: 1, y: 2 });
    expect(t.getSnapshot()).toEqual(s.getSnapshot());
  });

  it('tells listeners whether a change is local or remote', () => {
    const [s, t] = linkedStores();
    const seen: string[] = [];
    s.subscribe((_doc, info) => seen.push(`s:${info.origin}`));
    t.subscribe((_doc, info) => seen.push(`t:${info.origin}`));
    s.transact((d) => {
      d.name = 'renamed';
    });
    expect(seen).toEqual(['s:local', 't:remote']);
    expect(t.getSnapshot().name).toBe('renamed');
  });

  it("undoes only this person's edits", () => {
    const [s, t] = linkedStores();
    s.transact((d) => {
      d.nodes[1].params.filters = 64;
    });
    t.transact((d) => {
      d.nodes[2].params.units = 5;
      d.nodes.push({ id: 'd', type: 'Dense', position: { x: 0, y: 50 }, params: {} });
    });
    expect(s.canUndo()).toBe(true);
    s.undo();
    for (const store of [s, t]) {
      const doc = store.getSnapshot();
      expect(doc.nodes.find((n) => n.id === 'b')!.params.filters).toBe(8);
      expect(doc.nodes.find((n) => n.id === 'c')!.params.units).toBe(5);
      expect(doc.nodes.map((n) => n.id)).toContain('d');
    }
    expect(s.canUndo()).toBe(false);
    expect(s.canRedo()).toBe(true);
    s.redo();
    expect(t.getSnapshot().nodes.find((n) => n.id === 'b')!.params.filters).toBe(64);
  });

  it('groups edits into one undo step until stopCapturing', () => {
    const x = new Y.Doc();
    docToYDoc(sample(), x, { arity });
    const s = new CollabStore(x, { arity, captureTimeout: 60_000 });
    s.transact((d) => void (d.nodes[0].position = { x: 10, y: 0 }));
    s.transact((d) => void (d.nodes[0].position = { x: 20, y: 0 }));
    s.stopCapturing();
    s.transact((d) => void (d.nodes[0].position = { x: 30, y: 0 }));
    s.undo();
    expect(s.getSnapshot().nodes[0].position.x).toBe(20);
    s.undo();
    expect(s.getSnapshot().nodes[0].position.x).toBe(0);
  });

  it('re-keys a new edge into a single-input port, so two people wiring it converge on one edge', () => {
    const [s, t] = linkedStores();
    s.transact((d) => {
      d.edges.push({ id: 'tmp-1', source: 'b', sourcePort: 'out', target: 'c', targetPort: 'in' });
    });
    expect(s.getSnapshot().edges.map((e) => e.id)).toEqual(['b:in', 'c:in']);
    expect(t.getSnapshot().edges).toEqual(s.getSnapshot().edges);
  });

  it('a deleted node stays deleted when someone else edits it concurrently', () => {
    const [s, t] = linkedStores();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(t.ydoc));
    const u = new CollabStore(offline, { arity });
    s.transact((d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'b');
      d.edges = d.edges.filter((e) => e.source !== 'b' && e.target !== 'b');
    });
    u.transact((d) => {
      d.nodes[1].params.filters = 1;
      d.nodes[1].position.x = 500;
    });
    Y.applyUpdate(s.ydoc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(s.ydoc)));
    expect(t.getSnapshot().nodes.map((n) => n.id)).toEqual(['a', 'c']);
  });

  it('replacing the whole document (opening a file) writes only what differs', () => {
    const [s, t] = linkedStores();
    const seen: number[] = [];
    t.subscribe(() => seen.push(1));
    const replace = (doc: GraphDocument) =>
      s.transact((d) => {
        for (const k of Object.keys(d) as (keyof GraphDocument)[]) if (!(k in doc)) delete d[k];
        Object.assign(d, structuredClone(doc));
      });
    replace(structuredClone(s.getSnapshot()));
    expect(seen).toEqual([]);
    const next = structuredClone(s.getSnapshot());
    next.nodes[2].params.units = 99;
    const before = t.getSnapshot();
    replace(next);
    expect(seen).toEqual([1]);
    expect(t.getSnapshot().nodes[0]).toBe(before.nodes[0]);
    expect(t.getSnapshot().nodes[2].params.units).toBe(99);
  });
});
