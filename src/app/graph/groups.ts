/**
 * Composite blocks shown open or closed. Expanding a Scattering2D node replaces it by
 * its parts (all tagged with node.group and described by one entry in doc.groups);
 * collapsing puts the single node back with the edges that crossed the boundary.
 */
import type { GraphDocument } from '../../../compiler/document';
import { expandScattering2D, type Expansion } from '../../../nodes/wavelets/expand-scattering';
import { getNodeDefinition } from '../../../nodes/registry';
import type { TensorSpec } from '../../../nodes/types';
import { defaultParams } from '../../../nodes/params';
import { connect } from './ops';

type Expander = (params: Record<string, unknown>, input: TensorSpec | undefined, prefix: string, group: string, origin: { x: number; y: number }) => Expansion;

const expanders: Record<string, Expander> = {
  Scattering2D: (p, input, idPrefix, group, origin) =>
    expandScattering2D({ J: Number(p.J ?? 2), L: Number(p.L ?? 8), maxOrder: Number(p.maxOrder ?? 2) }, input, { idPrefix, group, origin }),
};

export function canExpand(type: string): boolean {
  return type in expanders;
}

export function expandGroup(draft: GraphDocument, nodeId: string, inputSpec?: TensorSpec): boolean {
  const node = draft.nodes.find((n) => n.id === nodeId);
  if (!node || !expanders[node.type]) return false;
  const def = getNodeDefinition(node.type);
  const params = { ...(def ? defaultParams(def.params) : {}), ...node.params };
  const frag = expanders[node.type](params, inputSpec, `${node.id}/`, node.id, node.position);
  // Make room: everything to the right of the block moves right by the fragment's extra width.
  const right = Math.max(...frag.nodes.map((n) => n.position.x)) - node.position.x;
  for (const n of draft.nodes) if (n.id !== node.id && n.position.x > node.position.x) n.position = { x: n.position.x + right, y: n.position.y };
  const incoming = draft.edges.filter((e) => e.target === node.id);
  const outgoing = draft.edges.filter((e) => e.source === node.id);
  draft.nodes = draft.nodes.filter((n) => n.id !== node.id);
  draft.edges = draft.edges.filter((e) => e.target !== node.id && e.source !== node.id);
  draft.nodes.push(...frag.nodes);
  draft.edges.push(...frag.edges);
  draft.groups = [...(draft.groups ?? []).filter((g) => g.id !== node.id), { id: node.id, type: node.type, params: { ...node.params }, ...(node.label ? { label: node.label } : {}) }];
  for (const e of incoming) for (const ref of frag.inputs.in) connect(draft, { node: e.source, port: e.sourcePort }, { node: ref.node, port: ref.port });
  for (const e of outgoing) connect(draft, { node: frag.outputs.out.node, port: frag.outputs.out.port }, { node: e.target, port: e.targetPort });
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
  draft.nodes.push({ id: groupId, type: group.type, ...(def ? { typeVersion: def.version } : {}), position, params: { ...group.params }, ...(group.label ? { label: group.label } : {}) });
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

/** The unrolled steps of an iterative block, for its expanded view. */
export function unrolledSteps(type: string, params: Record<string, unknown>): string[] {
  if (type !== 'LISTA') return [];
  const key = ['steps', 'iterations', 'K', 'layers', 'unroll'].find((k) => typeof params[k] === 'number');
  const k = key ? Number(params[key]) : 0;
  const steps = ['z₀ = soft_θ(W_e x)'];
  for (let i = 1; i <= k; i++) steps.push(`z${sub(i)} = soft_θ(W_e x + S z${sub(i - 1)})`);
  return steps;
}

function sub(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
