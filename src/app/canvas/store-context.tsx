/** The store alone, in a context that never changes, so node components can edit without re-rendering on every change. */
import { createContext, useContext } from 'react';
import type { GraphStore } from '../../collab/store-interface';

export const StoreContext = createContext<GraphStore | null>(null);

export function useStore(): GraphStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside StoreContext');
  return s;
}

/** Canvas-level actions a node can ask for (expand a block), provided by the canvas. */
export interface NodeActions {
  expand(nodeId: string): void;
  collapse(groupId: string): void;
}
export const NodeActionsContext = createContext<NodeActions>({ expand() {}, collapse() {} });
