/**
 * The step on show: this person's own, or, in a room where someone leads the lesson,
 * the leader's (unless this person chose to look around alone or leads themselves).
 */
import type { Lesson, LessonStep } from '../../../document/lesson';
import type { Peer } from '../../collab/presence';
import { useEditor } from '../editor-context';
import { usePeers } from '../collab/context';
import { useLessonState } from './lesson-state';

export interface CurrentStep {
  lesson?: Lesson;
  index: number;
  step?: LessonStep;
  /** The person whose step is shown, when following one. */
  leader?: Peer;
}

export function leaderOf(peers: Peer[]): Peer | undefined {
  return peers.find((p) => typeof p.leadStep === 'number');
}

export function useCurrentStep(): CurrentStep {
  const { doc } = useEditor();
  const s = useLessonState();
  const peers = usePeers();
  const lesson = doc.lesson;
  if (!lesson) return { index: 0 };
  const leader = s.leading || s.alone ? undefined : leaderOf(peers);
  const wanted = leader ? leader.leadStep! : s.step;
  const index = Math.max(0, Math.min(lesson.steps.length - 1, wanted));
  return { lesson, index, step: lesson.steps[index], leader };
}
