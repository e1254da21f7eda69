/**
 * The lesson card over the canvas: the current step's text, its check with a tick when
 * the graph or training meets it, Back and Next, progress; in a room, following the
 * teacher's step or leading it; the teacher's edit mode below (LessonEditor).
 */
import { useEffect, useMemo } from 'react';
import { checkPassed, describeCheck, type Lesson } from '../../../document/lesson';
import type { ParamValue } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import { useEditor } from '../editor-context';
import { useCollab, usePeers } from '../collab/context';
import { setPrefs } from '../layout/prefs';
import { emit } from '../app-events';
import { followTraining, setLessonState, useLessonState } from './lesson-state';
import { leaderOf, useCurrentStep } from './useCurrentStep';
import { Markdown } from './Markdown';
import { LessonEditor } from './LessonEditor';
import './lesson.css';

declare global {
  interface WindowEventMap {
    /** Show the training dock's Train or Research area (the training panel listens). */
    'wavegraph:show-area': CustomEvent<'train' | 'research'>;
  }
}

export function paramDefault(type: string, param: string): ParamValue | undefined {
  const spec = (getNodeDefinition(type)?.params as Record<string, { default?: unknown }> | undefined)?.[param];
  return spec?.default as ParamValue | undefined;
}

export function LessonPanel() {
  const { store, doc } = useEditor();
  const s = useLessonState();
  const { lesson, index, step, leader } = useCurrentStep();
  const { room, mode } = useCollab();
  const canEdit = mode !== 'read';
  useEffect(followTraining, []);
  useEffect(() => {
    room?.presence.update({ leadStep: s.leading && lesson ? index : null });
  }, [room, s.leading, lesson, index]);
  const panel = step?.target && 'panel' in step.target ? step.target.panel : undefined;
  useEffect(() => {
    if (panel === 'inspector') setPrefs({ inspectorOpen: true });
    else if (panel === 'palette') setPrefs({ paletteOpen: true });
    else if (panel === 'training' || panel === 'research') {
      setPrefs({ dockOpen: true });
      emit('wavegraph:show-area', panel === 'research' ? 'research' : 'train');
    }
  }, [panel, index]);
  const passed = useMemo(
    () => lesson?.steps.map((st) => (st.check ? checkPassed(st.check, doc, s.metrics, paramDefault) : undefined)) ?? [],
    [lesson, doc, s.metrics],
  );

  if (!s.open) {
    if (!lesson) return null;
    return (
      <button
        className="lesson-pill"
        onClick={() => setLessonState({ open: true })}
        data-testid="lesson-open"
        // The accessible name starts with the visible text (axe: label-content-name-mismatch).
        aria-label={`Lesson · ${index + 1}/${lesson.steps.length}: show the lesson, step ${index + 1} of ${lesson.steps.length}`}
      >
        Lesson · {index + 1}/{lesson.steps.length}
      </button>
    );
  }
  if (!lesson) {
    if (!s.editing || !canEdit) return null;
    return (
      <section className="lesson" aria-label="Lesson" data-testid="lesson-panel">
        <div className="lesson-head">
          <h2>Lesson</h2>
          <button onClick={() => setLessonState({ open: false, editing: false })} aria-label="Close">
            ✕
          </button>
        </div>
        <p className="lesson-empty">This graph has no lesson yet. A lesson walks a student through it step by step.</p>
        <button
          className="lesson-primary"
          data-testid="lesson-start"
          onClick={() =>
            store.transact(
              (d) => void (d.lesson = { title: d.name ?? 'Lesson', steps: [{ title: 'Welcome', text: '' }] }),
              'Start a lesson',
            )
          }
        >
          Start a lesson
        </button>
      </section>
    );
  }
  const n = lesson.steps.length;
  const checks = passed.filter((p) => p !== undefined).length;
  const done = passed.filter((p) => p === true).length;
  const go = (i: number) => setLessonState({ step: Math.max(0, Math.min(n - 1, i)), alone: !!leader || s.alone });
  const ok = passed[index];
  return (
    <section className="lesson" aria-label="Lesson" data-testid="lesson-panel" data-step={index}>
      <div className="lesson-head">
        <h2>{lesson.title || 'Lesson'}</h2>
        {canEdit && (
          <button
            aria-pressed={s.editing}
            onClick={() => setLessonState({ editing: !s.editing })}
            data-testid="lesson-edit"
            title="Edit the lesson's steps"
          >
            Edit
          </button>
        )}
        <button
          onClick={() => setLessonState({ open: false })}
          aria-label="Fold the lesson"
          title="Fold the lesson"
          data-testid="lesson-fold"
        >
          ▾
        </button>
      </div>
      <Progress lesson={lesson} index={index} passed={passed} onPick={go} />
      <p className="lesson-progress" data-testid="lesson-progress" aria-live="polite">
        Step {index + 1} of {n}
        {checks > 0 && ` · ${done} of ${checks} checks done`}
      </p>
      <div className="lesson-body" tabIndex={0} role="region" aria-label="Step text" data-testid="lesson-body">
        {step!.title && <h3>{step!.title}</h3>}
        <Markdown text={step!.text} />
      </div>
      {step!.check && (
        <p
          className={`lesson-check${ok ? ' passed' : ''}`}
          data-testid="lesson-check"
          data-passed={ok ? 'true' : 'false'}
        >
          <span aria-hidden>{ok ? '✓' : '○'}</span> {ok ? 'Done: ' : 'To do: '}
          {describeCheck(step!.check)}
        </p>
      )}
      <div className="lesson-nav">
        <button onClick={() => go(index - 1)} disabled={index === 0} data-testid="lesson-back">
          Back
        </button>
        <button
          className="lesson-primary"
          onClick={() => go(index + 1)}
          disabled={index === n - 1}
          data-testid="lesson-next"
        >
          Next
        </button>
      </div>
      {room && <RoomLine leaderName={leader?.user.name} canLead={canEdit} />}
      {s.editing && canEdit && <LessonEditor lesson={lesson} index={index} />}
    </section>
  );
}

function Progress({
  lesson,
  index,
  passed,
  onPick,
}: {
  lesson: Lesson;
  index: number;
  passed: (boolean | undefined)[];
  onPick: (i: number) => void;
}) {
  return (
    <ol className="lesson-steps" aria-label="Steps">
      {lesson.steps.map((st, i) => {
        const state = passed[i] === true ? 'done' : passed[i] === false ? 'to do' : 'reading';
        return (
          <li key={i}>
            <button
              className={`lesson-dot${i === index ? ' current' : ''}${passed[i] ? ' passed' : ''}`}
              aria-current={i === index ? 'step' : undefined}
              aria-label={`Step ${i + 1}${st.title ? `: ${st.title}` : ''} (${state})`}
              title={st.title ?? `Step ${i + 1}`}
              onClick={() => onPick(i)}
              data-testid={`lesson-dot-${i}`}
            >
              {passed[i] ? '✓' : i + 1}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function RoomLine({ leaderName, canLead }: { leaderName?: string; canLead: boolean }) {
  const s = useLessonState();
  const someoneLeads = !!leaderOf(usePeers());
  if (s.leading)
    return (
      <p className="lesson-room" data-testid="lesson-room">
        The room follows your step.{' '}
        <button aria-pressed onClick={() => setLessonState({ leading: false })} data-testid="lesson-lead">
          Stop leading
        </button>
      </p>
    );
  if (leaderName)
    return (
      <p className="lesson-room" data-testid="lesson-room">
        Following {leaderName}&apos;s step.
      </p>
    );
  return (
    <p className="lesson-room" data-testid="lesson-room">
      {s.alone && someoneLeads ? (
        <button onClick={() => setLessonState({ alone: false })} data-testid="lesson-follow">
          Follow the teacher again
        </button>
      ) : null}
      {canLead && (
        <button
          aria-pressed={false}
          onClick={() => setLessonState({ leading: true, alone: false })}
          data-testid="lesson-lead"
          title="Everyone in the room sees the step you are on"
        >
          Lead the room
        </button>
      )}
    </p>
  );
}
