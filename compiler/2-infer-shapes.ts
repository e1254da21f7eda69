/**
 * Stage 2: a concrete shape on every port. Runs on every edit in the editor, so it is
 * pure and cheap: one call of each node's inferShape in topological order. From the
 * shapes it estimates the memory training needs and refuses a graph over the budget.
 */
import type { ParamCount, TensorSpec } from '../nodes/types';
import type { Diagnostic } from '../document/diagnostics';
import type { Validation } from './1-validate';
import { estimateMemory, memoryDiagnostic, type MemoryEstimate } from './memory';

export interface ShapeInfo {
  diagnostics: Diagnostic[];
  /** Output specs per node, per output port. Missing when upstream failed. */
  outputs: Map<string, Record<string, TensorSpec>>;
  /** The spec carried by each edge, for edge labels. */
  edges: Map<string, TensorSpec>;
  paramCounts: Map<string, ParamCount>;
  total: ParamCount;
  memory: MemoryEstimate;
}

/** `batchSize`: what training will use, for the memory estimate (analyze picks it). */
export function inferShapes(v: Validation, options: { batchSize: number }): ShapeInfo {
  const diagnostics: Diagnostic[] = [];
  const outputs = new Map<string, Record<string, TensorSpec>>();
  const edges = new Map<string, TensorSpec>();
  const paramCounts = new Map<string, ParamCount>();
  const total: ParamCount = { trainable: 0, fixed: 0 };
  for (const id of v.order) {
    const n = v.nodes.get(id)!;
    const inputs: Record<string, TensorSpec[]> = {};
    let ready = true;
    for (const [port, list] of Object.entries(n.inputs)) {
      const specs: TensorSpec[] = [];
      for (const e of list) {
        const spec = outputs.get(e.source)?.[e.sourcePort];
        if (!spec) ready = false;
        else specs.push(spec);
      }
      inputs[port] = specs;
    }
    for (const port of n.def.inputs) if (!port.optional && !inputs[port.name]?.length) ready = false;
    if (!ready) continue; // validation or an upstream node already reported why
    const r = n.def.inferShape(n.params as never, inputs, { nodeId: id });
    if (!r.ok) {
      for (const d of r.diagnostics) diagnostics.push({ nodeTitle: n.def.title, ...d, nodeId: d.nodeId ?? id });
      continue;
    }
    outputs.set(id, r.outputs);
    if (r.paramCount) {
      paramCounts.set(id, r.paramCount);
      total.trainable += r.paramCount.trainable;
      total.fixed += r.paramCount.fixed;
    }
    for (const list of Object.values(n.inputs)) {
      for (const e of list) {
        const spec = outputs.get(e.source)?.[e.sourcePort];
        if (spec) edges.set(e.id, spec);
      }
    }
  }
  const memory = estimateMemory(outputs, total, options.batchSize);
  const tooBig = memoryDiagnostic(memory, outputs, paramCounts, (id) => v.nodes.get(id)?.def.title);
  if (tooBig) diagnostics.push(tooBig);
  return { diagnostics, outputs, edges, paramCounts, total, memory };
}
