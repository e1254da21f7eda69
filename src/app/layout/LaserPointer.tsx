/**
 * Presenter mode's pointer: a red dot that follows the mouse over the canvas. The
 * position already travels to the room as this person's presence cursor; the `laser`
 * flag tells the others to draw that cursor as the same dot.
 */
import { useEffect, useRef } from 'react';
import { useCollab } from '../collab/context';

export function LaserPointer() {
  const dot = useRef<HTMLDivElement>(null);
  const { room } = useCollab();
  useEffect(() => {
    room?.presence.update({ laser: true });
    return () => room?.presence.update({ laser: false });
  }, [room]);
  useEffect(() => {
    const canvas = document.querySelector('[data-testid="canvas"]');
    if (!canvas) return;
    const move = (e: Event) => {
      const p = e as PointerEvent,
        el = dot.current;
      if (!el) return;
      el.style.display = 'block';
      el.style.transform = `translate(${p.clientX}px, ${p.clientY}px)`;
    };
    const leave = () => dot.current && (dot.current.style.display = 'none');
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerleave', leave);
    return () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerleave', leave);
    };
  }, []);
  return (
    <div ref={dot} className="laser" data-testid="laser" aria-hidden style={{ display: 'none', left: 0, top: 0 }} />
  );
}
