/**
 * Scattering2D as a subgraph of its parts, in plain graph-document data: Reflect
 * padding, then per scale a Wavelet convolution (subsampled), a Modulus and a
 * Low-pass, a second wavelet stage for every j2 > j1, and the merge into Kymatio's
 * channel order. The Scattering2D node itself runs exactly this subgraph, so the
 * expanded and collapsed forms give the same numbers by construction.
 */
import type { GraphEdge, GraphNode, Params } from '../../compiler/document';
import type { TensorSpec } from '../types';
import { scatterBlocks } from './scattering-order';

export interface Scattering2DParams {
  J: number;
  L: number;
  maxOrder: number;
}

export interface ExpansionOptions {
  /** Prepended to every node and edge id (for example "scat1/"). */
  idPrefix?: string;
  /** Group id written on every node, so the editor can collapse them again. */
  group?: string;
  /** Top-left position of the fragment. */
  origin?: { x: number; y: number };
}

export interface PortRef {
  node: string;
  port: string;
}

export interface Expansion {
  nodes: GraphNode[];
  /** Internal edges; merge inputs have ids that sort in block order. */
  edges: GraphEdge[];
  /** Where the composite's input "in" must be connected inside the fragment. */
  inputs: { in: PortRef[] };
  /** Which inner port provides the composite's output "out". */
  outputs: { out: PortRef };
}

const COL = 220;
const ROW = 110;

/**
 * The expanded form of a Scattering2D node. `inputSpec` (the composite's input) only
 * adds sizes to the labels; the structure depends on the params alone.
 */
export function expandScattering2D(params: Scattering2DParams, inputSpec?: TensorSpec, options: ExpansionOptions = {}): Expansion {
  const { J, L, maxOrder } = params;
  const pre = options.idPrefix ?? '';
  const origin = options.origin ?? { x: 0, y: 0 };
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  let edgeCount = 0;
  let row = 0;
  const add = (id: string, type: string, p: Params, col: number, r: number, label: string) => {
    nodes.push({
      id: pre + id, type, typeVersion: 1, label, params: p,
      position: { x: origin.x + col * COL, y: origin.y + r * ROW },
      ...(options.group ? { group: options.group } : {}),
    });
  };
  const link = (from: string, to: string, id?: string) => {
    edges.push({ id: pre + (id ?? `e${String(edgeCount++).padStart(3, '0')}`), source: pre + from, sourcePort: 'out', target: pre + to, targetPort: 'in' });
  };
  const size = inputSpec && inputSpec.shape.length === 3 ? ` (${inputSpec.shape[0]}×${inputSpec.shape[1]})` : '';
  const wavelet = (scale: number, resolution: number) => ({
    J, L, scale: String(scale), mode: 'wired', padding: 'circular', resolution, subsample: true, support: 0,
  });
  const lowPass = (resolution: number) => ({ J, padding: 'circular', resolution, unpad: true });

  add('pad', 'ReflectPad', { J }, 0, 0, `Reflect padding${size}`);
  add('s0', 'LowPass', lowPass(0), 1, row++, 'S0: low-pass');
  link('pad', 's0');
  for (let j1 = 0; j1 < J; j1++) {
    add(`psi${j1}`, 'WaveletConv', wavelet(j1, 0), 1, row, `ψ j1=${j1}`);
    add(`mod${j1}`, 'Modulus', {}, 2, row, `U1 j1=${j1}`);
    add(`s1_${j1}`, 'LowPass', lowPass(j1), 3, row++, `S1 j1=${j1}`);
    link('pad', `psi${j1}`);
    link(`psi${j1}`, `mod${j1}`);
    link(`mod${j1}`, `s1_${j1}`);
    if (maxOrder < 2) continue;
    for (let j2 = j1 + 1; j2 < J; j2++) {
      add(`psi${j1}_${j2}`, 'WaveletConv', wavelet(j2, j1), 3, row, `ψ j2=${j2} on j1=${j1}`);
      add(`mod${j1}_${j2}`, 'Modulus', {}, 4, row, `U2 j1=${j1}, j2=${j2}`);
      add(`s2_${j1}_${j2}`, 'LowPass', lowPass(j2), 5, row++, `S2 j1=${j1}, j2=${j2}`);
      link(`mod${j1}`, `psi${j1}_${j2}`);
      link(`psi${j1}_${j2}`, `mod${j1}_${j2}`);
      link(`mod${j1}_${j2}`, `s2_${j1}_${j2}`);
    }
  }
  add('merge', 'ScatteringMerge', { J, L, maxOrder }, 6, Math.floor((row - 1) / 2), 'Scattering channels');
  scatterBlocks(J, maxOrder).forEach((b, i) => {
    const from = b.order === 0 ? 's0' : b.order === 1 ? `s1_${b.j1}` : `s2_${b.j1}_${b.j2}`;
    link(from, 'merge', `m${String(i).padStart(3, '0')}`);
  });
  return { nodes, edges, inputs: { in: [{ node: pre + 'pad', port: 'in' }] }, outputs: { out: { node: pre + 'merge', port: 'out' } } };
}
