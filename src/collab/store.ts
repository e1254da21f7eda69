/**
 * The collaborative GraphStore: the Y.Doc is the truth, the snapshot is derived from
 * it. After each transaction only the nodes and edges it touched are re-read, so
 * unchanged ones keep their identity and React re-renders only what changed.
 *
 * Undo is per person: the UndoManager tracks only transactions tagged with this
 * store's own origin object, so it never reverts someone else's edit.
 */
import * as Y from 'yjs';
import { produce } from 'immer';
import type { GraphDocument, GraphEdge, GraphNode } from '../../document/graph';
import type { ChangeInfo, GraphListener, GraphStore } from '../../document/store';
import { compareIds, graphMaps, readEdge, readMeta, readNode } from './ydoc';
import { applyDraft } from './diff';
import type { PortArityResolver } from '../../document/edges';
import { registryPortArity } from '../../nodes/registry';

export interface CollabStoreOptions {
  arity?: PortArityResolver;
  /** Edits closer together than this merge into one undo step (until stopCapturing). */
  captureTimeout?: number;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export class CollabStore implements GraphStore {
  /** Tags this person's transactions; only these are undoable here. */
  readonly origin: { readonly kind: 'wavegraph-local-edit' } = { kind: 'wavegraph-local-edit' };
  readonly undoManager: Y.UndoManager;
  readonly ydoc: Y.Doc;
  private readonly arity: PortArityResolver;
  private readonly listeners = new Set<GraphListener>();
  private readonly nodeCache = new Map<string, GraphNode>();
  private readonly edgeCache = new Map<string, GraphEdge>();
  private snapshot: GraphDocument;
  private dirtyNodes = new Set<string>();
  private dirtyEdges = new Set<string>();
  private metaDirty = false;
  private readonly teardown: Array<() => void> = [];
  private pendingLabel: string | undefined;
  /** Set when the server grants read-only access: edits are ignored instead of diverging locally. */
  readOnly = false;

  constructor(ydoc: Y.Doc, opts: CollabStoreOptions = {}) {
    this.ydoc = ydoc;
    this.arity = opts.arity ?? registryPortArity;
    const { nodes, edges, meta } = graphMaps(ydoc);
    this.undoManager = new Y.UndoManager([nodes, edges, meta], {
      trackedOrigins: new Set([this.origin]),
      captureTimeout: opts.captureTimeout ?? 500,
    });
    this.undoManager.on('stack-item-added', (event: { stackItem: { meta: Map<string, unknown> }; type: string }) => {
      if (this.pendingLabel && event.type === 'undo') event.stackItem.meta.set('label', this.pendingLabel);
    });

    const nodesObserver = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) =>
      this.collect(events, nodes, this.dirtyNodes);
    const edgesObserver = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) =>
      this.collect(events, edges, this.dirtyEdges);
    const metaObserver = () => {
      this.metaDirty = true;
    };
    nodes.observeDeep(nodesObserver);
    edges.observeDeep(edgesObserver);
    meta.observeDeep(metaObserver);
    const afterTransaction = (tr: Y.Transaction) => this.flush(tr);
    ydoc.on('afterTransaction', afterTransaction);
    this.teardown.push(
      () => nodes.unobserveDeep(nodesObserver),
      () => edges.unobserveDeep(edgesObserver),
      () => meta.unobserveDeep(metaObserver),
      () => ydoc.off('afterTransaction', afterTransaction),
    );

    for (const id of nodes.keys()) this.dirtyNodes.add(id);
    for (const id of edges.keys()) this.dirtyEdges.add(id);
    this.metaDirty = true;
    this.snapshot = this.rebuild();
  }

  private collect(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, root: object, dirty: Set<string>): void {
    for (const e of events) {
      if (e.target === root) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) dirty.add(k);
      else if (typeof e.path[0] === 'string') dirty.add(e.path[0]);
    }
  }

  private rebuild(): GraphDocument {
    const { nodes, edges, meta } = graphMaps(this.ydoc);
    const prev = this.snapshot as GraphDocument | undefined;
    let nodeList = prev?.nodes;
    if (this.dirtyNodes.size || !nodeList) {
      for (const id of this.dirtyNodes) {
        const n = readNode(id, nodes.get(id));
        if (n) this.nodeCache.set(id, deepFreeze(n));
        else this.nodeCache.delete(id);
      }
      nodeList = [...this.nodeCache.keys()].sort(compareIds).map((id) => this.nodeCache.get(id)!);
    }
    let edgeList = prev?.edges;
    if (this.dirtyEdges.size || !edgeList) {
      for (const id of this.dirtyEdges) {
        const e = readEdge(id, edges.get(id));
        if (e) this.edgeCache.set(id, deepFreeze(e));
        else this.edgeCache.delete(id);
      }
      edgeList = [...this.edgeCache.keys()].sort(compareIds).map((id) => this.edgeCache.get(id)!);
    }
    const head = this.metaDirty || !prev ? deepFreeze(readMeta(meta)) : prev;
    this.dirtyNodes = new Set();
    this.dirtyEdges = new Set();
    this.metaDirty = false;
    return Object.freeze({
      format: head.format,
      version: head.version,
      ...(head.name !== undefined ? { name: head.name } : {}),
      ...(head.description !== undefined ? { description: head.description } : {}),
      nodes: Object.freeze(nodeList) as GraphNode[],
      edges: Object.freeze(edgeList) as GraphEdge[],
      ...(head.groups !== undefined ? { groups: head.groups } : {}),
      ...(head.training !== undefined ? { training: head.training } : {}),
      ...(head.lesson !== undefined ? { lesson: head.lesson } : {}),
    });
  }

  private flush(tr: Y.Transaction): void {
    if (!this.dirtyNodes.size && !this.dirtyEdges.size && !this.metaDirty) return;
    this.snapshot = this.rebuild();
    const local = tr.origin === this.origin || tr.origin === this.undoManager;
    const info: ChangeInfo = { origin: local ? 'local' : 'remote' };
    for (const l of [...this.listeners]) l(this.snapshot, info);
  }

  getSnapshot(): GraphDocument {
    return this.snapshot;
  }

  subscribe(listener: GraphListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  transact(fn: (draft: GraphDocument) => void, label?: string): void {
    if (this.readOnly) return;
    const before = this.snapshot;
    const after = produce(before, fn);
    if (after === before) return;
    this.pendingLabel = label;
    try {
      applyDraft(this.ydoc, before, after, this.origin, this.arity);
    } finally {
      this.pendingLabel = undefined;
    }
  }

  undo(): void {
    if (this.readOnly) return;
    this.undoManager.undo();
  }

  redo(): void {
    if (this.readOnly) return;
    this.undoManager.redo();
  }

  canUndo(): boolean {
    return this.undoManager.canUndo();
  }

  canRedo(): boolean {
    return this.undoManager.canRedo();
  }

  stopCapturing(): void {
    this.undoManager.stopCapturing();
  }

  destroy(): void {
    for (const t of this.teardown) t();
    this.undoManager.destroy();
    this.listeners.clear();
  }
}
