/** Small builders shared by tests: graphs in the document format, tfjs on a backend. */
import type { GraphDocument, GraphEdge, GraphNode, Params } from '../document/graph';

export function node(id: string, type: string, params: Params = {}, x = 0): GraphNode {
  return { id, type, position: { x, y: 0 }, params };
}

export function edge(source: string, target: string, sourcePort = 'out', targetPort = 'in'): GraphEdge {
  return { id: `${source}-${target}`, source, sourcePort, target, targetPort };
}

/** A straight chain of nodes, each feeding the next through out -> in. */
export function chainDoc(nodes: GraphNode[], name = 'test'): GraphDocument {
  const edges = nodes.slice(1).map((n, i) => edge(nodes[i].id, n.id));
  return { format: 'wavegraph', version: 2, name, nodes, edges };
}

export function mlpDoc(hidden = 64): GraphDocument {
  return chainDoc([
    node('input', 'Input', { height: 28, width: 28, channels: 1 }),
    node('flat', 'Flatten'),
    node('fc1', 'Dense', { units: hidden, init: 'he' }),
    node('act', 'ReLU'),
    node('fc2', 'Dense', { units: 10 }),
    node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
  ]);
}
