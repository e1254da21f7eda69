/**
 * Weights brought back into the app (Export > Load weights…), shared by the parts that
 * use them: the exports carry them, the training panel starts from them or evaluates
 * them (filter gallery, feature maps, confusion matrix), and the research instruments
 * offer them as a model. Kept for the graph they were checked against: after the graph
 * is renamed or another one is opened, they are no longer offered.
 */
import { useSyncExternalStore } from 'react';
import type { NamedArray } from '../../platform/weights';

export interface LoadedWeights {
  /** Name of the graph the weights were checked against when loaded. */
  graph: string;
  /** Where they came from, for labels ("weights.json"). */
  source: string;
  arrays: NamedArray[];
}

let current: LoadedWeights | undefined;
const listeners = new Set<() => void>();

export function setLoadedWeights(w: LoadedWeights | undefined): void {
  current = w;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The loaded weights if they were checked against a graph of this name. */
export function loadedWeightsFor(graphName: string | undefined): LoadedWeights | undefined {
  return current && current.graph === (graphName ?? '') ? current : undefined;
}

export function useLoadedWeights(graphName: string | undefined): LoadedWeights | undefined {
  const w = useSyncExternalStore(subscribe, () => current);
  return w && w.graph === (graphName ?? '') ? w : undefined;
}
