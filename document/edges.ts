/**
 * Edge ids follow the collaborative store's rule: an edge into a single-input port is
 * keyed `${target}:${targetPort}` (so two people connecting the same input collide on
 * one key instead of making two edges); edges into multi ports keep their own ids.
 */
import type { GraphDocument } from '../../../compiler/document';
import { getNodeDefinition } from '../../../nodes/registry';

export function isMultiInput(type: string, port: string): boolean {
  return getNodeDefinition(type)?.inputs.find((p) => p.name === port)?.multi === true;
}

export function edgeIdFor(doc: GraphDocument, source: string, sourcePort: string, target: string, targetPort: string): string {
  const node = doc.nodes.find((n) => n.id === target);
  if (node && !isMultiInput(node.type, targetPort)) return `${target}:${targetPort}`;
  const base = `${source}:${sourcePort}->${target}:${targetPort}`;
  let id = base;
  for (let i = 2; doc.edges.some((e) => e.id === id); i++) id = `${base}#${i}`;
  return id;
}
