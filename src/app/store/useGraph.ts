import { useSyncExternalStore } from 'react';
import type { GraphDocument } from '../../../document/graph';
import type { GraphStore } from '../../../document/store';

/** The store's current document; re-renders on every change, local or remote. */
export function useGraph(store: GraphStore): GraphDocument {
  return useSyncExternalStore(
    (cb) => store.subscribe(cb),
    () => store.getSnapshot(),
  );
}
