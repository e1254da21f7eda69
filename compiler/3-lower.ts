/**
 * Stage 3: the typed graph becomes a TensorFlow.js model: variables created once,
 * and a forward function that runs the nodes in topological order. Only this stage
 * and the training loop touch tensors.
 */
import type { LoweredNode, Tensor, TF, Variable, VariableOptions } from '../nodes/types';
import { seededRandom } from '../nodes/math/random';
import { diag, type Diagnostic } from '../document/diagnostics';
import type { Validation } from './1-validate';
import type { ShapeInfo } from './2-infer-shapes';

export interface ModelVariable {
  /** `${nodeId}/${name}`: stable across compiles, used for saved weights. */
  key: string;
  nodeId: string;
  name: string;
  variable: Variable;
  trainable: boolean;
  role?: VariableOptions['role'];
}

export interface ForwardOptions {
  training: boolean;
  step?: number;
  /** Collect these nodes' outputs (all ports) into the result. */
  keep?: ReadonlySet<string>;
  /** Collect named read-outs published by nodes (LISTA steps, say). */
  readouts?: boolean;
  /**
   * Start from precomputed outputs of some nodes (a cached frozen front end): nodes
   * whose outputs are given are not run, nor is anything only they depend on.
   */
  preset?: Map<string, Record<string, Tensor>>;
}

export interface ForwardResult {
  logits: Tensor;
  kept: Map<string, Record<string, Tensor>>;
  readouts: Map<string, Tensor>;
}

export interface CompiledModel {
  tf: TF;
  backend: string;
  variables: ModelVariable[];
  trainableVariables: Variable[];
  inputNode: string;
  /** The loss node; for a statistics model, its Moments node (which runs: its output is the logits). */
  lossNode: string;
  /** Set for a statistics model: `logits` are then its moment vector. */
  momentsNode?: string;
  /** The node feeding the loss, whose output is the logits. */
  logitsSource: { node: string; port: string };
  /** Nodes in run order. */
  order: string[];
  /** The validated graph and its shapes, for walking the graph. */
  validation: Validation;
  shapes: ShapeInfo;
  /** Edges in use, for walking the graph. */
  edges: import('../document/graph').GraphEdge[];
  /**
   * x: [B, H, W, C] images, or null when `preset` covers the Input. Call inside
   * tf.tidy (or minimize).
   */
  forward(x: Tensor | null, options: ForwardOptions): ForwardResult;
  /**
   * The outputs (all ports) of `nodes` alone: runs only the nodes they depend on, not
   * the rest of the graph (a frozen front end, a map under inspection). Same inputs
   * and options as forward, which computes every node.
   */
  outputs(
    x: Tensor | null,
    nodes: ReadonlySet<string>,
    options: Omit<ForwardOptions, 'keep'>,
  ): Map<string, Record<string, Tensor>>;
  /** Nodes with no trainable variable and no training-only behaviour upstream. */
  frozenPrefix(): string[];
  /** Identity of a set of nodes: their types, params and the edges among them. */
  describe(nodeIds: string[]): string;
  dispose(): void;
}

export interface LowerOptions {
  tf: TF;
  seed: number;
  /** Saved values by variable key; shapes must match. */
  weights?: Map<string, Tensor>;
  /** 'synthesis' builds a statistics model (ending in Moments); the default, 'train', refuses one. */
  goal?: 'train' | 'synthesis';
}

let compileCounter = 0;

export function lower(
  v: Validation,
  shapes: ShapeInfo,
  opts: LowerOptions,
): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const { tf } = opts;
  const diagnostics: Diagnostic[] = [];
  const statistics = opts.goal !== 'synthesis' ? notTrainable(v) : undefined;
  if (statistics) return { diagnostics: [statistics] };
  const goalNode = opts.goal === 'synthesis' ? v.momentsNode : v.lossNode;
  if (!v.inputNode || !goalNode) {
    const what = opts.goal === 'synthesis' ? 'one Moments node (a statistics model)' : 'one loss node';
    return {
      diagnostics: [diag('lower-failed', `The graph needs exactly one Input and ${what} before it can be built.`)],
    };
  }
  const prefix = `wg${++compileCounter}`;
  const variables: ModelVariable[] = [];
  const lowered = new Map<string, LoweredNode>();
  const backend = tf.getBackend();
  const readoutSink: { active: Map<string, Tensor> | null } = { active: null };

  // Nodes with nothing trainable at or before them: gradients never need to reach them.
  const constant = new Set<string>();
  for (const id of v.order) {
    const n = v.nodes.get(id)!;
    const own = shapes.paramCounts.get(id)?.trainable ?? 0;
    if (
      own === 0 &&
      Object.values(n.inputs)
        .flat()
        .every((e) => constant.has(e.source))
    )
      constant.add(id);
  }

  for (const id of v.order) {
    const n = v.nodes.get(id)!;
    const outputs = shapes.outputs.get(id);
    if (!outputs) {
      return {
        diagnostics: [
          diag('lower-failed', 'has no known output shape; fix the problems above first.', {
            nodeId: id,
            nodeTitle: n.def.title,
          }),
        ],
      };
    }
    const inputs: Record<string, import('../nodes/types').TensorSpec[]> = {};
    for (const [port, list] of Object.entries(n.inputs))
      inputs[port] = list.map((e) => shapes.outputs.get(e.source)![e.sourcePort]);
    try {
      const node = n.def.lower({
        params: n.params as never,
        inputs,
        outputs,
        ctx: {
          tf,
          nodeId: id,
          backend,
          inputsNeedGradient: !Object.values(n.inputs)
            .flat()
            .every((e) => constant.has(e.source)),
          random: seededRandom(hashSeed(opts.seed, id)),
          readout: (name, t) => {
            if (readoutSink.active) readoutSink.active.set(`${id}/${name}`, t);
          },
          variable: (name, shape, init, options) => {
            const key = `${id}/${name}`;
            const saved = opts.weights?.get(key);
            if (saved && saved.shape.join() !== shape.join()) {
              throw new WeightsMismatch(
                `saved weight "${key}" has shape [${saved.shape}] but the graph needs [${shape}]`,
              );
            }
            const value = saved ? saved.clone() : tf.tidy(init);
            const variable = tf.variable(value, options.trainable, `${prefix}/${key}`);
            value.dispose();
            variables.push({ key, nodeId: id, name, variable, trainable: options.trainable, role: options.role });
            return variable;
          },
        },
      });
      lowered.set(id, node);
    } catch (e) {
      for (const mv of variables) mv.variable.dispose();
      const message = e instanceof Error ? e.message : String(e);
      const code = e instanceof WeightsMismatch ? 'weights-mismatch' : 'lower-failed';
      return { diagnostics: [diag(code, `could not be built: ${message}.`, { nodeId: id, nodeTitle: n.def.title })] };
    }
  }

  const lossInputs = v.nodes.get(goalNode)!.inputs.in ?? [];
  const logitsSource = v.momentsNode
    ? { node: goalNode, port: 'out' }
    : { node: lossInputs[0].source, port: lossInputs[0].sourcePort };

  /** Runs the graph's nodes in order (only those in `needed` when given). */
  const run = (x: Tensor | null, fo: Omit<ForwardOptions, 'keep'>, needed?: ReadonlySet<string>) => {
    const values = new Map<string, Record<string, Tensor>>(fo.preset ?? []);
    const readouts = new Map<string, Tensor>();
    readoutSink.active = fo.readouts ? readouts : null;
    const mode = { training: fo.training, step: fo.step ?? 0 };
    try {
      for (const id of v.order) {
        if (values.has(id) || id === v.lossNode || (needed && !needed.has(id))) continue;
        const n = v.nodes.get(id)!;
        const ins: Record<string, Tensor[]> = {};
        for (const [port, list] of Object.entries(n.inputs))
          ins[port] = list.map((e) => values.get(e.source)![e.sourcePort]);
        if (id === v.inputNode) {
          if (!x) throw new Error('forward() needs images when the Input is not preset');
          ins.data = [x];
        }
        values.set(id, lowered.get(id)!.apply(ins, mode));
      }
    } finally {
      readoutSink.active = null;
    }
    return { values, readouts };
  };

  const model: CompiledModel = {
    tf,
    backend,
    variables,
    trainableVariables: variables.filter((mv) => mv.trainable).map((mv) => mv.variable),
    inputNode: v.inputNode,
    lossNode: goalNode,
    momentsNode: v.momentsNode,
    logitsSource,
    order: v.order,
    validation: v,
    shapes,
    edges: v.edges,
    forward(x, fo) {
      const { values, readouts } = run(x, fo);
      const kept = new Map<string, Record<string, Tensor>>();
      for (const id of fo.keep ?? []) {
        const val = values.get(id);
        if (val) kept.set(id, val);
      }
      return { logits: values.get(logitsSource.node)![logitsSource.port], kept, readouts };
    },
    outputs(x, nodes, fo) {
      const needed = new Set<string>();
      const visit = (id: string) => {
        if (needed.has(id) || !v.nodes.has(id)) return;
        needed.add(id);
        if (fo.preset?.has(id)) return;
        for (const list of Object.values(v.nodes.get(id)!.inputs)) for (const e of list) visit(e.source);
      };
      for (const id of nodes) visit(id);
      const { values } = run(x, fo, needed);
      const out = new Map<string, Record<string, Tensor>>();
      for (const id of nodes) {
        const val = values.get(id);
        if (val) out.set(id, val);
      }
      return out;
    },
    frozenPrefix() {
      // A node is frozen when it has no trainable variable, no training-only
      // behaviour, and every input comes from a frozen node.
      const frozen = new Set<string>();
      for (const id of v.order) {
        const n = v.nodes.get(id)!;
        if (id === v.lossNode) continue;
        const ownTrainable = variables.some((mv) => mv.nodeId === id && mv.trainable);
        // A node that behaves differently in training (noise, batch statistics) must run every step.
        if (ownTrainable || n.def.differsInTraining) continue;
        const ins = Object.values(n.inputs).flat();
        if (ins.every((e) => frozen.has(e.source))) frozen.add(id);
      }
      return v.order.filter((id) => frozen.has(id));
    },
    describe(nodeIds) {
      const set = new Set(nodeIds);
      const nodes = nodeIds.map((id) => {
        const n = v.nodes.get(id)!;
        return [id, n.def.type, n.def.version, Object.entries(n.params).sort()];
      });
      const edges = v.edges
        .filter((e) => set.has(e.source) && set.has(e.target))
        .map((e) => [e.source, e.sourcePort, e.target, e.targetPort]);
      return JSON.stringify({ nodes, edges });
    },
    dispose() {
      for (const node of lowered.values()) node.dispose?.();
      for (const mv of variables) mv.variable.dispose();
    },
  };
  return { model, diagnostics };
}

class WeightsMismatch extends Error {}

/**
 * Why a graph cannot be trained because it is a statistics model (it ends in Moments),
 * or undefined. Training checks it before loading any dataset, so the message is this
 * one rather than a dataset that does not fit.
 */
export function notTrainable(v: Validation): Diagnostic | undefined {
  if (!v.momentsNode) return undefined;
  return diag(
    'statistics-model',
    'This graph is a statistics model: it ends in Moments, with no loss and no labels, so there is nothing to train.',
    {
      nodeId: v.momentsNode,
      fix: 'Open Synthesis (or run `wavegraph synthesize`) to draw fields whose moments match a target; to train a classifier, end the graph with a loss node instead.',
    },
  );
}

/** FNV-1a of the node id mixed with the graph seed: per-node streams that do not shift when nodes are added. */
export function hashSeed(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
