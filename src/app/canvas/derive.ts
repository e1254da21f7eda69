/**
 * React Flow's nodes and edges, derived from the graph document and its analysis.
 * A node's view object keeps its identity while nothing it shows has changed, so a
 * memoised node component re-renders only when its own title, shapes or problems do.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Analysis, Diagnostic } from '../../../compiler/index';
import type { GraphDocument, GraphNode } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import type { AnyNodeDefinition, ParamCount, TensorSpec } from '../../../nodes/types';

export interface NodeView {
  node: GraphNode;
  def?: AnyNodeDefinition;
  /** Spec arriving at each input port (the first edge's, for multi ports). */
  inputs: Record<string, TensorSpec | undefined>;
  outputs?: Record<string, TensorSpec>;
  paramCount?: ParamCount;
  diagnostics: Diagnostic[];
}

export type FlowNode = Node<{ view: NodeView }, 'graph'>;
export type FlowEdge = Edge<{ spec?: TensorSpec; invalid?: string }, 'shape'>;

export function diagnosticsByNode(analysis: Analysis): Map<string, Diagnostic[]> {
  const m = new Map<string, Diagnostic[]>();
  for (const d of analysis.diagnostics) if (d.nodeId) (m.get(d.nodeId) ?? m.set(d.nodeId, []).get(d.nodeId)!).push(d);
  return m;
}

function sameView(a: NodeView, b: NodeView): boolean {
  return (
    a.node === b.node &&
    a.def === b.def &&
    JSON.stringify([a.inputs, a.outputs, a.paramCount, a.diagnostics]) ===
      JSON.stringify([b.inputs, b.outputs, b.paramCount, b.diagnostics])
  );
}

/** Views for every node, reusing `previous` entries that have not changed. */
export function deriveViews(
  doc: GraphDocument,
  analysis: Analysis,
  previous: Map<string, NodeView>,
): Map<string, NodeView> {
  const diags = diagnosticsByNode(analysis);
  const inSpecs = new Map<string, Record<string, TensorSpec | undefined>>();
  for (const e of doc.edges) {
    const spec = analysis.shapes.edges.get(e.id);
    const rec = inSpecs.get(e.target) ?? inSpecs.set(e.target, {}).get(e.target)!;
    if (!(e.targetPort in rec) || (!rec[e.targetPort] && spec)) rec[e.targetPort] = spec;
  }
  const out = new Map<string, NodeView>();
  for (const node of doc.nodes) {
    const view: NodeView = {
      node,
      def: getNodeDefinition(node.type),
      inputs: inSpecs.get(node.id) ?? {},
      outputs: analysis.shapes.outputs.get(node.id),
      paramCount: analysis.shapes.paramCounts.get(node.id),
      diagnostics: diags.get(node.id) ?? [],
    };
    const prev = previous.get(node.id);
    out.set(node.id, prev && sameView(prev, view) ? prev : view);
  }
  return out;
}

/** Merge document-derived state into the previous flow nodes, keeping measured sizes. */
export function reconcileNodes(
  prev: FlowNode[],
  doc: GraphDocument,
  views: Map<string, NodeView>,
  selected: ReadonlySet<string>,
): FlowNode[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  let changed = prev.length !== doc.nodes.length;
  const next = doc.nodes.map((g, i) => {
    const view = views.get(g.id)!;
    const old = byId.get(g.id);
    const isSel = selected.has(g.id);
    if (
      old &&
      old.data.view === view &&
      old.position.x === g.position.x &&
      old.position.y === g.position.y &&
      !!old.selected === isSel
    ) {
      if (prev[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return {
      ...(old ?? {}),
      id: g.id,
      type: 'graph' as const,
      position: { x: g.position.x, y: g.position.y },
      data: { view },
      selected: isSel,
      dragging: false,
    } as FlowNode;
  });
  return changed ? next : prev;
}

export function deriveEdges(doc: GraphDocument, analysis: Analysis, selectedEdges: ReadonlySet<string>): FlowEdge[] {
  const bad = new Map<string, string>();
  for (const d of analysis.diagnostics) if (d.edgeId) bad.set(d.edgeId, d.message);
  return doc.edges.map((e) => ({
    id: e.id,
    type: 'shape' as const,
    source: e.source,
    sourceHandle: e.sourcePort,
    target: e.target,
    targetHandle: e.targetPort,
    selected: selectedEdges.has(e.id),
    data: { spec: analysis.shapes.edges.get(e.id), invalid: bad.get(e.id) },
  }));
}
