/**
 * Contexts the canvas gives its nodes and edges: the store (never changes, so a node can
 * edit without re-rendering on every change), canvas actions, and the level of detail.
 */
import { createContext, useContext } from 'react';
import type { GraphStore } from '../../../document/store';

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

export const FAR_ZOOM = 0.45;
/** Small graphs always show full detail; only big ones switch to low detail when zoomed out. */
export const LOD_MIN_NODES = 60;
export const isFar = (s: { transform: [number, number, number]; nodeLookup: { size: number } }) =>
  s.transform[2] < FAR_ZOOM && s.nodeLookup.size > LOD_MIN_NODES;
/**
 * Zoomed far out on a big graph, nodes show only their title and ports and edges lose their
 * labels. The canvas reads the zoom once and passes the answer down, so every store update
 * (each pointer move of a drag) runs one selector for it instead of one per node and edge.
 */
export const FarContext = createContext(false);
