/**
 * A share link pasted into the address bar of an open editor changes only the hash,
 * so the page does not reload: open it here, as an undoable edit.
 */
import { useEffect } from 'react';
import type { GraphStore } from '../../../document/store';
import { decodeShare, SHARE_PREFIX } from './share';
import { useOpenDocument } from './useOpenDocument';
import { useNotify } from '../messages';

/** Fit once the newly opened graph's nodes are measured (two frames later). */
export function fitSoonRef(fit: () => void): () => void {
  return () => requestAnimationFrame(() => requestAnimationFrame(() => fit()));
}

export function useShareLinks(store: GraphStore, fit: () => void): void {
  const { openResult } = useOpenDocument(store);
  const notify = useNotify();
  useEffect(() => {
    const onHash = async () => {
      if (!location.hash.startsWith(SHARE_PREFIX)) return;
      const r = await decodeShare(location.hash);
      history.replaceState(null, '', location.pathname + location.search);
      if (r.doc) {
        openResult(r, 'the shared graph');
        fit();
      } else {
        notify(
          'error',
          'Could not open the shared graph; your canvas is unchanged.',
          r.diagnostics.map((d) => d.message).join(' '),
        );
      }
    };
    const handler = () => void onHash();
    window.addEventListener('hashchange', handler);
    return () => window.removeEventListener('hashchange', handler);
  }, [openResult, notify, fit]);
}
