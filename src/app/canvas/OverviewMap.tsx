/**
 * The overview map in the canvas's corner: every node as a small rectangle in its output
 * kind's colour, the part of the graph in view left bright and the rest dimmed. Drag on it
 * to move the view (a press outside the bright part first centres the view there), scroll
 * on it to zoom. Small, and it folds to a button (remembered per browser, layout/prefs.ts).
 *
 * Drawn on one <canvas> with one subscription to React Flow's store and at most one redraw
 * per frame. (React Flow's own minimap is an svg with a rectangle per node, each its own
 * store subscriber: with 300 nodes that is 300 selectors run on every pointer move of a
 * drag, and an svg repainted on every frame.)
 */
import { useCallback, useEffect, useRef } from 'react';
import { Panel, useReactFlow, useStoreApi } from '@xyflow/react';
import { useFlowRedraw } from './useFlowRedraw';
import { setPrefs } from '../layout/prefs';
import { ERROR_COLOUR, KIND_COLOURS, NEUTRAL } from '../kinds';
import type { FlowNode, NodeView } from './derive';

const WIDTH = 160;
const HEIGHT = 110;
/** Margin around the drawn extent, in map pixels. */
const MARGIN = 5;
const BACKGROUND = '#12161c';
const MASK = 'rgba(12, 14, 19, 0.7)';
const VIEW_OUTLINE = 'rgba(255, 255, 255, 0.25)';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How the map's pixels relate to the flow: flow = origin + pixel * unitsPerPixel. */
interface MapGeometry {
  originX: number;
  originY: number;
  unitsPerPixel: number;
  view: Rect;
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x),
    y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** The map's scale and origin: the nodes and the view, centred, with a margin. */
function mapGeometry(nodes: Rect | null, view: Rect): MapGeometry {
  const all = nodes ? union(nodes, view) : view;
  const unitsPerPixel = Math.max(all.width / (WIDTH - 2 * MARGIN), all.height / (HEIGHT - 2 * MARGIN), 1e-9);
  return {
    originX: all.x + all.width / 2 - (WIDTH / 2) * unitsPerPixel,
    originY: all.y + all.height / 2 - (HEIGHT / 2) * unitsPerPixel,
    unitsPerPixel,
    view,
  };
}

/** Colours by node view: a view keeps its identity while what the node shows is unchanged. */
const colours = new WeakMap<NodeView, string>();

/** A node's colour on the map: red with an error, else its first output's kind. */
function nodeColour(node: FlowNode): string {
  const v = node.data.view;
  let c = colours.get(v);
  if (!c) {
    const spec = v.def?.outputs[0] ? v.outputs?.[v.def.outputs[0].name] : undefined;
    c = v.diagnostics.some((d) => d.severity === 'error') ? ERROR_COLOUR : spec ? KIND_COLOURS[spec.kind] : NEUTRAL;
    colours.set(v, c);
  }
  return c;
}

export function OverviewMap({ open }: { open: boolean }) {
  return (
    <Panel position="bottom-right" className="overview-map">
      <button
        className="map-toggle"
        onClick={() => setPrefs({ mapOpen: !open })}
        aria-expanded={open}
        aria-label={open ? 'Hide the overview map' : 'Show the overview map'}
        title={open ? 'Hide the overview map' : 'Show the overview map'}
        data-testid="map-toggle"
      >
        {open ? 'Map ▾' : 'Map ▸'}
      </button>
      {open && <MapCanvas />}
    </Panel>
  );
}

function MapCanvas() {
  const flow = useStoreApi<FlowNode>();
  const rf = useReactFlow<FlowNode>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const geometry = useRef<MapGeometry | null>(null);

  // Colours come from the nodes' data, so a new analysis arrives as new nodes too.
  useFlowRedraw((state) => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const { nodeLookup, transform, width, height } = state;
    const [tx, ty, zoom] = transform;
    const view = { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
    // Group the rectangles by colour: a few fills for hundreds of nodes.
    const byColour = new Map<string, Rect[]>();
    let bounds: Rect | null = null;
    for (const n of nodeLookup.values()) {
      if (n.hidden) continue;
      const r = {
        x: n.internals.positionAbsolute.x,
        y: n.internals.positionAbsolute.y,
        width: n.measured.width ?? 0,
        height: n.measured.height ?? 0,
      };
      if (!r.width || !r.height) continue;
      bounds = bounds ? union(bounds, r) : r;
      const c = nodeColour(n);
      (byColour.get(c) ?? byColour.set(c, []).get(c)!).push(r);
    }
    const g = (geometry.current = mapGeometry(bounds, view));
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(WIDTH * dpr)) {
      canvas.width = Math.round(WIDTH * dpr);
      canvas.height = Math.round(HEIGHT * dpr);
    }
    const k = dpr / g.unitsPerPixel;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    ctx.setTransform(k, 0, 0, k, -g.originX * k, -g.originY * k);
    for (const [c, rects] of byColour) {
      ctx.fillStyle = c;
      ctx.beginPath();
      for (const r of rects) ctx.rect(r.x, r.y, r.width, r.height);
      ctx.fill();
    }
    // Dim everything outside the view.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const vx = (view.x - g.originX) / g.unitsPerPixel,
      vy = (view.y - g.originY) / g.unitsPerPixel;
    const vw = view.width / g.unitsPerPixel,
      vh = view.height / g.unitsPerPixel;
    ctx.fillStyle = MASK;
    ctx.beginPath();
    ctx.rect(0, 0, WIDTH, HEIGHT);
    ctx.rect(vx, vy, vw, vh);
    ctx.fill('evenodd');
    ctx.strokeStyle = VIEW_OUTLINE;
    ctx.lineWidth = 1;
    ctx.strokeRect(vx + 0.5, vy + 0.5, Math.max(0, vw - 1), Math.max(0, vh - 1));
  });

  /** Show the flow point `p` in the middle of the pane, at `zoom`. */
  const centreOn = useCallback(
    (p: { x: number; y: number }, zoom: number) => {
      const { width, height } = flow.getState();
      void rf.setViewport({ x: width / 2 - p.x * zoom, y: height / 2 - p.y * zoom, zoom });
    },
    [flow, rf],
  );

  useEffect(() => {
    const canvas = canvasRef.current!;
    // Scroll on the map zooms about the middle of the view (and never scrolls the page).
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { transform, width, height, minZoom, maxZoom } = flow.getState();
      const [tx, ty, zoom] = transform;
      const next = Math.min(maxZoom, Math.max(minZoom, zoom * Math.pow(2, -e.deltaY * 0.002)));
      centreOn({ x: (width / 2 - tx) / zoom, y: (height / 2 - ty) / zoom }, next);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [flow, centreOn]);

  // The pointer's last position while dragging on the map. Moves are applied as deltas
  // at the map's current scale: the map re-fits as the view moves past the nodes, so an
  // absolute mapping would pull the view back and forth.
  const drag = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const g = geometry.current;
    if (e.button !== 0 || !g) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const r = e.currentTarget.getBoundingClientRect();
    const p = {
      x: g.originX + (e.clientX - r.left) * g.unitsPerPixel,
      y: g.originY + (e.clientY - r.top) * g.unitsPerPixel,
    };
    const v = g.view;
    if (p.x < v.x || p.x > v.x + v.width || p.y < v.y || p.y > v.y + v.height)
      centreOn(p, flow.getState().transform[2]);
    drag.current = { x: e.clientX, y: e.clientY };
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const from = drag.current,
      g = geometry.current;
    if (!from || !g) return;
    const [tx, ty, zoom] = flow.getState().transform;
    const k = g.unitsPerPixel * zoom;
    void rf.setViewport({ x: tx - (e.clientX - from.x) * k, y: ty - (e.clientY - from.y) * k, zoom });
    drag.current = { x: e.clientX, y: e.clientY };
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  return (
    <canvas
      ref={canvasRef}
      data-testid="overview-map"
      role="img"
      aria-label="Overview of the graph: drag to move the view, scroll to zoom"
      title="Overview: drag to move the view, scroll to zoom"
      style={{ width: WIDTH, height: HEIGHT }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    />
  );
}
