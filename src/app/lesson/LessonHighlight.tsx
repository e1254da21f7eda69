/**
 * The node the current lesson step points at: outlined on the canvas (drawn in flow
 * coordinates, so it pans and zooms with the graph) and, when the step changes and the
 * node is out of view or under the lesson card, brought into view beside the card.
 */
import { useEffect } from 'react';
import { useNodes, useReactFlow, ViewportPortal } from '@xyflow/react';
import { useCurrentStep } from './useCurrentStep';
import { useLessonState } from './lesson-state';

/** Room the lesson card takes on the canvas's right, in screen pixels. */
const CARD_PX = 360;

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
    const pane = document.querySelector('.canvas')?.getBoundingClientRect();
    if (!node || !pane) return;
    const zoom = flow.getZoom();
    const p = node.internals.positionAbsolute;
    const w = node.measured.width ?? 180;
    const h = node.measured.height ?? 80;
    const card = cardOpen && pane.width > 2 * CARD_PX ? CARD_PX : 0;
    // Moved only when the node is not already in full view beside the card: no needless motion.
    const a = flow.flowToScreenPosition({ x: p.x, y: p.y });
    const b = flow.flowToScreenPosition({ x: p.x + w, y: p.y + h });
    const inView = a.x >= pane.left && a.y >= pane.top && b.x <= pane.right - card && b.y <= pane.bottom;
    if (inView) return;
    void flow.setCenter(p.x + w / 2 + card / 2 / zoom, p.y + h / 2, { zoom, duration: 250 });
    // Only when the step (or its node) changes: a student panning away is not pulled back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, index, known]);
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
