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

/**
 * How much of the pane's right side the open lesson card covers (it floats over the
 * canvas's top right): the graph is fitted beside it, not under it.
 */
function coveredRight(paneRight: number): number {
  const card = document.querySelector('[data-testid="lesson-panel"]');
  if (!card) return 0;
  const r = card.getBoundingClientRect();
  return r.width > 0 ? Math.max(0, paneRight - r.left) : 0;
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
      const covered = domNode ? coveredRight(domNode.getBoundingClientRect().right) : 0;
      // Beside the card when that leaves a usable width; a narrow window keeps the whole pane.
      const room = width - covered >= width / 2 ? width - covered : width;
      void flow.setViewport(legibleViewport(bounds, { width: room, height }, legibleZoom(titleFontPx(), screenPx)), {
        duration: options?.duration ?? 0,
      });
    },
    [flow, api],
  );
}
