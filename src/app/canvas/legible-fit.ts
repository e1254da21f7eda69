/**
 * Fitting the view without making the graph unreadable. React Flow's fitView zooms out
 * until every node is in view; on a laptop a 17-node graph then renders its titles at
 * 7 px. Here the zoom never goes below the one at which node titles are LEGIBLE_PX on
 * screen (more in presenter mode); what does not fit is reached by panning, and the view
 * then starts at the graph's beginning (its top-left), where a reader starts.
 */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi, type Rect, type Viewport } from '@xyflow/react';
import { getPrefs } from '../layout/prefs';

/** Smallest on-screen size of a node title, in CSS pixels. */
export const LEGIBLE_PX = 11;
/** The same on a projector. */
export const PRESENTER_PX = 18;
const MAX_FIT_ZOOM = 1.1;
const PAD_FRACTION = 0.08;
const MIN_PAD_PX = 24;

export interface Pane {
  width: number;
  height: number;
}

/** The viewport that shows `bounds` in `pane`, zoomed no further out than `minZoom`. */
export function legibleViewport(bounds: Rect, pane: Pane, minZoom: number, maxZoom = MAX_FIT_ZOOM): Viewport {
  const pad = Math.max(MIN_PAD_PX, PAD_FRACTION * Math.min(pane.width, pane.height));
  const fit = Math.min(
    (pane.width - 2 * pad) / Math.max(bounds.width, 1),
    (pane.height - 2 * pad) / Math.max(bounds.height, 1),
  );
  const zoom = Math.max(minZoom, Math.min(Math.max(maxZoom, minZoom), fit));
  const axis = (start: number, size: number, room: number) =>
    size * zoom <= room - 2 * pad ? (room - size * zoom) / 2 - start * zoom : pad - start * zoom;
  return { x: axis(bounds.x, bounds.width, pane.width), y: axis(bounds.y, bounds.height, pane.height), zoom };
}

/** The zoom at which a node title of `titlePx` CSS pixels shows at `screenPx` on screen. */
export function legibleZoom(titlePx: number, screenPx: number): number {
  // A hair above: rounding in the transform must not leave a title at 10.9999 px.
  return (screenPx / Math.max(titlePx, 1)) * 1.001;
}

/** The font size of node titles as drawn now (presenter mode makes it larger). */
function titleFontPx(): number {
  const el = document.querySelector('.gnode-name');
  return el ? parseFloat(getComputedStyle(el).fontSize) || 13 : 13;
}

/** A part of the pane, in pane pixels (0, 0 at its top-left). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The parts of the pane the open lesson card leaves free (it floats over the canvas's
 * top right): beside it on the left, and below it. Without a card, the whole pane.
 */
export function freeRegions(pane: Region, card?: Region): Region[] {
  if (!card || card.width <= 0) return [pane];
  const left = Math.max(0, card.x - pane.x);
  const below = Math.max(0, pane.y + pane.height - (card.y + card.height));
  return [
    { x: pane.x, y: pane.y, width: left, height: pane.height },
    { x: pane.x, y: pane.y + pane.height - below, width: pane.width, height: below },
  ].filter((r) => r.width > 0 && r.height > 0);
}

/** The open lesson card's rectangle on screen, if it is open. */
export function lessonCardRect(): Region | undefined {
  const card = document.querySelector('[data-testid="lesson-panel"]');
  if (!card) return undefined;
  const r = card.getBoundingClientRect();
  return r.width > 0 ? { x: r.left, y: r.top, width: r.width, height: r.height } : undefined;
}

/**
 * Where to fit a graph of `bounds` (flow units) clear of the card: the free region that
 * shows the most of it at a legible zoom (at least `minZoom`), the larger zoom on a tie.
 * A wide one-row graph thus goes below the card, where it has the canvas's whole width;
 * a tall one beside it. The whole pane when the card leaves too little to be of use.
 */
export function regionFor(
  bounds: { width: number; height: number },
  minZoom: number,
  pane: Region,
  card?: Region,
): Region {
  const bw = Math.max(bounds.width, 1);
  const bh = Math.max(bounds.height, 1);
  const score = (r: Region) => {
    const w = r.width - 2 * MIN_PAD_PX;
    const h = r.height - 2 * MIN_PAD_PX;
    const zoom = Math.max(minZoom, Math.min(MAX_FIT_ZOOM, w / bw, h / bh));
    const shown = (Math.max(0, Math.min(w, bw * zoom)) * Math.max(0, Math.min(h, bh * zoom))) / (bw * bh * zoom * zoom);
    return { shown, zoom };
  };
  let best: Region | undefined;
  let top = { shown: -1, zoom: 0 };
  for (const r of freeRegions(pane, card)) {
    const sc = score(r);
    if (sc.shown > top.shown + 1e-9 || (Math.abs(sc.shown - top.shown) <= 1e-9 && sc.zoom > top.zoom)) {
      best = r;
      top = sc;
    }
  }
  return best && best.width * best.height >= (pane.width * pane.height) / 4 ? best : pane;
}

/** The viewport the last fit set: while the view is still there, nobody has moved it since. */
let lastFit: Viewport | undefined;

/** True while the view is where the last fit put it (the user has not panned or zoomed since). */
export function stillFitted(v: Viewport): boolean {
  return (
    !!lastFit &&
    Math.abs(v.x - lastFit.x) < 0.5 &&
    Math.abs(v.y - lastFit.y) < 0.5 &&
    Math.abs(v.zoom - lastFit.zoom) < 1e-4
  );
}

export function useLegibleFit(): (options?: { duration?: number }) => void {
  const flow = useReactFlow();
  const api = useStoreApi();
  return useCallback(
    (options) => {
      const { width, height, domNode } = api.getState();
      const nodes = flow.getNodes().filter((n) => !n.hidden);
      if (!nodes.length || !width || !height) return;
      const bounds = flow.getNodesBounds(nodes);
      const screenPx = getPrefs().presenter ? PRESENTER_PX : LEGIBLE_PX;
      const minZoom = legibleZoom(titleFontPx(), screenPx);
      const box = domNode?.getBoundingClientRect();
      const pane = { x: box?.left ?? 0, y: box?.top ?? 0, width, height };
      // Beside the lesson card or below it, wherever the graph is legible; under the card
      // only where it fits nowhere else.
      const room = regionFor(bounds, minZoom, pane, lessonCardRect());
      const v = legibleViewport(bounds, room, minZoom);
      lastFit = { x: v.x + room.x - pane.x, y: v.y + room.y - pane.y, zoom: v.zoom };
      void flow.setViewport(lastFit, { duration: options?.duration ?? 0 });
    },
    [flow, api],
  );
}
