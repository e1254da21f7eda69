/** Building and compiling small chain graphs for the sparse-coding tests. */
import * as tf from '@tensorflow/tfjs';
import { analyze, lower, type CompiledModel, type GraphDocument, type Params } from '../../compiler';
import type { Tensor } from '../../nodes/types';
import { seededRandom } from '../../nodes/math/random';

export { tf };

export async function useCpu(): Promise<void> {
  // IS_TEST silences the CPU backend's advert, but also turns on a kernel leak check
  // that the fused softmax cross-entropy trips: on only while the backend starts.
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
  tf.env().set('IS_TEST', false);
}

export interface ChainNode {
  id: string;
  type: string;
  params?: Params;
  /** Output port feeding the next node (default "out"). */
  port?: string;
}

/** Input [h, w, c] -> nodes... -> SoftmaxCrossEntropy. */
export function chain(shape: [number, number, number], nodes: ChainNode[], name = 'test graph'): GraphDocument {
  const all: ChainNode[] = [
    {
      id: 'input',
      type: 'Input',
      params: { dataset: 'synthetic', height: shape[0], width: shape[1], channels: shape[2] },
    },
    ...nodes,
    { id: 'loss', type: 'SoftmaxCrossEntropy', params: { classes: 10 } },
  ];
  return {
    format: 'wavegraph',
    version: 2,
    name,
    nodes: all.map((n, i) => ({ id: n.id, type: n.type, position: { x: 200 * i, y: 0 }, params: n.params ?? {} })),
    edges: all.slice(1).map((n, i) => ({
      id: `${all[i].id}-${n.id}`,
      source: all[i].id,
      sourcePort: all[i].port ?? 'out',
      target: n.id,
      targetPort: 'in',
    })),
  };
}

export function compile(doc: GraphDocument, seed = 1, weights?: Map<string, Tensor>): CompiledModel {
  const a = analyze(doc);
  if (!a.ok) throw new Error(a.diagnostics.map((d) => `${d.nodeId}: ${d.message}`).join('\n'));
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed, weights });
  if (!model) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return model;
}

export function variable(model: CompiledModel, key: string): Float32Array {
  const mv = model.variables.find((v) => v.key === key);
  if (!mv) throw new Error(`no variable ${key}: ${model.variables.map((v) => v.key).join(', ')}`);
  return mv.variable.dataSync() as Float32Array;
}

export function gaussian(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}
