/**
 * What a node declaration says about leaving Wavegraph: how one node is written as a
 * PyTorch module (model.py) and as ONNX operators (an inference model). The generic
 * walkers live in compiler/export/; each node type's writers sit next to its file.
 *
 * Layout outside Wavegraph: PyTorch and ONNX users expect maps as [B, C, H, W]
 * (NCHW), so exported maps are NCHW while Wavegraph's are channel-last. Channels keep
 * Wavegraph's order (a complex map is still its C real parts, then its C imaginary
 * parts), every weight keeps Wavegraph's name and shape, and Flatten reads a map in
 * Wavegraph's channel-last order: the weights files are the same on both sides.
 */
import type { TensorSpec } from './types';
import type { Expansion } from './wavelets/expand-scattering';

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
  fragment?(params: P): { expansion: Expansion; parts: ReadonlyMap<string, import('./types').AnyNodeDefinition> };
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
