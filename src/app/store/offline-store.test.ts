import { describe, expect, it } from 'vitest';
import { emptyDocument, saveDocument } from '../../../document/graph';
import { OfflineStore } from './offline-store';
import { addNode, connect } from '../graph/ops';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('OfflineStore', () => {
  it('undoes and redoes every edit, notifying listeners with a local origin', () => {
    const c = clock();
    const store = new OfflineStore(emptyDocument(), { now: c.now });
    const seen: string[] = [];
    store.subscribe((doc, info) => seen.push(`${info.origin}:${doc.nodes.length}`));
    store.transact((d) => void addNode(d, 'Input', { x: 0, y: 0 }), 'Add Input');
    c.advance(10);
    store.transact((d) => void addNode(d, 'Flatten', { x: 200, y: 0 }), 'Add Flatten');
    expect(store.getSnapshot().nodes.map((n) => n.id)).toEqual(['input1', 'flatten1']);
    store.undo();
    expect(store.getSnapshot().nodes.map((n) => n.id)).toEqual(['input1']);
    expect(store.canRedo()).toBe(true);
    store.redo();
    expect(store.getSnapshot().nodes).toHaveLength(2);
    store.undo();
    store.undo();
    expect(store.getSnapshot().nodes).toHaveLength(0);
    expect(store.canUndo()).toBe(false);
    expect(seen).toEqual(['local:1', 'local:2', 'local:1', 'local:2', 'local:1', 'local:0']);
  });

  it('merges rapid edits with the same label into one step until stopCapturing', () => {
    const c = clock();
    const store = new OfflineStore(emptyDocument(), { now: c.now });
    store.transact((d) => void addNode(d, 'Dense', { x: 0, y: 0 }), 'Add');
    for (const units of [1, 12, 128]) {
      c.advance(100);
      store.transact((d) => void (d.nodes[0].params.units = units), 'param dense1.units');
    }
    store.stopCapturing();
    store.transact((d) => void (d.nodes[0].params.units = 7), 'param dense1.units');
    store.undo();
    expect(store.getSnapshot().nodes[0].params.units).toBe(128);
    store.undo();
    expect(store.getSnapshot().nodes[0].params.units).toBe(10);
  });

  it('keeps unchanged nodes identical across edits and ignores no-op edits', () => {
    const store = new OfflineStore(emptyDocument());
    store.transact((d) => {
      addNode(d, 'Input', { x: 0, y: 0 });
      addNode(d, 'Flatten', { x: 1, y: 0 });
    });
    const before = store.getSnapshot();
    store.transact((d) => void (d.nodes[1].position.x = 50));
    expect(store.getSnapshot().nodes[0]).toBe(before.nodes[0]);
    expect(store.getSnapshot().nodes[1]).not.toBe(before.nodes[1]);
    const snap = store.getSnapshot();
    store.transact(() => {});
    expect(store.getSnapshot()).toBe(snap);
    expect(Object.isFrozen(store.getSnapshot().nodes[0])).toBe(true);
  });

  it('keys edges into single-input ports by target port, as the shared store does', () => {
    const store = new OfflineStore(emptyDocument());
    store.transact((d) => {
      addNode(d, 'Input', { x: 0, y: 0 });
      addNode(d, 'Flatten', { x: 1, y: 0 });
      connect(d, { node: 'input1', port: 'out' }, { node: 'flatten1', port: 'in' });
    });
    expect(store.getSnapshot().edges.map((e) => e.id)).toEqual(['flatten1:in']);
    expect(saveDocument(store.getSnapshot())).toContain('"targetPort": "in"');
  });
});
