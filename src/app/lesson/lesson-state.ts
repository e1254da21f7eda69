/**
 * Where this person is in the lesson: the panel open or folded, the step, the teacher's
 * edit mode, leading the room. Page state, not document state: two students on one
 * shared graph are each on their own step (unless they follow the teacher).
 * A tiny external store read with useSyncExternalStore, like layout/prefs.ts.
 */
import { useSyncExternalStore } from 'react';
import { listen } from '../app-events';
import type { TrainerState } from '../training/useTrainer';
import type { LessonMetrics } from '../../../document/lesson';

export interface LessonState {
  open: boolean;
  /** The step this person chose (from 0); a follower sees the leader's instead. */
  step: number;
  editing: boolean;
  /** Publishing this person's step for the room to follow. */
  leading: boolean;
  /** A follower who chose to look around on their own. */
  alone: boolean;
  /** The best of each metric that training has reported on this page. */
  metrics: LessonMetrics;
}

let state: LessonState = { open: true, step: 0, editing: false, leading: false, alone: false, metrics: {} };
const listeners = new Set<() => void>();

export function setLessonState(patch: Partial<LessonState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

/** Another graph opened: its lesson starts at the beginning, open, out of edit mode. */
export function startLesson(): void {
  setLessonState({ open: true, step: 0, editing: false, alone: false });
}

export function getLessonState(): LessonState {
  return state;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useLessonState(): LessonState {
  return useSyncExternalStore(subscribe, getLessonState, getLessonState);
}

/** Fold a training update into the best metrics seen (a metric check stays ticked once reached). */
export function bestMetrics(prev: LessonMetrics, run: Pick<TrainerState, 'epochs' | 'last'>): LessonMetrics {
  const next = { ...prev };
  const up = (k: 'testAcc' | 'trainAcc', v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v) && !(v <= (next[k] ?? -Infinity))) next[k] = v;
  };
  const down = (v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v) && !(v >= (next.loss ?? Infinity))) next.loss = v;
  };
  // Any part of the page may announce a run; a partial one adds what it has.
  for (const e of Array.isArray(run?.epochs) ? run.epochs : []) {
    up('testAcc', e.testAcc);
    up('trainAcc', e.trainAcc);
    down(e.loss);
  }
  up('trainAcc', run?.last?.trainAcc);
  down(run?.last?.loss);
  return next;
}

let listening = false;
/** Start following training reports (once per page; the panel may mount and unmount). */
export function followTraining(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  listen('wavegraph:training', (run) => {
    const metrics = bestMetrics(state.metrics, run);
    if (JSON.stringify(metrics) !== JSON.stringify(state.metrics)) setLessonState({ metrics });
  });
}
