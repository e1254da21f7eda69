/**
 * Keeps the document in localStorage so a reload loses nothing. Writes are debounced
 * and flushed when the page is hidden or unloaded.
 */
import { loadDocument, saveDocument, type GraphDocument } from '../../../document/graph';
import type { GraphStore } from '../../../document/store';

export const AUTOSAVE_KEY = 'wavegraph:autosave';

export function readAutosave(storage: Storage = localStorage): GraphDocument | undefined {
  let text: string | null = null;
  try {
    text = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  return loadDocument(text).doc;
}

export function startAutosave(store: GraphStore, delayMs = 250, storage: Storage = localStorage): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    pending = false;
    try {
      storage.setItem(AUTOSAVE_KEY, saveDocument(store.getSnapshot()));
    } catch {
      // Quota exceeded or storage disabled: the editor keeps working without autosave.
    }
  };
  const unsubscribe = store.subscribe(() => {
    pending = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', onHide);
  return () => {
    flush();
    unsubscribe();
    window.removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onHide);
  };
}
