/**
 * The contract every node type fulfils. A node type is declared once, in one file
 * under nodes/, as data plus pure functions; the palette, inspector, connection
 * checks, compiler, docs panel and the registry contract test all derive from it.
 *
 * Nothing here imports TensorFlow.js at run time: `lower` receives `tf` through its
 * context, so the canvas can load declarations without loading a tensor library.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Diagnostic } from '../compiler/diagnostics';
import type { ParamValue, Params } from '../compiler/document';

export type TF = typeof tfTypes;
export type Tensor = tfTypes.Tensor;
export type Variable = tfTypes.Variable;

/**
 * What flows along an edge. Shapes exclude the batch axis and are channel-last.
 * - map:     real feature map [H, W, C]
 * - complex: complex feature map stored as [H, W, 2C]: the C real parts, then the C
 *            imaginary parts (channel k pairs with channel k + C)
 * - vector:  [D]
 * - code:    a sparse code, [H, W, M] per pixel or [M]
 * - logits:  class scores [N]
 */
export type PortKind = 'map' | 'complex' | 'vector' | 'code' | 'logits';

export interface TensorSpec {
  kind: PortKind;
  shape: number[];
}

export interface PortDef {
  name: string;
  /** Kinds this input accepts, or the kind this output produces. */
  kinds: PortKind[];
  doc: string;
  /** An input that may stay unconnected. */
  optional?: boolean;
  /** An input that takes any number of edges (Add, Concat). */
  multi?: boolean;
}

export type ParamSpec =
  | { kind: 'int'; default: number; min: number; max: number; help: string; label?: string; main?: boolean }
  | { kind: 'number'; default: number; min: number; max: number; help: string; label?: string; main?: boolean; log?: boolean }
  | { kind: 'enum'; default: string; options: readonly string[]; help: string; label?: string; main?: boolean }
  | { kind: 'bool'; default: boolean; help: string; label?: string; main?: boolean }
  | { kind: 'string'; default: string; help: string; label?: string; main?: boolean; maxLength?: number };

export type ParamSpecs = Record<string, ParamSpec>;

/** The params object a declaration's functions receive: every key filled in. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: S[K] extends { kind: 'int' | 'number' } ? number
    : S[K] extends { kind: 'bool' } ? boolean
    : string;
};

export type Category =
  | 'Data'
  | 'Wavelets'
  | 'Nonlinearities'
  | 'Pooling'
  | 'Learned layers'
  | 'Sparse coding'
  | 'Normalization'
  | 'Structure'
  | 'Output';

export interface NodeDoc {
  /** One line, for tooltips and the palette. */
  summary: string;
  /** The formula, in plain text with Unicode maths. */
  formula: string;
  /** The intuition, in words a student follows. */
  intuition: string;
  reference?: string;
}

export interface InferContext {
  nodeId: string;
}

/** Either output specs for every output port, or diagnostics explaining why not. */
export type InferResult =
  | { ok: true; outputs: Record<string, TensorSpec>; paramCount?: ParamCount }
  | { ok: false; diagnostics: Diagnostic[] };

export interface ParamCount {
  trainable: number;
  fixed: number;
}

export interface VariableOptions {
  trainable: boolean;
  /** What the variable is, for the filter gallery and research instruments. */
  role?: 'weight' | 'bias' | 'filter-real' | 'filter-imag' | 'covariance-factor' | 'noise' | 'state' | 'threshold' | 'dictionary';
}

export interface LowerContext {
  tf: TF;
  nodeId: string;
  backend: string;
  /**
   * Create (or, when weights are loaded, reuse) a variable owned by this node. The
   * initializer runs only when no saved value exists for `name`.
   */
  variable(name: string, shape: number[], init: () => Tensor, options: VariableOptions): Variable;
  /**
   * False when nothing upstream of this node has a trainable parameter: no gradient
   * needs to flow back into its inputs, so a node may skip computing it.
   */
  inputsNeedGradient: boolean;
  /** Seeded random numbers, deterministic per (graph seed, node id). */
  random: SeededRandom;
  /**
   * Publish a named intermediate tensor (LISTA step codes, say) so instruments can read
   * it out; ignored unless a read-out was requested. The callee keeps ownership.
   */
  readout(name: string, t: Tensor): void;
}

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  normal(): number;
  /** A fresh integer seed for tf.randomNormal and friends. */
  seed(): number;
}

export interface ApplyMode {
  training: boolean;
  /** Training step counter, for per-step randomness such as dropout. */
  step: number;
}

export interface LoweredNode {
  /** Inputs and outputs carry the batch axis first. */
  apply(inputs: Record<string, Tensor[]>, mode: ApplyMode): Record<string, Tensor>;
}

export interface LowerArgs<P> {
  params: P;
  inputs: Record<string, TensorSpec[]>;
  outputs: Record<string, TensorSpec>;
  ctx: LowerContext;
}

export interface NodeDefinition<S extends ParamSpecs = ParamSpecs> {
  /** Stable type id, written into files. Never rename. */
  type: string;
  /** Version of this declaration; bump it and add a migration when params change. */
  version: number;
  title: string;
  category: Category;
  doc: NodeDoc;
  /**
   * 'input' nodes receive the dataset's images (port "out"); 'loss' nodes take the
   * class scores on port "in". Training needs exactly one of each.
   */
  role?: 'input' | 'loss';
  inputs: PortDef[];
  outputs: PortDef[];
  params: S;
  /**
   * Pure shape inference. `inputs` maps each input port to the specs of the edges
   * into it (one, or several for a multi port; absent when unconnected).
   */
  inferShape(params: ParamValues<S>, inputs: Record<string, TensorSpec[]>, ctx: InferContext): InferResult;
  /** Build variables once and return the forward computation. */
  lower(args: LowerArgs<ParamValues<S>>): LoweredNode;
  /**
   * Optional framework-free forward pass used when the node is frozen (no trainable
   * variable): the training loop then computes a frozen front end with it, once per
   * dataset, instead of through TensorFlow.js. Batch-first, channel-last, the same
   * numbers as `lower`. Only for nodes with one input "in" and one output "out".
   */
  precompute?(params: ParamValues<S>, input: { data: Float32Array; shape: number[] }): Promise<Float32Array> | Float32Array;
  /** Param migrations keyed by the version they upgrade from. */
  migrate?: Record<number, (params: Record<string, ParamValue>) => Record<string, ParamValue>>;
  /**
   * The int param that sets how many neurons (output channels) the node's learned
   * weight has: research instruments that redraw a layer at another width change it.
   */
  widthParam?: keyof S & string;
  /** Extra cross-param checks beyond ranges (rank <= D, say); pure. */
  checkParams?(params: ParamValues<S>, ctx: InferContext): Diagnostic[];
}

/** Helper so each node file gets full type checking of its params. */
export function defineNode<S extends ParamSpecs>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}

export type AnyNodeDefinition = NodeDefinition<ParamSpecs>;
export type { Params, ParamValue };
