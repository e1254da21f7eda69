/**
 * The filters of every WaveletConv and Conv2D node as they train: real part,
 * imaginary part and Fourier magnitude. A node learned from wavelets also shows the
 * wired Morlet filters it started from and how far training moved it.
 */
import { useMemo } from 'react';
import type { GraphNode } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import type { FilterSnapshot } from '../../worker/protocol';
import type { Tiles } from './draw';
import { TileCanvas } from './TileCanvas';

function tiles(data: Float32Array, s: { height: number; width: number; count: number }): Tiles {
  return { data, h: s.height, w: s.width, count: s.count };
}

function difference(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** Relative change ||learned - initial|| / ||initial||. */
function relativeChange(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

function NodeFilters({ snap, mode }: { snap: FilterSnapshot; mode?: string }) {
  const learnedFromWavelets = mode === 'learned-from-wavelets' && snap.initialReal;
  const parts = useMemo(() => {
    const fourier: Tiles = { data: snap.fourier, h: snap.fourierHeight, w: snap.fourierWidth, count: snap.count };
    const diff = snap.initialReal ? difference(snap.real, snap.initialReal) : undefined;
    return { fourier, diff, change: snap.initialReal ? relativeChange(snap.real, snap.initialReal) : undefined };
  }, [snap]);
  const id = snap.nodeId;
  return (
    <div className="gallery-node" data-testid={`filters-${id}`}>
      <h4>
        {id}{' '}
        <span className="muted">
          ({snap.nodeType}, {snap.count} filters {snap.height}×{snap.width}, step {snap.step}
          {snap.trainable ? '' : ', wired'}
          {parts.change !== undefined ? `, moved ${(parts.change * 100).toFixed(1)}% from the start` : ''})
        </span>
      </h4>
      <div className="gallery-row">
        <TileCanvas
          tiles={tiles(snap.real, snap)}
          mode="signed"
          caption={snap.imag ? 'real part' : 'weights (input channel 0 first)'}
          testId={`filters-${id}-real`}
        />
        {snap.imag && (
          <TileCanvas
            tiles={tiles(snap.imag, snap)}
            mode="signed"
            caption="imaginary part"
            testId={`filters-${id}-imag`}
          />
        )}
        <TileCanvas
          tiles={parts.fourier}
          mode="magnitude"
          caption="Fourier magnitude (zero frequency at the centre)"
          testId={`filters-${id}-fourier`}
        />
      </div>
      {learnedFromWavelets && snap.initialReal && parts.diff && (
        <div className="gallery-row">
          <TileCanvas
            tiles={tiles(snap.initialReal, snap)}
            mode="signed"
            caption="wired Morlet (real, the start)"
            testId={`filters-${id}-wired`}
          />
          <TileCanvas tiles={tiles(snap.real, snap)} mode="signed" caption="learned (real)" />
          <TileCanvas
            tiles={tiles(parts.diff, snap)}
            mode="signed"
            caption="learned − wired"
            testId={`filters-${id}-diff`}
          />
        </div>
      )}
    </div>
  );
}

/** The mode (wired or learned) of every node whose filters start as a wired wavelet bank, by node id. */
export function filterModes(nodes: readonly GraphNode[]): Map<string, string> {
  const modes = new Map<string, string>();
  for (const n of nodes) {
    const def = getNodeDefinition(n.type);
    const filters = def?.learnedFilters;
    if (filters?.structure === 'morlet-bank')
      modes.set(n.id, String(n.params[filters.modeParam] ?? def!.params[filters.modeParam].default));
  }
  return modes;
}

export function FilterGallery({
  filters,
  modes,
  selectedNodeId,
}: {
  filters: Map<string, FilterSnapshot>;
  modes: Map<string, string>;
  selectedNodeId: string | null;
}) {
  const list = [...filters.values()];
  if (!list.length)
    return <p className="muted">Filters of WaveletConv and Conv2D nodes appear here while the graph trains.</p>;
  // The selected node first: that is the one the person is looking at on the canvas.
  list.sort((a, b) => Number(b.nodeId === selectedNodeId) - Number(a.nodeId === selectedNodeId));
  return (
    <div className="gallery" data-testid="filter-gallery">
      {list.map((s) => (
        <NodeFilters key={s.nodeId} snap={s} mode={modes.get(s.nodeId)} />
      ))}
    </div>
  );
}
