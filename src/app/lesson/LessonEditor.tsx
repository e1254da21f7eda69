/**
 * The teacher's edit mode for a lesson: the current step's title, text, target and
 * check, and adding, removing and reordering steps. Every change is one edit of the
 * document (undoable, saved with the graph, shared with the room).
 */
import { useId } from 'react';
import {
  LESSON_LIMITS,
  LESSON_METRICS,
  LESSON_PANELS,
  LESSON_PANEL_NAMES,
  type Lesson,
  type LessonCheck,
  type LessonMetric,
  type LessonStep,
} from '../../../document/lesson';
import type { ParamValue } from '../../../document/graph';
import { useEditor } from '../editor-context';
import type { GraphDocument } from '../../../document/graph';
import { setLessonState } from './lesson-state';

const CHECK_KINDS = {
  none: 'No check',
  node: 'A node is in the graph',
  connection: 'Two nodes are connected',
  param: 'A parameter has a value',
  metric: 'Training reaches a metric',
} as const;

/** A new check of this kind, filled from the open graph (the teacher edits it): its first edge, its first set parameter. */
function freshCheck(kind: keyof typeof CHECK_KINDS, doc: GraphDocument): LessonCheck | undefined {
  const first = doc.nodes[0]?.id ?? 'input';
  const edge = doc.edges[0];
  const withParam = doc.nodes.find((n) => Object.keys(n.params).length);
  switch (kind) {
    case 'none':
      return undefined;
    case 'node':
      return { kind: 'node', node: first };
    case 'connection':
      return { kind: 'connection', from: edge?.source ?? first, to: edge?.target ?? first };
    case 'param': {
      const [param, value] = Object.entries(withParam?.params ?? {})[0] ?? ['units', 1];
      return { kind: 'param', node: withParam?.id ?? first, param, value };
    }
    case 'metric':
      return { kind: 'metric', metric: 'testAcc', op: '>=', value: 0.85 };
  }
}

/** A typed value as the lesson stores it: a number or true/false when it reads as one. */
function readValue(text: string): ParamValue {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
}

export function LessonEditor({ lesson, index }: { lesson: Lesson; index: number }) {
  const { store, doc } = useEditor();
  const listId = useId();
  const step = lesson.steps[index];
  const edit = (fn: (l: Lesson) => void, label = 'Edit the lesson') =>
    store.transact((d) => {
      if (d.lesson) fn(d.lesson);
    }, label);
  const editStep = (fn: (st: LessonStep) => void) => edit((l) => fn(l.steps[index]));
  const move = (to: number) => {
    edit((l) => {
      const [st] = l.steps.splice(index, 1);
      l.steps.splice(to, 0, st);
    }, 'Move a lesson step');
    setLessonState({ step: to });
  };
  const target = !step.target ? '' : 'node' in step.target ? `node:${step.target.node}` : `panel:${step.target.panel}`;
  const check = step.check;
  const refs = [...new Set([...doc.nodes.map((n) => n.id), ...doc.nodes.map((n) => n.type)])];
  const refField = (label: string, value: string, set: (v: string) => void, testId: string) => (
    <label>
      {label}
      <input
        list={listId}
        value={value}
        maxLength={LESSON_LIMITS.refLength}
        // An empty reference would make the step unreadable; the field keeps the last one until a new one is typed.
        onChange={(e) => e.target.value && set(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
  const setCheck = (fn: (c: LessonCheck) => void) => editStep((st) => st.check && fn(st.check));
  return (
    <div className="lesson-editor" data-testid="lesson-editor">
      <datalist id={listId}>
        {refs.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <label>
        Lesson title
        <input
          value={lesson.title ?? ''}
          maxLength={LESSON_LIMITS.titleLength}
          onChange={(e) => edit((l) => void (l.title = e.target.value))}
          data-testid="lesson-title-input"
        />
      </label>
      <label>
        Step title
        <input
          value={step.title ?? ''}
          maxLength={LESSON_LIMITS.titleLength}
          onChange={(e) => editStep((st) => void (st.title = e.target.value))}
          data-testid="lesson-step-title"
        />
      </label>
      <label>
        Text (Markdown; $…$ for formulas)
        <textarea
          rows={6}
          value={step.text}
          maxLength={LESSON_LIMITS.textLength}
          onChange={(e) => editStep((st) => void (st.text = e.target.value))}
          data-testid="lesson-step-text"
        />
      </label>
      <label>
        Points at
        <select
          value={target}
          onChange={(e) =>
            editStep((st) => {
              const v = e.target.value;
              if (!v) delete st.target;
              else if (v.startsWith('node:')) st.target = { node: v.slice('node:'.length) };
              else st.target = { panel: v.slice('panel:'.length) as (typeof LESSON_PANELS)[number] };
            })
          }
          data-testid="lesson-step-target"
        >
          <option value="">Nothing</option>
          <optgroup label="Panels">
            {LESSON_PANELS.map((p) => (
              <option key={p} value={`panel:${p}`}>
                {LESSON_PANEL_NAMES[p]}
              </option>
            ))}
          </optgroup>
          <optgroup label="Nodes">
            {doc.nodes.map((n) => (
              <option key={n.id} value={`node:${n.id}`}>
                {n.id} ({n.type})
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        Check
        <select
          value={check?.kind ?? 'none'}
          onChange={(e) =>
            editStep((st) => {
              const c = freshCheck(e.target.value as keyof typeof CHECK_KINDS, doc);
              if (c) st.check = c;
              else delete st.check;
            })
          }
          data-testid="lesson-check-kind"
        >
          {Object.entries(CHECK_KINDS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {check?.kind === 'node' &&
        refField(
          'Node (id or type)',
          check.node,
          (v) => setCheck((c) => void (c.kind === 'node' && (c.node = v))),
          'lesson-check-node',
        )}
      {check?.kind === 'connection' && (
        <>
          {refField(
            'From (id or type)',
            check.from,
            (v) => setCheck((c) => void (c.kind === 'connection' && (c.from = v))),
            'lesson-check-from',
          )}
          {refField(
            'Into (id or type)',
            check.to,
            (v) => setCheck((c) => void (c.kind === 'connection' && (c.to = v))),
            'lesson-check-to',
          )}
        </>
      )}
      {check?.kind === 'param' && (
        <>
          {refField(
            'Node (id or type)',
            check.node,
            (v) => setCheck((c) => void (c.kind === 'param' && (c.node = v))),
            'lesson-check-node',
          )}
          <label>
            Parameter
            <input
              value={check.param}
              maxLength={100}
              onChange={(e) =>
                e.target.value && setCheck((c) => void (c.kind === 'param' && (c.param = e.target.value)))
              }
              data-testid="lesson-check-param"
            />
          </label>
          <label>
            Value
            <input
              defaultValue={String(check.value)}
              key={`${index}-${String(check.value)}`}
              onBlur={(e) => setCheck((c) => void (c.kind === 'param' && (c.value = readValue(e.target.value))))}
              data-testid="lesson-check-value"
            />
          </label>
        </>
      )}
      {check?.kind === 'metric' && (
        <div className="lesson-editor-row">
          <select
            aria-label="Metric"
            value={check.metric}
            onChange={(e) => setCheck((c) => void (c.kind === 'metric' && (c.metric = e.target.value as LessonMetric)))}
          >
            {Object.entries(LESSON_METRICS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
          <select
            aria-label="Comparison"
            value={check.op}
            onChange={(e) => setCheck((c) => void (c.kind === 'metric' && (c.op = e.target.value as '>=' | '<=')))}
          >
            <option value=">=">≥</option>
            <option value="<=">≤</option>
          </select>
          <input
            aria-label="Threshold"
            type="number"
            step="any"
            value={check.value}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isFinite(v))
                setCheck((c) => void (c.kind === 'metric' && (c.value = v)));
            }}
            data-testid="lesson-check-threshold"
          />
        </div>
      )}
      <div className="lesson-editor-row">
        <button
          onClick={() => {
            edit((l) => void l.steps.splice(index + 1, 0, { text: '' }), 'Add a lesson step');
            setLessonState({ step: index + 1 });
          }}
          disabled={lesson.steps.length >= LESSON_LIMITS.steps}
          data-testid="lesson-add-step"
        >
          Add a step
        </button>
        <button onClick={() => move(index - 1)} disabled={index === 0} aria-label="Move this step earlier">
          ↑
        </button>
        <button
          onClick={() => move(index + 1)}
          disabled={index === lesson.steps.length - 1}
          aria-label="Move this step later"
          data-testid="lesson-move-down"
        >
          ↓
        </button>
        <button
          onClick={() => {
            if (lesson.steps.length === 1) store.transact((d) => void delete d.lesson, 'Remove the lesson');
            else edit((l) => void l.steps.splice(index, 1), 'Remove a lesson step');
            setLessonState({ step: Math.max(0, index - 1) });
          }}
          data-testid="lesson-remove-step"
        >
          {lesson.steps.length === 1 ? 'Remove the lesson' : 'Remove this step'}
        </button>
      </div>
    </div>
  );
}
