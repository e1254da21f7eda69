/**
 * Edges of a big graph zoomed far out, drawn on one <canvas> behind the nodes instead of
 * one React Flow <svg> per edge. At that zoom an edge is a hairline with no label, and
 * hundreds of svg elements cost every frame of a drag: each one is laid out, painted and
 * layerized by the browser, and each subscribes to React Flow's store. The canvas
 * subscribes once and redraws at most once per frame; the page only re-rasterizes it.
 *
 * The curves are the ones ShapeEdge draws (React Flow's bezier, curvature 0.25), in the
 * same colours, dashed where the shape is unknown, thicker when selected.
 */
import { useEffect, useRef } from 'react';
import { Position, type InternalNode } from '@xyflow/react';
import { useFlowRedraw, type FlowState } from './useFlowRedraw';
import { edgeColour } from '../kinds';
import type { FlowEdge, FlowNode } from './derive';

const CURVATURE = 0.25;

interface Stroke {
  colour: string;
  width: number;
  dashed: boolean;
}

/** Where an edge leaves or enters a node: the middle of the port's outer side, in flow units. */
function portPoint(
  node: InternalNode<FlowNode>,
  side: 'source' | 'target',
  port: string | null | undefined,
): { x: number; y: number } | null {
  const handles = node.internals.handleBounds?.[side];
  const h = handles?.find((b) => b.id === port) ?? (port ? undefined : handles?.[0]);
  if (!h) return null;
  const x = node.internals.positionAbsolute.x + h.x;
  const y = node.internals.positionAbsolute.y + h.y + h.height / 2;
  return { x: h.position === Position.Right ? x + h.width : x, y };
}

/** React Flow's bezier control distance for an edge spanning `d` along its port's axis. */
function controlOffset(d: number): number {
  return d >= 0 ? 0.5 * d : CURVATURE * 25 * Math.sqrt(-d);
}

function strokeOf(edge: FlowEdge): Stroke {
  return { colour: edgeColour(edge.data), width: edge.selected ? 3 : 2, dashed: !edge.data?.spec };
}

/** Size `canvas` to the pane, clear it and draw `edges` on it in flow coordinates. */
function paint(
  canvas: HTMLCanvasElement,
  edges: readonly FlowEdge[],
  { width, height, transform, nodeLookup }: FlowState,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr),
    h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const [tx, ty, zoom] = transform;
  ctx.setTransform(zoom * dpr, 0, 0, zoom * dpr, tx * dpr, ty * dpr);
  // One path per stroke style: a handful of strokes for hundreds of edges.
  const groups = new Map<string, { stroke: Stroke; path: Path2D }>();
  for (const e of edges) {
    const src = nodeLookup.get(e.source),
      dst = nodeLookup.get(e.target);
    const a = src && portPoint(src, 'source', e.sourceHandle);
    const b = dst && portPoint(dst, 'target', e.targetHandle);
    if (!a || !b) continue;
    const stroke = strokeOf(e);
    const key = `${stroke.colour}|${stroke.width}|${stroke.dashed}`;
    const g = groups.get(key) ?? groups.set(key, { stroke, path: new Path2D() }).get(key)!;
    const c = controlOffset(b.x - a.x);
    g.path.moveTo(a.x, a.y);
    g.path.bezierCurveTo(a.x + c, a.y, b.x - c, b.y, b.x, b.y);
  }
  for (const { stroke, path } of groups.values()) {
    ctx.strokeStyle = stroke.colour;
    ctx.lineWidth = stroke.width;
    ctx.setLineDash(stroke.dashed ? [5, 4] : []);
    ctx.stroke(path);
  }
}

/**
 * Two canvases: the edges at rest, and the edges of the nodes being dragged. During a drag
 * only the second is redrawn on each frame (a few curves, not hundreds). The resting edges
 * are redrawn when the drag starts or ends, or the view, the pane or the edge list changes.
 */
export function FarEdges({ edges }: { edges: FlowEdge[] }) {
  const restRef = useRef<HTMLCanvasElement>(null);
  const liveRef = useRef<HTMLCanvasElement>(null);
  // What the resting canvas shows was drawn for these. Any change to the document (a
  // collaborator moving a node during a drag, say) derives a new edge list.
  const drawn = useRef<{
    edges: readonly FlowEdge[];
    moving: string;
    transform: unknown;
    width: number;
    height: number;
  } | null>(null);
  const liveShown = useRef(false);

  const redraw = useFlowRedraw((state) => {
    const rest = restRef.current,
      live = liveRef.current;
    if (!rest || !live) return;
    const moving = new Set<string>();
    for (const n of state.nodeLookup.values()) if (n.dragging) moving.add(n.id);
    const key = [...moving].join(' ');
    const d = drawn.current;
    const stale =
      !moving.size ||
      !d ||
      d.edges !== edges ||
      d.moving !== key ||
      d.transform !== state.transform ||
      d.width !== state.width ||
      d.height !== state.height;
    const touches = (e: FlowEdge) => moving.has(e.source) || moving.has(e.target);
    if (stale) {
      paint(rest, moving.size ? edges.filter((e) => !touches(e)) : edges, state);
      drawn.current = { edges, moving: key, transform: state.transform, width: state.width, height: state.height };
    }
    if (moving.size || liveShown.current) paint(live, moving.size ? edges.filter(touches) : [], state);
    liveShown.current = moving.size > 0;
  });
  useEffect(redraw, [edges, redraw]);

  return (
    <>
      <canvas
        ref={restRef}
        className="far-edges"
        data-testid="far-edges"
        data-count={edges.length}
        aria-hidden="true"
      />
      <canvas ref={liveRef} className="far-edges" data-testid="far-edges-live" aria-hidden="true" />
    </>
  );
}
