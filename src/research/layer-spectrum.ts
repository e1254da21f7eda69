/**
 * The weight covariance of one layer of a compiled model and its spectrum (SCIENCE.md
 * section 6), against the white-noise spectrum of a Gaussian matrix of the same shape.
 */
import { getNodeDefinition, nodeTypesWhere } from '../../nodes/registry';
import { transpose } from '../../nodes/math/linalg';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { CompiledModel } from '../../compiler/3-lower';
import { convKernelRows, effectiveRank, gramSpectrum, marchenkoPastur } from './spectrum';

export interface LayerSpectrum {
  node: string;
  type: string;
  /** Neurons N and inputs D of the weight matrix (convolutions flattened). */
  neurons: number;
  inputs: number;
  /** Eigenvalues of C (QᵀQ, or WᵀW / N), descending. */
  eigenvalues: Float64Array;
  trace: number;
  effectiveRank: { entropy: number; participation: number };
  /** Support of the white-noise spectrum: an isotropic Gaussian W of the same shape and trace. */
  whiteNoise: { lo: number; hi: number };
}

/** The covariance spectrum of one layer of a compiled model. */
export function layerSpectrum(model: CompiledModel, node: string, type: string): LayerSpectrum | Diagnostic {
  const weight = getNodeDefinition(type)?.inputWeight;
  const get = (name: string) => model.variables.find((v) => v.nodeId === node && v.name === name)?.variable;
  let W: Float64Array | Float32Array;
  let N: number;
  let D: number;
  let values: Float64Array;
  if (weight?.layout === 'covariance-factor') {
    const Q = get(weight.variable)!;
    const [r, d] = Q.shape;
    N = model.variables.find((v) => v.nodeId === node && v.role === 'noise')!.variable.shape[0];
    D = d;
    values = gramSpectrum(Q.dataSync() as Float32Array, r, d, 1);
  } else if (weight) {
    const k = get(weight.variable)!;
    if (weight.layout === 'units-last') {
      [D, N] = k.shape as [number, number];
      W = transpose(k.dataSync() as Float32Array, D, N);
    } else {
      const [kh, kw, cin, cout] = k.shape;
      ({ W, N, D } = convKernelRows(k.dataSync() as Float32Array, kh, kw, cin, cout));
    }
    values = gramSpectrum(W, N, D);
  } else {
    const known = covarianceLayerTypes();
    return diag(
      'bad-argument',
      `Node "${node}" is a ${type}; a weight covariance exists only for ${words(known, 'and')} layers.`,
      {
        nodeId: node,
        fix: `Pass --node with the id of a ${words(known, 'or')} node.`,
      },
    );
  }
  const trace = values.reduce((s, v) => s + v, 0);
  const mp = marchenkoPastur(D / N, Math.max(trace / D, 1e-30));
  return {
    node,
    type,
    neurons: N,
    inputs: D,
    eigenvalues: values,
    trace,
    effectiveRank: effectiveRank(values),
    whiteNoise: { lo: mp.lo, hi: mp.hi },
  };
}

/** "A, B and C" (or "A, B or C"). */
export function words(items: string[], last: 'and' | 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** The node types whose weights have a covariance to show (an input weight), by type id. */
export function covarianceLayerTypes(): string[] {
  return nodeTypesWhere((d) => d.inputWeight).map((d) => d.type);
}
