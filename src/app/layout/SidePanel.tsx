/**
 * A side column of the workspace (the palette on the left, the inspector on the right)
 * that folds to a narrow rail and resizes by its inner edge. Folded, the panel unmounts:
 * the rail's button brings it back.
 */
import type { ReactNode } from 'react';
import { Splitter } from './Splitter';

interface SidePanelProps {
  side: 'left' | 'right';
  title: string;
  open: boolean;
  width: number;
  limits: readonly [number, number];
  onOpen(open: boolean): void;
  onResize(width: number): void;
  testId: string;
  children: ReactNode;
}

export const RAIL_WIDTH = 30;

export function SidePanel({ side, title, open, width, limits, onOpen, onResize, testId, children }: SidePanelProps) {
  if (!open)
    return (
      <div className={`side-rail side-rail-${side}`} data-testid={`${testId}-rail`}>
        <button
          onClick={() => onOpen(true)}
          aria-expanded={false}
          aria-label={`Show the ${title.toLowerCase()}`}
          title={`Show the ${title.toLowerCase()}`}
          data-testid={`${testId}-open`}
        >
          <span>{title}</span>
        </button>
      </div>
    );
  return (
    <div className={`side side-${side}`} data-testid={testId}>
      {children}
      <button
        className="side-fold"
        onClick={() => onOpen(false)}
        aria-expanded
        aria-label={`Hide the ${title.toLowerCase()}`}
        title={`Hide the ${title.toLowerCase()}`}
        data-testid={`${testId}-fold`}
      >
        {side === 'left' ? '‹' : '›'}
      </button>
      <Splitter
        label={`Width of the ${title.toLowerCase()}`}
        axis="x"
        grow={side === 'left' ? 1 : -1}
        value={width}
        min={limits[0]}
        max={limits[1]}
        onChange={onResize}
        testId={`${testId}-splitter`}
      />
    </div>
  );
}
