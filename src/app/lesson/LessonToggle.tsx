/** The header's Lesson button: shows or folds the lesson card; on a graph without one, offers to write one. */
import { useEditor } from '../editor-context';
import { useReadOnly } from '../collab/context';
import { setLessonState, useLessonState } from './lesson-state';

export function LessonToggle() {
  const { doc } = useEditor();
  const s = useLessonState();
  const readOnly = useReadOnly();
  if (!doc.lesson && readOnly) return null;
  const shown = s.open && (!!doc.lesson || s.editing);
  return (
    <button
      aria-pressed={shown}
      onClick={() => setLessonState(shown ? { open: false } : { open: true, editing: s.editing || !doc.lesson })}
      data-testid="lesson-button"
      title={doc.lesson ? 'Show or fold the lesson' : 'Write a lesson for this graph'}
    >
      Lesson
    </button>
  );
}
