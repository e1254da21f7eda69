/**
 * Scattering2D as a subgraph of its parts, in plain graph-document data: Reflect
 * padding, then per scale a Wavelet convolution (subsampled), a Modulus and a
 * Low-pass, a second wavelet stage for every j2 > j1, and the merge into Kymatio's
 * channel order. The Scattering2D node itself runs exactly this subgraph, so the
 * expanded and collapsed forms give the same numbers by construction.
 */
import type { GraphEdge, GraphNode, Params } from '../../document/graph';
import type { AnyNodeDefinition, Expansion, ExpansionOptions, TensorSpec } from '../types';
import { LowPass } from './low-pass';
import { Modulus } from './modulus';
import { ReflectPad } from './reflect-pad';
import { ScatteringMerge } from './scattering-merge';
import { scatterBlocks } from './scattering-order';
import { WaveletConv } from './wavelet-conv';

export type { Expansion, ExpansionOptions, PortRef } from '../types';

/** The node types an expanded Scattering2D is made of, by type id. */
export const scatteringParts: ReadonlyMap<string, AnyNodeDefinition> = new Map(
  [ReflectPad, WaveletConv, Modulus, LowPass, ScatteringMerge].map((d): [string, AnyNodeDefinition] => [d.type, d]),
);

export interface Scattering2DParams {
  J: number;
  L: number;
  maxOrder: number;
}

const COL = 220;
const ROW = 110;

/**
 * The expanded form of a Scattering2D node. `inputSpec` (the composite's input) only
 * adds sizes to the labels; the structure depends on the params alone.
 */
export function expandScattering2D(
  params: Scattering2DParams,
  inputSpec?: TensorSpec,
  options: ExpansionOptions = {},
): Expansion {
  const { J, L, maxOrder } = params;
  const pre = options.idPrefix ?? '';
  const origin = options.origin ?? { x: 0, y: 0 };
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  let edgeCount = 0;
  let row = 0;
  const add = (id: string, def: AnyNodeDefinition, p: Params, col: number, r: number, label: string) => {
    nodes.push({
      id: pre + id,
      type: def.type,
      typeVersion: def.version,
      label,
      params: p,
      position: { x: origin.x + col * COL, y: origin.y + r * ROW },
      ...(options.group ? { group: options.group } : {}),
    });
  };
  const link = (from: string, to: string, id?: string) => {
    edges.push({
      id: pre + (id ?? `e${String(edgeCount++).padStart(3, '0')}`),
      source: pre + from,
      sourcePort: 'out',
      target: pre + to,
      targetPort: 'in',
    });
  };
  const size = inputSpec && inputSpec.shape.length === 3 ? ` (${inputSpec.shape[0]}×${inputSpec.shape[1]})` : '';
  const wavelet = (scale: number, resolution: number) => ({
    J,
    L,
    scale: String(scale),
    mode: 'wired',
    padding: 'circular',
    resolution,
    subsample: true,
    support: 0,
  });
  const lowPass = (resolution: number) => ({ J, padding: 'circular', resolution, unpad: true });

  add('pad', ReflectPad, { J }, 0, 0, `Reflect padding${size}`);
  add('s0', LowPass, lowPass(0), 1, row++, 'S0: low-pass');
  link('pad', 's0');
  for (let j1 = 0; j1 < J; j1++) {
    add(`psi${j1}`, WaveletConv, wavelet(j1, 0), 1, row, `ψ j1=${j1}`);
    add(`mod${j1}`, Modulus, {}, 2, row, `U1 j1=${j1}`);
    add(`s1_${j1}`, LowPass, lowPass(j1), 3, row++, `S1 j1=${j1}`);
    link('pad', `psi${j1}`);
    link(`psi${j1}`, `mod${j1}`);
    link(`mod${j1}`, `s1_${j1}`);
    if (maxOrder < 2) continue;
    for (let j2 = j1 + 1; j2 < J; j2++) {
      add(`psi${j1}_${j2}`, WaveletConv, wavelet(j2, j1), 3, row, `ψ j2=${j2} on j1=${j1}`);
      add(`mod${j1}_${j2}`, Modulus, {}, 4, row, `U2 j1=${j1}, j2=${j2}`);
      add(`s2_${j1}_${j2}`, LowPass, lowPass(j2), 5, row++, `S2 j1=${j1}, j2=${j2}`);
      link(`mod${j1}`, `psi${j1}_${j2}`);
      link(`psi${j1}_${j2}`, `mod${j1}_${j2}`);
      link(`mod${j1}_${j2}`, `s2_${j1}_${j2}`);
    }
  }
  add('merge', ScatteringMerge, { J, L, maxOrder }, 6, Math.floor((row - 1) / 2), 'Scattering channels');
  scatterBlocks(J, maxOrder).forEach((b, i) => {
    const from = b.order === 0 ? 's0' : b.order === 1 ? `s1_${b.j1}` : `s2_${b.j1}_${b.j2}`;
    link(from, 'merge', `m${String(i).padStart(3, '0')}`);
  });
  return {
    nodes,
    edges,
    inputs: { in: [{ node: pre + 'pad', port: 'in' }] },
    outputs: { out: { node: pre + 'merge', port: 'out' } },
  };
}
