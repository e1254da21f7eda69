/**
 * The node the current lesson step points at: outlined on the canvas (drawn in flow
 * coordinates, so it pans and zooms with the graph) and, when the step changes and the
 * node is out of view or under the lesson card, brought into view beside or below the card.
 */
import { useEffect } from 'react';
import { useNodes, useReactFlow, ViewportPortal } from '@xyflow/react';
import { useCurrentStep } from './useCurrentStep';
import { useLessonState } from './lesson-state';
import { lessonCardRect, regionFor } from '../canvas/legible-fit';

export function LessonHighlight() {
  const { step, index } = useCurrentStep();
  const { open } = useLessonState();
  const id = step?.target && 'node' in step.target ? step.target.node : undefined;
  return id ? <Outline id={id} index={index} cardOpen={open} /> : null;
}

function Outline({ id, index, cardOpen }: { id: string; index: number; cardOpen: boolean }) {
  const flow = useReactFlow();
  useNodes(); // follow the node when it moves or resizes
  const n = flow.getInternalNode(id);
  const known = !!n;
  useEffect(() => {
    const node = flow.getInternalNode(id);
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    if (!node || !box) return;
    const pane = { x: box.left, y: box.top, width: box.width, height: box.height };
    const card = cardOpen ? lessonCardRect() : undefined;
    const zoom = flow.getZoom();
    const p = node.internals.positionAbsolute;
    const w = node.measured.width ?? 180;
    const h = node.measured.height ?? 80;
    // Moved only when the node is not already in full view and clear of the card: no needless motion.
    const a = flow.flowToScreenPosition({ x: p.x, y: p.y });
    const b = flow.flowToScreenPosition({ x: p.x + w, y: p.y + h });
    const inPane = a.x >= pane.x && a.y >= pane.y && b.x <= pane.x + pane.width && b.y <= pane.y + pane.height;
    const underCard = !!card && a.x < card.x + card.width && b.x > card.x && a.y < card.y + card.height && b.y > card.y;
    if (inPane && !underCard) return;
    // Centred in the free part of the canvas (beside or below the card) where it fits.
    const room = regionFor({ width: w, height: h }, zoom, pane, card);
    const cx = room.x - pane.x + room.width / 2;
    const cy = room.y - pane.y + room.height / 2;
    void flow.setViewport({ x: cx - (p.x + w / 2) * zoom, y: cy - (p.y + h / 2) * zoom, zoom }, { duration: 250 });
    // Only when the step (or its node, or the card) changes: a student panning away is not pulled back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, index, known, cardOpen]);
  if (!n) return null;
  const p = n.internals.positionAbsolute;
  const pad = 8;
  return (
    <ViewportPortal>
      <div
        className="lesson-target"
        data-testid={`lesson-target-${id}`}
        aria-hidden
        style={{
          transform: `translate(${p.x - pad}px, ${p.y - pad}px)`,
          width: (n.measured.width ?? 180) + 2 * pad,
          height: (n.measured.height ?? 80) + 2 * pad,
        }}
      />
    </ViewportPortal>
  );
}
