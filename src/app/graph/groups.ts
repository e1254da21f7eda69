/**
 * Composite blocks shown open or closed. Expanding a node whose declaration can write
 * itself out as a subgraph (Scattering2D, say) replaces it by its parts (all tagged
 * with node.group and described by one entry in doc.groups); collapsing puts the
 * single node back with the edges that crossed the boundary.
 */
import type { GraphDocument } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import type { TensorSpec } from '../../../nodes/types';
import { defaultParams } from '../../../nodes/params';
import { connect } from './ops';

export function canExpand(type: string): boolean {
  return !!getNodeDefinition(type)?.expand;
}

export function expandGroup(draft: GraphDocument, nodeId: string, inputSpec?: TensorSpec): boolean {
  const node = draft.nodes.find((n) => n.id === nodeId);
  const def = node && getNodeDefinition(node.type);
  if (!node || !def?.expand) return false;
  const params = { ...defaultParams(def.params), ...node.params };
  const frag = def.expand(params as never, inputSpec, {
    idPrefix: `${node.id}/`,
    group: node.id,
    origin: node.position,
  });
  // Make room: everything to the right of the block moves right by the fragment's extra width.
  const right = Math.max(...frag.nodes.map((n) => n.position.x)) - node.position.x;
  for (const n of draft.nodes)
    if (n.id !== node.id && n.position.x > node.position.x) n.position = { x: n.position.x + right, y: n.position.y };
  const incoming = draft.edges.filter((e) => e.target === node.id);
  const outgoing = draft.edges.filter((e) => e.source === node.id);
  draft.nodes = draft.nodes.filter((n) => n.id !== node.id);
  draft.edges = draft.edges.filter((e) => e.target !== node.id && e.source !== node.id);
  draft.nodes.push(...frag.nodes);
  draft.edges.push(...frag.edges);
  draft.groups = [
    ...(draft.groups ?? []).filter((g) => g.id !== node.id),
    { id: node.id, type: node.type, params: { ...node.params }, ...(node.label ? { label: node.label } : {}) },
  ];
  for (const e of incoming)
    for (const ref of frag.inputs[e.targetPort] ?? [])
      connect(draft, { node: e.source, port: e.sourcePort }, { node: ref.node, port: ref.port });
  for (const e of outgoing) {
    const from = frag.outputs[e.sourcePort];
    if (from) connect(draft, { node: from.node, port: from.port }, { node: e.target, port: e.targetPort });
  }
  return true;
}

export function collapseGroup(draft: GraphDocument, groupId: string): boolean {
  const group = draft.groups?.find((g) => g.id === groupId);
  if (!group) return false;
  const members = new Set(draft.nodes.filter((n) => n.group === groupId).map((n) => n.id));
  const first = draft.nodes.find((n) => members.has(n.id));
  const position = first ? { ...first.position } : { x: 0, y: 0 };
  const incoming = draft.edges.filter((e) => members.has(e.target) && !members.has(e.source));
  const outgoing = draft.edges.filter((e) => members.has(e.source) && !members.has(e.target));
  const def = getNodeDefinition(group.type);
  draft.nodes = draft.nodes.filter((n) => !members.has(n.id));
  draft.edges = draft.edges.filter((e) => !members.has(e.source) && !members.has(e.target));
  draft.groups = draft.groups!.filter((g) => g.id !== groupId);
  if (!draft.groups.length) delete draft.groups;
  draft.nodes.push({
    id: groupId,
    type: group.type,
    ...(def ? { typeVersion: def.version } : {}),
    position,
    params: { ...group.params },
    ...(group.label ? { label: group.label } : {}),
  });
  const inPort = def?.inputs[0]?.name ?? 'in';
  const outPort = def?.outputs[0]?.name ?? 'out';
  const seen = new Set<string>();
  for (const e of incoming) {
    const key = `${e.source}:${e.sourcePort}`;
    if (seen.has(key)) continue;
    seen.add(key);
    connect(draft, { node: e.source, port: e.sourcePort }, { node: groupId, port: inPort });
  }
  for (const e of outgoing) connect(draft, { node: groupId, port: outPort }, { node: e.target, port: e.targetPort });
  return true;
}

/** The unrolled steps of an iterative block, for its opened view; none for other types. */
export function unrolledSteps(type: string, params: Record<string, unknown>): string[] {
  const def = getNodeDefinition(type);
  if (!def?.unrolledSteps) return [];
  return def.unrolledSteps({ ...defaultParams(def.params), ...params } as never);
}
