/**
 * The dotted grid behind the graph. It moves with the view, but a pan does not redraw it:
 * the dots are drawn once per zoom on a layer a little larger than the canvas, and a pan
 * only shifts that layer by the pan modulo one grid step, a move the compositor makes
 * without painting anything. (React Flow's own background changes its svg pattern on
 * every pan, so every frame of a pan, and of a drag that carries a node to the canvas's
 * edge, repainted the whole canvas.)
 */
import { useId, useLayoutEffect, useRef } from 'react';
import { useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';

const zoomOf = (s: ReactFlowState) => s.transform[2];

/** `a` modulo `m`, in [0, m). */
const mod = (a: number, m: number) => ((a % m) + m) % m;

export function DotGrid({ gap, radius, colour }: { gap: number; radius: number; colour: string }) {
  const flow = useStoreApi();
  const zoom = useStore(zoomOf);
  const ref = useRef<SVGSVGElement>(null);
  const pattern = `dot-grid-${useId().replace(/:/g, '')}`;
  const step = gap * zoom;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // The layer starts one step above and left of the canvas; a dot sits at every flow point (k·gap, l·gap).
    const place = ([x, y]: readonly number[]) => {
      el.style.transform = `translate3d(${mod(x, step) - step}px, ${mod(y, step) - step}px, 0)`;
    };
    place(flow.getState().transform);
    return flow.subscribe((s, prev) => {
      if (s.transform !== prev.transform) place(s.transform);
    });
  }, [flow, step]);
  return (
    <svg
      ref={ref}
      className="dot-grid"
      data-testid="dot-grid"
      style={{ width: `calc(100% + ${2 * step}px)`, height: `calc(100% + ${2 * step}px)` }}
      aria-hidden
    >
      {/* Tiles start half a step up and left, so each tile's dot lands on a whole step of the layer. */}
      <pattern id={pattern} x={-step / 2} y={-step / 2} width={step} height={step} patternUnits="userSpaceOnUse">
        <circle cx={step / 2} cy={step / 2} r={radius * zoom} fill={colour} />
      </pattern>
      <rect width="100%" height="100%" fill={`url(#${pattern})`} />
    </svg>
  );
}
