/**
 * The header's presenter-mode button. P toggles it and Escape leaves it (not while
 * typing in a field); the view is fitted again afterwards, since type and ports change size.
 */
import { useEffect } from 'react';
import { getPrefs, setPrefs, useLayoutPrefs } from './prefs';
import { useLegibleFit } from '../canvas/legible-fit';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

export function PresenterToggle() {
  const { presenter } = useLayoutPrefs();
  const fit = useLegibleFit();
  useEffect(() => {
    const set = (on: boolean) => {
      setPrefs({ presenter: on });
      requestAnimationFrame(() => requestAnimationFrame(() => fit({ duration: 200 })));
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === 'p' || e.key === 'P') set(!getPrefs().presenter);
      else if (e.key === 'Escape' && getPrefs().presenter) set(false);
    };
    const onToggle = () => set(!getPrefs().presenter);
    window.addEventListener('keydown', onKey);
    window.addEventListener('wavegraph:presenter', onToggle);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('wavegraph:presenter', onToggle);
    };
  }, [fit]);
  return (
    <button
      className={`presenter-toggle${presenter ? ' on' : ''}`}
      aria-pressed={presenter}
      onClick={() => window.dispatchEvent(new CustomEvent('wavegraph:presenter'))}
      title={
        presenter
          ? 'Leave presenter mode (Esc or P)'
          : 'Presenter mode for a projector: large type, panels hidden, a laser pointer (P)'
      }
      data-testid="presenter-toggle"
    >
      {presenter ? 'Exit presenter' : 'Present'}
    </button>
  );
}
