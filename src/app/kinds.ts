/** One colour per port kind, used by ports, edges, the palette and the legend. */
import type { PortKind, TensorSpec } from '../../nodes/types';

export const KIND_COLOURS: Record<PortKind, string> = {
  map: '#5aa9ff',
  complex: '#c792ea',
  vector: '#f0b35a',
  code: '#7fd48a',
  logits: '#ff7a85',
  moments: '#4fd1c5',
};

export const KIND_LABELS: Record<PortKind, string> = {
  map: 'real feature map [H, W, C]',
  complex: 'complex map [H, W, 2C] (C real, then C imaginary)',
  vector: 'vector [D]',
  code: 'sparse code',
  logits: 'class scores [N]',
  moments: 'moments [D] (averages over positions)',
};

export const NEUTRAL = '#8a93a6';
/** Invalid edges and nodes with an error. */
export const ERROR_COLOUR = '#ff5d6c';

/** An edge's colour: red when invalid, else the kind it carries (neutral while unknown). */
export function edgeColour(data: { spec?: TensorSpec; invalid?: string } | undefined): string {
  return data?.invalid ? ERROR_COLOUR : data?.spec ? KIND_COLOURS[data.spec.kind] : NEUTRAL;
}

export function kindColour(kinds: readonly PortKind[]): string {
  return kinds.length === 1 ? KIND_COLOURS[kinds[0]] : NEUTRAL;
}

export function shapeLabel(spec: TensorSpec | undefined): string {
  if (!spec) return '';
  return `${spec.shape.join('×')}${spec.kind === 'complex' ? ' ℂ' : ''}`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(n);
}
