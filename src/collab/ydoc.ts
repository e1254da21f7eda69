/**
 * The graph document inside a Y.Doc: its schema, reading it, and writing a whole
 * document into it. Edits go through the store (store.ts), which writes a draft's
 * changes with diff.ts, for the app and the tests alike.
 *
 * Schema (three top-level maps):
 * - `nodes`: node id -> Y.Map { type, position: {x, y} (a plain object: a move sets x
 *   and y together, last writer wins), params: Y.Map (param name -> JSON value, so
 *   two people changing different params of one node both keep their change),
 *   label?, group?, typeVersion? }
 * - `edges`: edge id -> Y.Map { source, sourcePort, target, targetPort }. The id of
 *   the edge into a single-input port is `${target}:${targetPort}`, so two people
 *   wiring the same input write the same key and end with one edge. Edges into
 *   multi-input ports (Add, Concat) are keyed by both ends (document/edges.ts).
 * - `meta`: { name?, description?, version (document format version),
 *   groups? (plain JSON array), training: Y.Map (one key per setting),
 *   lesson?: Y.Map { title?, steps: Y.Array (one plain JSON value per step, so an
 *   edit rewrites one step and two teachers editing different steps both keep theirs) } }
 *
 * Every writer sets leaf fields and never replaces a whole node, so a concurrent
 * delete stays a delete instead of resurrecting half a node. Reading is defensive:
 * anyone with an edit link can write anything into the shared maps, so every part
 * read out is checked with the document schema (compiler/document.ts) and a part that
 * fails is skipped (a node, a group, one training setting, one param), never thrown on.
 */
import * as Y from 'yjs';
import {
  CURRENT_VERSION,
  FORMAT,
  documentSchema,
  edgeSchema,
  nodeSchema,
  trainingSchema,
  type GraphDocument,
  type GraphEdge,
  type GraphGroup,
  type GraphNode,
  type ParamValue,
  type TrainingSettings,
} from '../../document/graph';
import { parseLesson, type Lesson } from '../../document/lesson';
import { freeEdgeId, singleInputEdgeId, type PortArityResolver } from '../../document/edges';
import { registryPortArity } from '../../nodes/registry';

export type YNode = Y.Map<unknown>;
export type YEdge = Y.Map<unknown>;

export interface GraphMaps {
  nodes: Y.Map<YNode>;
  edges: Y.Map<YEdge>;
  meta: Y.Map<unknown>;
}

export function graphMaps(ydoc: Y.Doc): GraphMaps {
  return { nodes: ydoc.getMap<YNode>('nodes'), edges: ydoc.getMap<YEdge>('edges'), meta: ydoc.getMap<unknown>('meta') };
}

const collator = new Intl.Collator('en', { numeric: true });
/** Every client lists nodes and edges in the same order, whatever order updates arrived in. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function cloneValue(v: ParamValue): ParamValue {
  return Array.isArray(v) ? [...v] : v;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function isParamValue(v: unknown): v is ParamValue {
  if (finite(v) || typeof v === 'string' || typeof v === 'boolean') return true;
  return Array.isArray(v) && v.every(finite);
}

const groupSchema = documentSchema.shape.groups.unwrap().element;
const trainingFields = trainingSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;

export function newNodeMap(node: GraphNode): YNode {
  const m = new Y.Map<unknown>();
  m.set('type', node.type);
  m.set('position', { x: node.position.x, y: node.position.y });
  const params = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(node.params)) params.set(k, cloneValue(v));
  m.set('params', params);
  if (node.label !== undefined) m.set('label', node.label);
  if (node.group !== undefined) m.set('group', node.group);
  if (node.typeVersion !== undefined) m.set('typeVersion', node.typeVersion);
  return m;
}

export function newEdgeMap(e: Omit<GraphEdge, 'id'>): YEdge {
  const m = new Y.Map<unknown>();
  m.set('source', e.source);
  m.set('sourcePort', e.sourcePort);
  m.set('target', e.target);
  m.set('targetPort', e.targetPort);
  return m;
}

/** A node as plain data, or undefined when the entry is not a well-formed node. */
export function readNode(id: string, m: unknown): GraphNode | undefined {
  if (!(m instanceof Y.Map)) return undefined;
  const type = m.get('type');
  if (typeof type !== 'string') return undefined;
  const pos = m.get('position') as { x?: unknown; y?: unknown } | undefined;
  const x = typeof pos?.x === 'number' && Number.isFinite(pos.x) ? pos.x : 0;
  const y = typeof pos?.y === 'number' && Number.isFinite(pos.y) ? pos.y : 0;
  const params: Record<string, ParamValue> = {};
  const yparams = m.get('params');
  if (yparams instanceof Y.Map) {
    for (const k of [...yparams.keys()].sort()) {
      const v = yparams.get(k);
      if (isParamValue(v)) params[k] = cloneValue(v);
    }
  }
  const node: GraphNode = { id, type, position: { x, y }, params };
  const typeVersion = m.get('typeVersion');
  if (typeof typeVersion === 'number') node.typeVersion = typeVersion;
  const label = m.get('label');
  if (typeof label === 'string') node.label = label;
  const group = m.get('group');
  if (typeof group === 'string') node.group = group;
  return nodeSchema.safeParse(node).success ? node : undefined;
}

export function readEdge(id: string, m: unknown): GraphEdge | undefined {
  if (!(m instanceof Y.Map)) return undefined;
  const [source, sourcePort, target, targetPort] = ['source', 'sourcePort', 'target', 'targetPort'].map((k) =>
    m.get(k),
  );
  if (
    typeof source !== 'string' ||
    typeof sourcePort !== 'string' ||
    typeof target !== 'string' ||
    typeof targetPort !== 'string'
  ) {
    return undefined;
  }
  const edge = { id, source, sourcePort, target, targetPort };
  return edgeSchema.safeParse(edge).success ? edge : undefined;
}

/** The document-level fields (everything but nodes and edges). */
export function readMeta(meta: Y.Map<unknown>): Omit<GraphDocument, 'nodes' | 'edges'> {
  const out: Omit<GraphDocument, 'nodes' | 'edges'> = { format: FORMAT, version: CURRENT_VERSION };
  const name = meta.get('name');
  if (typeof name === 'string' && documentSchema.shape.name.safeParse(name).success) out.name = name;
  const description = meta.get('description');
  if (typeof description === 'string' && documentSchema.shape.description.safeParse(description).success)
    out.description = description;
  const groups = meta.get('groups');
  if (Array.isArray(groups)) {
    const valid = groups.flatMap((g) => {
      const r = groupSchema.safeParse(g);
      return r.success ? [r.data as GraphGroup] : [];
    });
    if (valid.length) out.groups = valid;
  }
  const training = meta.get('training');
  if (training instanceof Y.Map && training.size > 0) {
    const t: Record<string, unknown> = {};
    for (const k of [...training.keys()].sort()) {
      const v = training.get(k);
      if (Object.hasOwn(trainingFields, k) && trainingFields[k].safeParse(v).success) t[k] = structuredClone(v);
    }
    if (Object.keys(t).length) out.training = t as TrainingSettings;
  }
  const lesson = meta.get('lesson');
  if (lesson !== undefined) {
    // Malformed steps written by a peer are skipped like any other malformed part.
    const read = parseLesson(lessonValue(lesson)).lesson;
    if (read) out.lesson = read;
  }
  return out;
}

export function newLessonMap(lesson: Lesson): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  if (lesson.title !== undefined) m.set('title', lesson.title);
  const steps = new Y.Array<unknown>();
  steps.push(lesson.steps.map((s) => structuredClone(s)));
  m.set('steps', steps);
  return m;
}

/** The lesson as plain data for parseLesson (a peer may have written any shape). */
function lessonValue(v: unknown): unknown {
  if (!(v instanceof Y.Map)) return v;
  const steps = v.get('steps');
  return { title: v.get('title'), steps: steps instanceof Y.Array ? steps.toArray() : steps };
}

export function yDocToDoc(ydoc: Y.Doc): GraphDocument {
  const { nodes, edges, meta } = graphMaps(ydoc);
  const nodeList: GraphNode[] = [];
  for (const id of [...nodes.keys()].sort(compareIds)) {
    const n = readNode(id, nodes.get(id));
    if (n) nodeList.push(n);
  }
  const edgeList: GraphEdge[] = [];
  for (const id of [...edges.keys()].sort(compareIds)) {
    const e = readEdge(id, edges.get(id));
    if (e) edgeList.push(e);
  }
  return { ...readMeta(meta), nodes: nodeList, edges: edgeList };
}

export function writeTraining(meta: Y.Map<unknown>, training: TrainingSettings | undefined): void {
  let t = meta.get('training');
  if (!(t instanceof Y.Map)) {
    t = new Y.Map<unknown>();
    meta.set('training', t);
  }
  const ymap = t as Y.Map<unknown>;
  const next = (training ?? {}) as Record<string, unknown>;
  for (const k of [...ymap.keys()]) if (next[k] === undefined) ymap.delete(k);
  for (const [k, v] of Object.entries(next)) if (v !== undefined && ymap.get(k) !== v) ymap.set(k, v);
}

/**
 * Replace the Y.Doc's graph with `doc`, in one transaction. The first edge into a
 * single-input port is re-keyed to the port's derived id; a second one into the same
 * port keeps its own id so the validator still reports it.
 */
export function docToYDoc(
  doc: GraphDocument,
  ydoc: Y.Doc,
  opts: { origin?: unknown; arity?: PortArityResolver } = {},
): void {
  const arity = opts.arity ?? registryPortArity;
  const { nodes, edges, meta } = graphMaps(ydoc);
  ydoc.transact(() => {
    nodes.clear();
    edges.clear();
    meta.clear();
    meta.set('version', doc.version ?? CURRENT_VERSION);
    if (doc.name !== undefined) meta.set('name', doc.name);
    if (doc.description !== undefined) meta.set('description', doc.description);
    if (doc.groups && doc.groups.length) meta.set('groups', structuredClone(doc.groups));
    writeTraining(meta, doc.training);
    if (doc.lesson) meta.set('lesson', newLessonMap(doc.lesson));
    const types = new Map<string, string>();
    for (const n of doc.nodes) {
      nodes.set(n.id, newNodeMap(n));
      types.set(n.id, n.type);
    }
    for (const e of doc.edges)
      edges.set(
        edgeKeyFor(e, types.get(e.target), arity, (k) => edges.has(k)),
        newEdgeMap(e),
      );
  }, opts.origin);
}

function edgeKeyFor(
  e: GraphEdge,
  targetType: string | undefined,
  arity: PortArityResolver,
  taken: (k: string) => boolean,
): string {
  if (arity(targetType, e.targetPort) === 'single') {
    const derived = singleInputEdgeId(e.target, e.targetPort);
    if (!taken(derived)) return derived;
  }
  return freeEdgeId(e.id, taken);
}
