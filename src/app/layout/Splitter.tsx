/**
 * A handle between two panels: drag it, or focus it and use the arrow keys, to resize
 * the panel it belongs to. `grow` says which way of the pointer makes that panel bigger
 * (the inspector on the right grows when the handle moves left, the dock when it moves up).
 */
import { useRef } from 'react';

interface SplitterProps {
  label: string;
  /** 'x': the handle moves left and right (a side panel); 'y': up and down (the dock). */
  axis: 'x' | 'y';
  grow: 1 | -1;
  value: number;
  min: number;
  max: number;
  onChange(value: number): void;
  testId: string;
}

const STEP = 16;

export function Splitter({ label, axis, grow, value, min, max, onChange, testId }: SplitterProps) {
  const start = useRef<{ at: number; value: number } | null>(null);
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)));
  const pos = (e: React.PointerEvent) => (axis === 'x' ? e.clientX : e.clientY);
  return (
    <div
      className={`splitter splitter-${axis}`}
      role="separator"
      aria-label={label}
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={testId}
      title={`${label}: drag, or focus and use the arrow keys`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { at: pos(e), value };
      }}
      onPointerMove={(e) => {
        const s = start.current;
        if (s) onChange(clamp(s.value + grow * (pos(e) - s.at)));
      }}
      onPointerUp={() => (start.current = null)}
      onPointerCancel={() => (start.current = null)}
      onKeyDown={(e) => {
        const keys = axis === 'x' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
        const i = keys.indexOf(e.key);
        if (i < 0) return;
        e.preventDefault();
        onChange(clamp(value + (i === 1 ? 1 : -1) * grow * STEP));
      }}
    />
  );
}
