/** Keyboard shortcuts of the editor; ignored while typing in a field. */
import { useEffect } from 'react';
import type { Commands } from '../commands';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

export function useShortcuts(commands: Commands, onEscape: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        commands.save();
        return;
      }
      if (mod && key === 'enter') {
        e.preventDefault();
        commands.train();
        return;
      }
      if (typing(e.target)) return;
      if (key === 'escape') return onEscape();
      if (mod && key === 'z' && !e.shiftKey) return void (e.preventDefault(), commands.undo());
      if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) return void (e.preventDefault(), commands.redo());
      if (mod && key === 'c') return commands.copy();
      if (mod && key === 'v') return void (e.preventDefault(), commands.paste());
      if (mod && key === 'd') return void (e.preventDefault(), commands.duplicate());
      if (!mod && (key === 'delete' || key === 'backspace'))
        return void (e.preventDefault(), commands.deleteSelection());
      if (!mod && !e.altKey && e.shiftKey && key === 'f') return commands.fitAll();
      if (!mod && !e.altKey && key === 'f') return commands.fit();
      if (!mod && e.shiftKey && key === 'l') return void commands.layout();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands, onEscape]);
}
