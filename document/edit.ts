/**
 * Pure edits of a document draft. Every canvas gesture ends up as one of these inside
 * store.transact, so each is one undo step and each works the same on a shared graph.
 * What an edit must know about node types (a new node's version and default params,
 * which ports take several edges) comes in as `NodeTypes`; src/app/graph/ops.ts binds
 * it to the node declarations.
 */
import type { GraphDocument, GraphEdge, GraphNode, Params } from './graph';
import { edgeIdFor, type PortArityResolver } from './edges';

export interface NodeTypes {
  /** The version and default params of a new node of this type; undefined for an unknown type. */
  create(type: string): { typeVersion: number; params: Params } | undefined;
  arity: PortArityResolver;
}

export interface Endpoint {
  node: string;
  port: string;
}

/** A short readable id: "conv2d3" for the third Conv2D. */
export function freshNodeId(doc: GraphDocument, type: string, taken: Set<string> = new Set()): string {
  const base = type.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken]);
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function addNode(
  draft: GraphDocument,
  type: string,
  position: { x: number; y: number },
  types: NodeTypes,
): string {
  const made = types.create(type);
  if (!made) throw new Error(`unknown node type ${type}`);
  const id = freshNodeId(draft, type);
  draft.nodes.push({
    id,
    type,
    typeVersion: made.typeVersion,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    params: made.params,
  });
  return id;
}

/** Adds the edge; an edge already in a single-input port is replaced (as dragging a new wire does). */
export function connect(draft: GraphDocument, from: Endpoint, to: Endpoint, types: Pick<NodeTypes, 'arity'>): string {
  const id = edgeIdFor(draft, from.node, from.port, to.node, to.port, types.arity);
  draft.edges = draft.edges.filter((e) => e.id !== id);
  draft.edges.push({ id, source: from.node, sourcePort: from.port, target: to.node, targetPort: to.port });
  return id;
}

export function removeElements(draft: GraphDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): void {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  draft.nodes = draft.nodes.filter((n) => !nodes.has(n.id));
  draft.edges = draft.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
  if (draft.groups) {
    const live = new Set(draft.nodes.map((n) => n.group).filter(Boolean));
    draft.groups = draft.groups.filter((g) => live.has(g.id));
  }
}

export interface Clip {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and the edges between them (edges to the outside are left behind). */
export function copySelection(doc: GraphDocument, nodeIds: Iterable<string>): Clip {
  const ids = new Set(nodeIds);
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone({ ...n, group: undefined })),
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/** Inserts a clip with fresh ids, offset by `offset`; returns the new node ids. */
export function pasteClip(
  draft: GraphDocument,
  clip: Clip,
  offset: { x: number; y: number },
  types: Pick<NodeTypes, 'arity'>,
): string[] {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of clip.nodes) {
    const id = freshNodeId(draft, n.type, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  for (const n of clip.nodes) {
    const { group: _g, ...rest } = n;
    draft.nodes.push({
      ...structuredClone(rest),
      id: rename.get(n.id)!,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    });
  }
  for (const e of clip.edges) {
    connect(
      draft,
      { node: rename.get(e.source)!, port: e.sourcePort },
      { node: rename.get(e.target)!, port: e.targetPort },
      types,
    );
  }
  return [...rename.values()];
}

export function setParam(draft: GraphDocument, nodeId: string, name: string, value: GraphNode['params'][string]): void {
  const node = draft.nodes.find((n) => n.id === nodeId);
  if (node) node.params[name] = value;
}

export function moveNodes(draft: GraphDocument, positions: Map<string, { x: number; y: number }>): void {
  for (const n of draft.nodes) {
    const p = positions.get(n.id);
    if (p) n.position = { x: Math.round(p.x), y: Math.round(p.y) };
  }
}
