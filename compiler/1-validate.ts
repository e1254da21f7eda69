/**
 * Stage 1: is this a graph we can reason about? Known node types, params in range,
 * edges between ports that exist and fit, required inputs connected, no cycles, and
 * the one Input and one loss node that training needs. Returns a topological order.
 * Pure: no tensors, no I/O.
 */
import { getNodeDefinition } from '../nodes/registry';
import { migrateParams, resolveParams } from '../nodes/params';
import type { AnyNodeDefinition } from '../nodes/types';
import { diag, type Diagnostic } from '../document/diagnostics';
import { findCycles } from './cycles';
import type { GraphDocument, GraphEdge, GraphNode, Params } from '../document/graph';

export interface ValidNode {
  node: GraphNode;
  def: AnyNodeDefinition;
  /** Params with defaults filled in and migrations applied. */
  params: Params;
  /** Edges into each input port, ordered by edge id for a stable order. */
  inputs: Record<string, GraphEdge[]>;
}

export interface Validation {
  diagnostics: Diagnostic[];
  /** Nodes whose type is known, by id. */
  nodes: Map<string, ValidNode>;
  /** Known nodes in an order where every edge goes forward (cycle members left out). */
  order: string[];
  /** Edges whose endpoints and ports exist. */
  edges: GraphEdge[];
  inputNode?: string;
  lossNode?: string;
  /** The Moments node of a statistics model (a graph synthesis matches, not one that trains). */
  momentsNode?: string;
}

export interface ValidateOptions {
  /** Skip the checks that only training needs (one Input, one loss). */
  partial?: boolean;
}

export function validate(doc: GraphDocument, options: ValidateOptions = {}): Validation {
  const diagnostics: Diagnostic[] = [];
  const nodes = new Map<string, ValidNode>();
  const seen = new Set<string>();
  for (const node of doc.nodes) {
    if (seen.has(node.id)) {
      diagnostics.push(
        diag('duplicate-id', 'appears more than once; node ids must be unique.', {
          nodeId: node.id,
          fix: 'Rename one of the nodes.',
        }),
      );
      continue;
    }
    seen.add(node.id);
    const def = getNodeDefinition(node.type);
    if (!def) {
      diagnostics.push(
        diag('unknown-node-type', `has type "${node.type}", which this version of Wavegraph does not know.`, {
          nodeId: node.id,
          fix: 'Check the spelling of the type, or delete the node; the rest of the graph is kept.',
        }),
      );
      continue;
    }
    // A node saved before types had versions is at version 1: its migrations must run.
    const migrated = migrateParams(def, node.typeVersion ?? 1, node.params);
    const resolved = resolveParams(def, node.id, migrated);
    diagnostics.push(...resolved.diagnostics);
    nodes.set(node.id, { node, def, params: resolved.values, inputs: {} });
  }

  const edges: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  for (const e of [...doc.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (edgeIds.has(e.id)) {
      diagnostics.push(diag('duplicate-id', 'appears more than once; edge ids must be unique.', { edgeId: e.id }));
      continue;
    }
    edgeIds.add(e.id);
    const src = nodes.get(e.source);
    const dst = nodes.get(e.target);
    if (!src || !dst) {
      const missing = !src ? e.source : e.target;
      if (!seen.has(missing)) {
        diagnostics.push(
          diag('dangling-edge', `connects to node "${missing}", which does not exist.`, {
            edgeId: e.id,
            fix: 'Delete the edge or restore the node.',
          }),
        );
      }
      continue;
    }
    const outPort = src.def.outputs.find((p) => p.name === e.sourcePort);
    const inPort = dst.def.inputs.find((p) => p.name === e.targetPort);
    if (!outPort) {
      diagnostics.push(
        diag('unknown-port', `has no output "${e.sourcePort}" (edge ${e.id}).`, {
          nodeId: e.source,
          nodeTitle: src.def.title,
          edgeId: e.id,
          fix: `Outputs are: ${src.def.outputs.map((p) => p.name).join(', ') || 'none'}.`,
        }),
      );
      continue;
    }
    if (!inPort) {
      diagnostics.push(
        diag('unknown-port', `has no input "${e.targetPort}" (edge ${e.id}).`, {
          nodeId: e.target,
          nodeTitle: dst.def.title,
          edgeId: e.id,
          fix: `Inputs are: ${dst.def.inputs.map((p) => p.name).join(', ') || 'none'}.`,
        }),
      );
      continue;
    }
    if (!outPort.kinds.some((k) => inPort.kinds.includes(k))) {
      diagnostics.push(
        diag(
          'port-kind-mismatch',
          `input "${inPort.name}" takes ${inPort.kinds.join(' or ')}, but ${src.def.title} "${e.source}" gives ${outPort.kinds.join(' or ')}.`,
          {
            nodeId: e.target,
            nodeTitle: dst.def.title,
            port: inPort.name,
            edgeId: e.id,
            fix: inPort.kinds.includes('moments')
              ? 'Reduce it to moments first with a Statistics node (Spatial mean, Wavelet power spectrum, Cross-scale covariance): moments are averages over positions, which a flattened map is not.'
              : 'Connect an output of a matching kind, or insert a converting node (Modulus for complex maps, Flatten for vectors).',
          },
        ),
      );
      continue;
    }
    const list = (dst.inputs[inPort.name] ??= []);
    if (list.length > 0 && !inPort.multi) {
      diagnostics.push(
        diag(
          'input-port-taken',
          `input "${inPort.name}" already has an edge; it takes only one (edge ${e.id} is extra).`,
          {
            nodeId: e.target,
            nodeTitle: dst.def.title,
            port: inPort.name,
            edgeId: e.id,
            fix: 'Delete one of the edges, or merge the branches with Add or Concatenate first.',
          },
        ),
      );
      continue;
    }
    list.push(e);
    edges.push(e);
  }

  for (const v of nodes.values()) {
    for (const port of v.def.inputs) {
      if (!port.optional && !v.inputs[port.name]?.length) {
        diagnostics.push(
          diag('unconnected-input', `input "${port.name}" is not connected.`, {
            nodeId: v.node.id,
            nodeTitle: v.def.title,
            port: port.name,
            fix: `Drag an edge from a ${port.kinds.join(' or ')} output into "${port.name}".`,
          }),
        );
      }
    }
  }

  const order = topologicalOrder(nodes, edges, diagnostics);
  const result: Validation = { diagnostics, nodes, order, edges };
  const inputs = [...nodes.values()].filter((v) => v.def.role === 'input');
  const losses = [...nodes.values()].filter((v) => v.def.role === 'loss');
  if (inputs.length === 1) result.inputNode = inputs[0].node.id;
  if (losses.length === 1) result.lossNode = losses[0].node.id;
  const moments = [...nodes.values()].filter((v) => v.def.role === 'moments');
  if (moments.length === 1 && losses.length === 0) result.momentsNode = moments[0].node.id;
  if (!options.partial) {
    if (inputs.length === 0)
      diagnostics.push(
        diag('no-input-node', 'The graph has no Input node, so there is nothing to train on.', {
          fix: 'Add an "Input images" node from the Data category.',
        }),
      );
    if (inputs.length > 1) {
      for (const v of inputs.slice(1))
        diagnostics.push(
          diag('too-many-input-nodes', 'is a second Input node; training uses exactly one.', {
            nodeId: v.node.id,
            nodeTitle: v.def.title,
            fix: 'Delete the extra Input node.',
          }),
        );
    }
    checkMoments(moments, losses.length, diagnostics);
    if (losses.length === 0 && moments.length === 0)
      diagnostics.push(
        diag('no-loss-node', 'The graph has no loss node, so training has nothing to minimize.', {
          fix: 'End the network with a "Softmax + cross-entropy" node from the Output category.',
        }),
      );
    if (losses.length > 1) {
      for (const v of losses.slice(1))
        diagnostics.push(
          diag('too-many-loss-nodes', 'is a second loss node; training uses exactly one.', {
            nodeId: v.node.id,
            nodeTitle: v.def.title,
            fix: 'Delete the extra loss node.',
          }),
        );
    }
    if (result.inputNode && (result.lossNode || result.momentsNode)) markUnreachable(result);
  }
  return result;
}

/** How many nodes of a loop its diagnostic names, and how many of its nodes carry it on the canvas. */
const CYCLE_NAMES = 6;
const CYCLE_MARKS = 8;

/** A statistics model ends in one Moments node and has no loss: it is matched by synthesis, not trained. */
function checkMoments(moments: ValidNode[], losses: number, diagnostics: Diagnostic[]) {
  if (moments.length > 0 && losses > 0) {
    for (const v of moments) {
      diagnostics.push(
        diag(
          'mixed-goals',
          'ends a statistics model, but the graph also has a loss node: a graph is either a classifier or a statistics model.',
          {
            nodeId: v.node.id,
            nodeTitle: v.def.title,
            fix: 'Delete the Moments node to train a classifier, or the loss node to synthesize fields.',
          },
        ),
      );
    }
  }
  for (const v of moments.slice(1)) {
    diagnostics.push(
      diag('too-many-moments-nodes', 'is a second Moments node; a statistics model has exactly one.', {
        nodeId: v.node.id,
        nodeTitle: v.def.title,
        fix: 'Connect every moment vector into one Moments node.',
      }),
    );
  }
}

function topologicalOrder(nodes: Map<string, ValidNode>, edges: GraphEdge[], diagnostics: Diagnostic[]): string[] {
  const indegree = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const id of nodes.keys()) {
    indegree.set(id, 0);
    out.set(id, []);
  }
  for (const e of edges) {
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
    out.get(e.source)!.push(e.target);
  }
  const queue = [...nodes.keys()].filter((id) => indegree.get(id) === 0);
  // An index instead of shift(): a long chain must stay linear.
  for (let head = 0; head < queue.length; head++) {
    for (const t of out.get(queue[head])!) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  const order = queue;
  if (order.length < nodes.size) {
    const placed = new Set(order);
    const left = [...nodes.keys()].filter((id) => !placed.has(id));
    // Nodes downstream of a loop are left out of the order too, but only loop members are reported.
    for (const cycle of findCycles(left, out)) {
      const shown = cycle.loop.slice(0, CYCLE_NAMES);
      const path = [...shown, cycle.loop.length > CYCLE_NAMES ? '…' : cycle.loop[0]].join(' → ');
      const size = cycle.members.length === 1 ? 'a loop onto itself' : `a cycle of ${cycle.members.length} nodes`;
      for (const id of cycle.members.slice(0, CYCLE_MARKS)) {
        diagnostics.push(
          diag('cycle', `is part of ${size} (${path}): data would flow around in a loop.`, {
            nodeId: id,
            nodeTitle: nodes.get(id)!.def.title,
            fix: 'Delete one of the edges that goes back to an earlier node.',
          }),
        );
      }
    }
  }
  return order;
}

function markUnreachable(v: Validation) {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const e of v.edges) {
    (forward.get(e.source) ?? forward.set(e.source, []).get(e.source)!).push(e.target);
    (backward.get(e.target) ?? backward.set(e.target, []).get(e.target)!).push(e.source);
  }
  const reach = (start: string, adj: Map<string, string[]>) => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length) {
      for (const n of adj.get(stack.pop()!) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(n);
      }
    }
    return seen;
  };
  const fromInput = reach(v.inputNode!, forward);
  const goal = (v.lossNode ?? v.momentsNode)!;
  const end = v.lossNode ? 'the loss' : 'the Moments node';
  const toLoss = reach(goal, backward);
  if (!fromInput.has(goal)) {
    v.diagnostics.push(
      diag('unreachable-node', 'is not connected to the Input through the network, so it never receives data.', {
        nodeId: goal,
        nodeTitle: v.nodes.get(goal)!.def.title,
        fix: 'Connect a path of layers from the Input to the loss.',
      }),
    );
  }
  for (const [id, n] of v.nodes) {
    if (!fromInput.has(id) || !toLoss.has(id)) {
      v.diagnostics.push(
        diag(
          'unreachable-node',
          `is not on a path from the Input to ${end}, so ${v.lossNode ? 'training' : 'synthesis'} ignores it.`,
          {
            nodeId: id,
            nodeTitle: n.def.title,
            severity: 'warning',
            fix: `Connect it between the Input and ${end}, or delete it.`,
          },
        ),
      );
    }
  }
}
