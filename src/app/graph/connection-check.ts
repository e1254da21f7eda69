/**
 * Can this output feed that input? Asked while an edge is being dragged, so it must be
 * cheap and explain itself: the reason is shown to the user when a drop is refused.
 */
import type { GraphDocument } from '../../../document/graph';
import type { Analysis } from '../../../compiler/index';
import { getNodeDefinition } from '../../../nodes/registry';
import type { PortKind } from '../../../nodes/types';
import type { Endpoint } from './ops';

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

/** The kinds an output actually carries: the inferred one when known, else the declared ones. */
export function outputKinds(analysis: Analysis | undefined, nodeId: string, type: string, port: string): PortKind[] {
  const spec = analysis?.shapes.outputs.get(nodeId)?.[port];
  if (spec) return [spec.kind];
  return getNodeDefinition(type)?.outputs.find((p) => p.name === port)?.kinds ?? [];
}

// isValidConnection runs for every handle near the cursor on every frame of a drag; build the adjacency once per document.
const adjacency = new WeakMap<GraphDocument['edges'], Map<string, string[]>>();

function successors(doc: GraphDocument): Map<string, string[]> {
  let out = adjacency.get(doc.edges);
  if (!out) {
    out = new Map();
    for (const e of doc.edges) (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
    adjacency.set(doc.edges, out);
  }
  return out;
}

export function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const out = successors(doc);
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === to) return true;
    for (const m of out.get(n) ?? []) {
      if (seen.has(m)) continue;
      seen.add(m);
      stack.push(m);
    }
  }
  return false;
}

export function checkConnection(
  doc: GraphDocument,
  analysis: Analysis | undefined,
  from: Endpoint,
  to: Endpoint,
): ConnectionVerdict {
  const src = doc.nodes.find((n) => n.id === from.node);
  const dst = doc.nodes.find((n) => n.id === to.node);
  if (!src || !dst) return { ok: false, reason: 'That node no longer exists.' };
  if (src.id === dst.id) return { ok: false, reason: 'A node cannot feed itself.' };
  const srcDef = getNodeDefinition(src.type);
  const dstDef = getNodeDefinition(dst.type);
  const inPort = dstDef?.inputs.find((p) => p.name === to.port);
  if (!srcDef || !dstDef || !inPort) return { ok: false, reason: 'Unknown port.' };
  const kinds = outputKinds(analysis, src.id, src.type, from.port);
  if (!kinds.some((k) => inPort.kinds.includes(k))) {
    return {
      ok: false,
      reason:
        `Kind mismatch: ${dstDef.title} "${inPort.name}" takes ${inPort.kinds.join(' or ')}, but ${srcDef.title} gives ${kinds.join(' or ')}.` +
        (kinds.includes('map') && inPort.kinds.includes('vector')
          ? ' Insert a Flatten first.'
          : kinds.includes('complex')
            ? ' Insert a Modulus first.'
            : ''),
    };
  }
  if (!inPort.multi && doc.edges.some((e) => e.target === dst.id && e.targetPort === inPort.name)) {
    return {
      ok: false,
      reason: `Port taken: ${dstDef.title} "${inPort.name}" already has an edge and takes only one. Delete it first, or merge with Add/Concat.`,
    };
  }
  if (
    doc.edges.some(
      (e) => e.source === src.id && e.sourcePort === from.port && e.target === dst.id && e.targetPort === to.port,
    )
  ) {
    return { ok: false, reason: 'These ports are already connected.' };
  }
  if (reaches(doc, dst.id, src.id))
    return { ok: false, reason: `Would create a cycle: ${dst.id} already feeds ${src.id}.` };
  return { ok: true };
}
