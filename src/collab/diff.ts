/**
 * Turns "the document before" and "the document after an edit" into the smallest
 * set of Y operations: changed leaf fields only, never a whole-node replacement, so
 * a concurrent edit to another field of the same node survives.
 */
import * as Y from 'yjs';
import type { GraphDocument, GraphEdge, GraphNode } from '../../document/graph';
import { graphMaps, newEdgeMap, newLessonMap, newNodeMap, cloneValue, writeTraining } from './ydoc';
import type { Lesson } from '../../document/lesson';
import { singleInputEdgeId, type PortArityResolver } from '../../document/edges';

function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function setOrDelete(m: Y.Map<unknown>, key: string, value: unknown): void {
  if (value === undefined) {
    if (m.has(key)) m.delete(key);
  } else if (!jsonEqual(m.get(key), value)) {
    m.set(key, value);
  }
}

function writeNodeFields(m: Y.Map<unknown>, prev: GraphNode, next: GraphNode): void {
  if (next.type !== prev.type) m.set('type', next.type);
  if (next.position.x !== prev.position.x || next.position.y !== prev.position.y) {
    m.set('position', { x: next.position.x, y: next.position.y });
  }
  if (next.label !== prev.label) setOrDelete(m, 'label', next.label);
  if (next.group !== prev.group) setOrDelete(m, 'group', next.group);
  if (next.typeVersion !== prev.typeVersion) setOrDelete(m, 'typeVersion', next.typeVersion);
  if (next.params === prev.params) return;
  let params = m.get('params');
  if (!(params instanceof Y.Map)) {
    params = new Y.Map<unknown>();
    m.set('params', params);
  }
  const p = params as Y.Map<unknown>;
  for (const k of Object.keys(prev.params)) if (!(k in next.params)) p.delete(k);
  for (const [k, v] of Object.entries(next.params)) {
    if (!jsonEqual(prev.params[k], v)) p.set(k, cloneValue(v));
  }
}

function writeEdgeFields(m: Y.Map<unknown>, prev: GraphEdge, next: GraphEdge): void {
  for (const k of ['source', 'sourcePort', 'target', 'targetPort'] as const) if (next[k] !== prev[k]) m.set(k, next[k]);
}

/**
 * Only the steps that changed are rewritten: the unchanged steps at both ends stay,
 * the ones between are replaced (an edit, an insert, a removal or a move of one step).
 */
function writeLesson(meta: Y.Map<unknown>, before: Lesson | undefined, after: Lesson | undefined): void {
  const m = meta.get('lesson');
  if (!after) {
    if (meta.has('lesson')) meta.delete('lesson');
    return;
  }
  const steps = m instanceof Y.Map ? m.get('steps') : undefined;
  if (!before || !(m instanceof Y.Map) || !(steps instanceof Y.Array)) {
    meta.set('lesson', newLessonMap(after));
    return;
  }
  if (after.title !== before.title) setOrDelete(m, 'title', after.title);
  const a = before.steps;
  const b = after.steps;
  // The shared array may hold steps this snapshot skipped as malformed: then it is rewritten whole.
  if (steps.length !== a.length) {
    steps.delete(0, steps.length);
    steps.insert(
      0,
      b.map((s) => structuredClone(s)),
    );
    return;
  }
  let start = 0;
  while (start < a.length && start < b.length && jsonEqual(a[start], b[start])) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && jsonEqual(a[a.length - 1 - end], b[b.length - 1 - end]))
    end++;
  if (a.length - start - end > 0) steps.delete(start, a.length - start - end);
  if (b.length - start - end > 0)
    steps.insert(
      start,
      b.slice(start, b.length - end).map((s) => structuredClone(s)),
    );
}

/** Apply the difference between two documents to the Y.Doc in one transaction. */
export function applyDraft(
  ydoc: Y.Doc,
  before: GraphDocument,
  after: GraphDocument,
  origin: unknown,
  arity: PortArityResolver,
): void {
  if (before === after) return;
  const { nodes, edges, meta } = graphMaps(ydoc);
  ydoc.transact(() => {
    if (after.name !== before.name) setOrDelete(meta, 'name', after.name);
    if (after.description !== before.description) setOrDelete(meta, 'description', after.description);
    if (!jsonEqual(after.groups, before.groups))
      setOrDelete(meta, 'groups', after.groups?.length ? structuredClone(after.groups) : undefined);
    if (!jsonEqual(after.training, before.training)) writeTraining(meta, after.training);
    if (!jsonEqual(after.lesson, before.lesson)) writeLesson(meta, before.lesson, after.lesson);

    const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
    const afterNodeIds = new Set<string>();
    for (const n of after.nodes) {
      afterNodeIds.add(n.id);
      const prev = beforeNodes.get(n.id);
      if (prev === n) continue;
      const m = nodes.get(n.id);
      if (prev && m instanceof Y.Map) writeNodeFields(m, prev, n);
      else nodes.set(n.id, newNodeMap(n));
    }
    for (const id of beforeNodes.keys()) if (!afterNodeIds.has(id)) nodes.delete(id);

    const beforeEdges = new Map(before.edges.map((e) => [e.id, e]));
    const afterEdgeIds = new Set(after.edges.map((e) => e.id));
    for (const id of beforeEdges.keys()) if (!afterEdgeIds.has(id)) edges.delete(id);
    const typeOf = new Map(after.nodes.map((n) => [n.id, n.type]));
    const used = new Set(afterEdgeIds);
    for (const e of after.edges) {
      const prev = beforeEdges.get(e.id);
      if (prev === e) continue;
      const m = edges.get(e.id);
      if (prev && m instanceof Y.Map) {
        writeEdgeFields(m, prev, e);
        continue;
      }
      let key = e.id;
      if (arity(typeOf.get(e.target), e.targetPort) === 'single') {
        const derived = singleInputEdgeId(e.target, e.targetPort);
        if (derived === e.id || !used.has(derived)) key = derived;
      }
      used.add(key);
      edges.set(key, newEdgeMap(e));
    }
  }, origin);
}
