/** A captioned grid of tiles, redrawn when its data changes. */
import { useEffect, useRef } from 'react';
import { columnsFor, drawTiles, type TileMode, type Tiles } from './draw';

export function TileCanvas(props: {
  tiles: Tiles;
  mode: TileMode;
  caption: string;
  testId?: string;
  cols?: number;
  size?: { width: number; height: number };
}) {
  const { tiles, mode, caption, testId, cols, size } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const columns = cols ?? columnsFor(tiles.count, tiles.w, tiles.h);
  useEffect(() => {
    if (ref.current) drawTiles(ref.current, tiles, mode, columns);
  }, [tiles, mode, columns]);
  // Small kernels get bigger pixels; whole-grid wavelets stay near their size.
  const tile = Math.max(22, Math.min(56, tiles.w * 2));
  return (
    <figure className="tiles">
      <canvas ref={ref} data-testid={testId} style={size ?? { width: Math.min(columns * (tile + 1), 620) }} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
