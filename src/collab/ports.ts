/**
 * Whether an input port takes one edge or many, read from the node declarations.
 * The collaborative document keys edges into single-input ports by the port itself,
 * so this decides how two people wiring the same input converge.
 */
import { getNodeDefinition } from '../../nodes/registry';

export type PortArity = 'single' | 'multi';

export type PortArityResolver = (nodeType: string | undefined, port: string) => PortArity;

/** Unknown node types and unknown ports count as single: one edge per input is the safe default. */
export const registryPortArity: PortArityResolver = (nodeType, port) => {
  if (!nodeType) return 'single';
  const def = getNodeDefinition(nodeType);
  const input = def?.inputs.find((p) => p.name === port);
  return input?.multi ? 'multi' : 'single';
};

/** The edge id every client derives for the one edge into a single-input port. */
export function singleInputEdgeId(target: string, targetPort: string): string {
  return `${target}:${targetPort}`;
}
