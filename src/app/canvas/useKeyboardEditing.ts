/**
 * Building a graph without a mouse. Tab moves between nodes (React Flow makes them
 * focusable; Enter selects the focused one, arrows move it), and:
 *   A (or /)  add a node: the search opens, the new node lands right of the selected one
 *   C         connect the selected node (ConnectDialog)
 *   I         show or hide the inspector
 * Ctrl+Enter trains (useShortcuts). Ignored while typing in a field.
 */
import { useEffect, useRef } from 'react';
import { getPrefs, setPrefs } from '../layout/prefs';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

export function useKeyboardEditing(actions: { add(): void; connect(): void; enabled: boolean }): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('[role="dialog"]')) return;
      const key = e.key.toLowerCase();
      if (key === 'i') return setPrefs({ inspectorOpen: !getPrefs().inspectorOpen });
      if (!ref.current.enabled) return;
      if (key === 'a' || key === '/') {
        e.preventDefault();
        ref.current.add();
      } else if (key === 'c') {
        e.preventDefault();
        ref.current.connect();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Give keyboard focus to a node on the canvas once it is drawn. */
export function focusNode(id: string): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus(),
    ),
  );
}
