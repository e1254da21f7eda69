/**
 * The one rule for edge ids, shared by the editor and the collaborative document. An
 * edge into a single-input port is keyed `${target}:${targetPort}`, so two people
 * wiring the same input collide on one key instead of making two edges. An edge into
 * a multi-input port (Add, Concat) is keyed by both ends,
 * `${source}:${sourcePort}->${target}:${targetPort}`; a key already taken gets `#2`,
 * `#3`... Ids are opaque once written: a file whose ids follow an older rule (`~2`
 * suffixes, random ids) opens and keeps them.
 *
 * Whether a port takes one edge or many is the node types' knowledge, so callers pass
 * it in (nodes/registry.ts has `portArity`).
 */
import type { GraphDocument } from './graph';

export type PortArity = 'single' | 'multi';

export type PortArityResolver = (nodeType: string | undefined, port: string) => PortArity;

/** The edge id every client derives for the one edge into a single-input port. */
export function singleInputEdgeId(target: string, targetPort: string): string {
  return `${target}:${targetPort}`;
}

/** `base`, or `base#2`, `base#3`... whichever is not taken. */
export function freeEdgeId(base: string, taken: (id: string) => boolean): string {
  let id = base;
  for (let i = 2; taken(id); i++) id = `${base}#${i}`;
  return id;
}

/** The id a new edge gets in `doc`. */
export function edgeIdFor(
  doc: GraphDocument,
  source: string,
  sourcePort: string,
  target: string,
  targetPort: string,
  arity: PortArityResolver,
): string {
  const node = doc.nodes.find((n) => n.id === target);
  if (node && arity(node.type, targetPort) === 'single') return singleInputEdgeId(target, targetPort);
  return freeEdgeId(`${source}:${sourcePort}->${target}:${targetPort}`, (id) => doc.edges.some((e) => e.id === id));
}
