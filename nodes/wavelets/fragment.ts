/**
 * Shape inference and lowering of a small graph fragment (an expanded composite node)
 * with the node definitions themselves: what the compiler does for a whole graph,
 * reduced to a fragment whose nodes are listed in topological order.
 */
import type { Diagnostic } from '../../document/diagnostics';
import type { GraphEdge } from '../../document/graph';
import type { AnyNodeDefinition, ApplyMode, LowerContext, LoweredNode, ParamCount, Tensor, TensorSpec } from '../types';
import type { Expansion } from './expand-scattering';

type Defs = ReadonlyMap<string, AnyNodeDefinition>;

export interface InferredFragment {
  /** Output specs per node id. */
  outputs: Map<string, Record<string, TensorSpec>>;
  inputs: Map<string, Record<string, TensorSpec[]>>;
  params: Map<string, Record<string, unknown>>;
  out: TensorSpec;
  paramCount: ParamCount;
}

const byId = (a: GraphEdge, b: GraphEdge) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Pure: every node's input and output specs, given the spec entering the fragment. */
export function inferFragment(
  frag: Expansion,
  defs: Defs,
  input: TensorSpec,
): InferredFragment | { diagnostics: Diagnostic[] } {
  const outputs = new Map<string, Record<string, TensorSpec>>();
  const inputs = new Map<string, Record<string, TensorSpec[]>>();
  const params = new Map<string, Record<string, unknown>>();
  const count: ParamCount = { trainable: 0, fixed: 0 };
  const edges = [...frag.edges].sort(byId);
  for (const node of frag.nodes) {
    const def = defs.get(node.type);
    if (!def) throw new Error(`fragment uses unknown node type ${node.type}`);
    const ins: Record<string, TensorSpec[]> = {};
    for (const ref of frag.inputs.in) if (ref.node === node.id) (ins[ref.port] ??= []).push(input);
    for (const e of edges) {
      if (e.target !== node.id) continue;
      const src = outputs.get(e.source)?.[e.sourcePort];
      if (!src) throw new Error(`fragment edge ${e.id} comes from a node not yet inferred`);
      (ins[e.targetPort] ??= []).push(src);
    }
    const p: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(def.params)) p[k] = node.params[k] ?? spec.default;
    const res = def.inferShape(p as never, ins, { nodeId: node.id });
    if (!res.ok) return { diagnostics: res.diagnostics };
    outputs.set(node.id, res.outputs);
    inputs.set(node.id, ins);
    params.set(node.id, p);
    count.trainable += res.paramCount?.trainable ?? 0;
    count.fixed += res.paramCount?.fixed ?? 0;
  }
  const out = outputs.get(frag.outputs.out.node)?.[frag.outputs.out.port];
  if (!out) throw new Error('fragment output is missing');
  return { outputs, inputs, params, out, paramCount: count };
}

/** Lower every node of an inferred fragment; variables are named "<node id>/<name>". */
export function lowerFragment(
  frag: Expansion,
  defs: Defs,
  inferred: InferredFragment,
  ctx: LowerContext,
): (x: Tensor, mode: ApplyMode) => Tensor {
  const edges = [...frag.edges].sort(byId);
  const lowered: { id: string; node: LoweredNode }[] = frag.nodes.map((n) => {
    const sub: LowerContext = {
      ...ctx,
      variable: (name, shape, init, opts) => ctx.variable(`${n.id}/${name}`, shape, init, opts),
    };
    const def = defs.get(n.type)!;
    const node = def.lower({
      params: inferred.params.get(n.id) as never,
      inputs: inferred.inputs.get(n.id)!,
      outputs: inferred.outputs.get(n.id)!,
      ctx: sub,
    });
    return { id: n.id, node };
  });
  return (x, mode) => {
    const values = new Map<string, Record<string, Tensor>>();
    for (const { id, node } of lowered) {
      const ins: Record<string, Tensor[]> = {};
      for (const ref of frag.inputs.in) if (ref.node === id) (ins[ref.port] ??= []).push(x);
      for (const e of edges) if (e.target === id) (ins[e.targetPort] ??= []).push(values.get(e.source)![e.sourcePort]);
      values.set(id, node.apply(ins, mode));
    }
    return values.get(frag.outputs.out.node)![frag.outputs.out.port];
  };
}
