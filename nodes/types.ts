/**
 * The contract every node type fulfils. A node type is declared once, in one file
 * under nodes/, as data plus pure functions; the palette, inspector, connection
 * checks, compiler, docs panel and the registry contract test all derive from it.
 *
 * Nothing here imports TensorFlow.js at run time: `lower` receives `tf` through its
 * context, so the canvas can load declarations without loading a tensor library.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Diagnostic } from '../document/diagnostics';
import type { GraphEdge, GraphNode, ParamValue, Params } from '../document/graph';

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
 * - moments: a vector [D] of averages over positions (a statistics model's moments):
 *            the same for a field and its shifted copy, unlike a flattened map
 */
export type PortKind = 'map' | 'complex' | 'vector' | 'code' | 'logits' | 'moments';

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
  | {
      kind: 'number';
      default: number;
      min: number;
      max: number;
      help: string;
      label?: string;
      main?: boolean;
      log?: boolean;
    }
  | { kind: 'enum'; default: string; options: readonly string[]; help: string; label?: string; main?: boolean }
  | { kind: 'bool'; default: boolean; help: string; label?: string; main?: boolean }
  | { kind: 'string'; default: string; help: string; label?: string; main?: boolean; maxLength?: number };

export type ParamSpecs = Record<string, ParamSpec>;

/** The params object a declaration's functions receive: every key filled in. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: ParamValueOf<S[K]>;
};

/** Distributes over a union of specs, so the params of any declaration are ParamValues<ParamSpecs>. */
type ParamValueOf<T> = T extends { kind: 'int' | 'number' } ? number : T extends { kind: 'bool' } ? boolean : string;

export type Category =
  | 'Data'
  | 'Wavelets'
  | 'Nonlinearities'
  | 'Pooling'
  | 'Learned layers'
  | 'Sparse coding'
  | 'Normalization'
  | 'Statistics'
  | 'Structure'
  | 'Output';

/** Where each category's section stands in the palette; a category left out fails to compile. */
export const categoryOrder: Record<Category, number> = {
  Data: 0,
  Wavelets: 1,
  Nonlinearities: 2,
  Pooling: 3,
  'Learned layers': 4,
  'Sparse coding': 5,
  Normalization: 6,
  Statistics: 7,
  Structure: 8,
  Output: 9,
};

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

/**
 * Faster versions of framework-free transforms that a platform offers to `precompute`
 * (the scattering on every core, say): named by what they compute, so a node type asks
 * for a capability and never a platform for its type.
 */
export interface PrecomputeKernels {
  /** (B, H, W) images -> (B, K, h, w) scattering coefficients, as nodes/math/scattering-fast computes them. */
  scattering?(
    images: Float32Array,
    B: number,
    H: number,
    W: number,
    o: { J: number; L: number; maxOrder: 1 | 2 },
  ): Float32Array | Promise<Float32Array>;
}
/** Either output specs for every output port, or diagnostics explaining why not. */
export type InferResult =
  { ok: true; outputs: Record<string, TensorSpec>; paramCount?: ParamCount } | { ok: false; diagnostics: Diagnostic[] };

export interface ParamCount {
  trainable: number;
  fixed: number;
}

export interface VariableOptions {
  trainable: boolean;
  /** What the variable is, for the filter gallery and research instruments. */
  role?:
    | 'weight'
    | 'bias'
    | 'filter-real'
    | 'filter-imag'
    | 'covariance-factor'
    | 'noise'
    | 'state'
    | 'threshold'
    | 'dictionary';
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
  /** Frees tensors the node keeps between calls (not its variables), when the model is disposed. */
  dispose?(): void;
}

export interface LowerArgs<P> {
  params: P;
  inputs: Record<string, TensorSpec[]>;
  outputs: Record<string, TensorSpec>;
  ctx: LowerContext;
}

export interface NodeDefinition<S extends ParamSpecs = ParamSpecs> extends NodeBehaviour<S> {
  /** Stable type id, written into files. Never rename. */
  type: string;
  /** Version of this declaration; bump it and add a migration when params change. */
  version: number;
  title: string;
  category: Category;
  doc: NodeDoc;
  /**
   * 'input' nodes receive the dataset's images (port "out"); 'loss' nodes take the
   * class scores on port "in". Training needs exactly one of each. A 'moments' node
   * ends a statistics model instead of a loss: its output is the moment vector that
   * synthesis matches (there are no labels, so such a graph is not trained).
   */
  role?: 'input' | 'loss' | 'moments';
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
  precompute?(
    params: ParamValues<S>,
    input: { data: Float32Array; shape: number[] },
    kernels?: PrecomputeKernels,
  ): Promise<Float32Array> | Float32Array;
  /** Param migrations keyed by the version they upgrade from. */
  migrate?: Record<number, (params: Record<string, ParamValue>) => Record<string, ParamValue>>;
  /** Extra cross-param checks beyond ranges (rank <= D, say); pure. */
  checkParams?(params: ParamValues<S>, ctx: InferContext): Diagnostic[];
  /**
   * A loss other than softmax cross-entropy over one score per class: its batch loss,
   * its prediction and how it groups the dataset's classes (compiler/4-train.ts reads it).
   */
  objective?: LossObjective<ParamValues<S>>;
  /** How the node is written as PyTorch code (compiler/export walks these). */
  pytorch?: PytorchWriter<ParamValues<S>>;
  /** How the node is written as ONNX operators, for inference. */
  onnx?: OnnxWriter<ParamValues<S>>;
}

/** What a loss node's declaration says about training, when it is not softmax cross-entropy. */
export interface LossObjective<P> {
  /** Mean loss of a batch: scores [B, k] and labels [B] (int32, in the loss's own classes). */
  loss(tf: TF, scores: Tensor, labels: Tensor, params: P): Tensor;
  /** The class each row of scores predicts, int32 [B]. */
  predict(tf: TF, scores: Tensor, params: P): Tensor;
  /**
   * The loss's classes from the dataset's: `groupOf[c]` is the class the loss trains
   * dataset class c as (a binary split, say); or why this dataset does not fit.
   */
  classes(params: P, data: { name: string; classes: number; classNames: string[] }): LossClasses | LossMisfit;
}

export interface LossClasses {
  groupOf: number[];
  names: string[];
}

export interface LossMisfit {
  problem: string;
  fix: string;
}

/**
 * How a weight that reads the input channels lays out its axes, so instruments can read
 * it as a matrix of N neurons by D inputs:
 * - units-last:        [D, N], y = x W (a dense layer)
 * - kernel:            [kh, kw, C_in, N], a convolution; a neuron's inputs are its kh kw C_in taps
 * - covariance-factor: [r, D], a factor Q of the neurons' covariance C = QᵀQ; the N neurons
 *                      are fixed Gaussian noise [N, r] (the variable with role 'noise') times Q
 */
export type WeightLayout = 'units-last' | 'kernel' | 'covariance-factor';

/** How resampling draws a fresh layer with the learned covariance (at any width). */
export type Redraw =
  /** Draw new Gaussian weights W~ = G S Vᵀ / √N from the SVD W = U S Vᵀ of the input weight. */
  | { kind: 'gaussian-from-weight' }
  /** The fixed noise comes from a seed param: set a new seed and let the graph draw it again. */
  | { kind: 'new-seed'; seedParam: string };

/** Where a composite node's parts connect to the outside, once expanded. */
export interface PortRef {
  node: string;
  port: string;
}

/** A composite node written out as plain graph-document data. */
export interface Expansion {
  nodes: GraphNode[];
  /** Internal edges; merge inputs have ids that sort in block order. */
  edges: GraphEdge[];
  /** Where each of the composite's inputs is connected inside the fragment. */
  inputs: Record<string, PortRef[]>;
  /** Which inner port provides each of the composite's outputs. */
  outputs: Record<string, PortRef>;
}

export interface ExpansionOptions {
  /** Prepended to every node and edge id (for example "scat1/"). */
  idPrefix?: string;
  /** Group id written on every node, so the editor can collapse them again. */
  group?: string;
  /** Top-left position of the fragment. */
  origin?: { x: number; y: number };
}

/**
 * What the rest of the system must know about a node type, said as behaviour. The
 * compiler, the research instruments and the editor query these; none of them names a type.
 */
export interface NodeBehaviour<S extends ParamSpecs> {
  /**
   * Its output depends on whether the model is training (random noise, dropout, batch
   * statistics). The compiler never computes such a node, or anything after it, once
   * as a frozen front end, even when it has no trainable variable.
   */
  differsInTraining?: boolean;
  /**
   * Acts on each channel on its own, or only moves positions around (pooling, Flatten),
   * so the channels after it are the channels before it: an alignment of channels
   * (resampling) passes through it.
   */
  keepsChannels?: boolean;
  /** The param that sets how many output channels (neurons) it has: what a width sweep or a resampling changes. */
  widthParam?: keyof S & string;
  /** The variable that reads its input channels (covariance spectrum, resampling alignment). */
  inputWeight?: { variable: string; layout: WeightLayout };
  /** It can be redrawn from its learned covariance; needs `inputWeight` and `widthParam`. */
  redraw?: Redraw;
  /**
   * Variables with one value per channel, which a change of width must refill: `affine`
   * ones (scale, shift) take their mean, `statistics` (running mean and variance) are
   * measured again on data.
   */
  perChannel?: { affine: string[]; statistics?: { mean: string; variance: string } };
  /**
   * Learned spatial filters the filter gallery can watch:
   * - morlet-bank: a complex wavelet bank (real and imaginary variables) laid out by the
   *   node's J, L and mode params, compared to the wired Morlet bank it starts from;
   * - kernel: a convolution kernel [k, k, C_in, C_out], watched when nothing learned is upstream.
   */
  learnedFilters?:
    | { structure: 'morlet-bank'; real: string; imag: string; modeParam: keyof S & string }
    | { structure: 'kernel'; variable: string };
  /** A dictionary D (C × M, atoms in columns) that reconstructs the input from the node's code. */
  dictionary?: { variable: string; unitNormAtoms: boolean };
  /** The read-outs it publishes through ctx.readout, for these params (codes per unrolled step, say). */
  readouts?(params: ParamValues<S>): string[];
  /** The steps of an iterative block as formulas, shown when the node is opened on the canvas. */
  unrolledSteps?(params: ParamValues<S>): string[];
  /**
   * Write the node out as a subgraph of other node types, which computes the same numbers;
   * the editor replaces the node by it and collapses it back into this node.
   */
  expand?(params: ParamValues<S>, input: TensorSpec | undefined, options: ExpansionOptions): Expansion;
}

/** Helper so each node file gets full type checking of its params. */
export function defineNode<S extends ParamSpecs>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}

export type AnyNodeDefinition = NodeDefinition<ParamSpecs>;
export type { Params, ParamValue };

/*
 * Leaving Wavegraph: what a node declaration says about leaving Wavegraph: how one node is written as a
 * PyTorch module (model.py) and as ONNX operators (an inference model). The generic
 * walkers live in compiler/export/; each node type's writers sit next to its file.
 *
 * Layout outside Wavegraph: PyTorch and ONNX users expect maps as [B, C, H, W]
 * (NCHW), so exported maps are NCHW while Wavegraph's are channel-last. Channels keep
 * Wavegraph's order (a complex map is still its C real parts, then its C imaginary
 * parts), every weight keeps Wavegraph's name and shape, and Flatten reads a map in
 * Wavegraph's channel-last order: the weights files are the same on both sides.
 */

export interface ExportNode<P> {
  nodeId: string;
  params: P;
  /** Input specs per port, Wavegraph's (channel-last, batch excluded). */
  inputs: Record<string, TensorSpec[]>;
  outputs: Record<string, TensorSpec>;
}

/** A fixed tensor that is not one of Wavegraph's variables (a low-pass spectrum, say). */
export interface FixedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A Python literal: numbers, booleans, strings, None (null) and nested lists. */
export type PyLiteral = number | boolean | string | null | PyLiteral[] | { py: string };

export interface PytorchWriter<P> {
  /** Name of this type's nn.Module class in model.py. */
  className: string;
  /**
   * Python source of the class, written once per model.py whatever the number of
   * nodes of the type. model.py imports torch, nn, F, math and the helpers
   * to_rows/from_rows/reflect_index/ifft_at (see compiler/export/python-common.ts).
   */
  source: string;
  /** Other modules the source builds (a LowPass pads with ReflectPad): written into model.py with it. */
  uses?: { className: string; source: string }[];
  /** Constructor keyword arguments of one node. */
  args(node: ExportNode<P>): Record<string, PyLiteral>;
  /**
   * Fixed tensors the module holds as non-persistent buffers; model.py loads them
   * from constants.json/.bin beside it, by the buffer's name.
   */
  constants?(node: ExportNode<P>): FixedTensor[];
  /**
   * A composite node: export its expansion instead, as a sub-module whose attributes
   * are the parts' ids (so the weight "scat/psi0/psi_real" is scat.psi0.psi_real).
   */
  fragment?(params: P): { expansion: Expansion; parts: ReadonlyMap<string, AnyNodeDefinition> };
}

export type OnnxAttr = number | number[] | string | { floats: number[] } | { int: number } | { float: number };

/** What a node's ONNX writer may emit into the graph being built. */
export interface OnnxBuilder {
  /** Append an operator; returns the names of its `outputs` outputs (default 1). */
  op(type: string, inputs: string[], attrs?: Record<string, OnnxAttr>, outputs?: number): string[];
  /** A float32 initializer (or int64 with `int64`); returns its name. */
  constant(data: ArrayLike<number>, shape: number[], int64?: boolean): string;
  /** The value of this node's variable `name` (Wavegraph's key "<node id>/<name>"). */
  weight(name: string): { name: string; shape: number[]; data: Float32Array };
}

export interface OnnxWriter<P> {
  /**
   * Inference only. `inputs` names the NCHW values entering each port (a list for a
   * multi port); returns the value name of each output port.
   */
  write(node: ExportNode<P>, inputs: Record<string, string[]>, b: OnnxBuilder): Record<string, string>;
}
