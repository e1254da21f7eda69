/** What every research view receives from the panel. */
import type { GraphDocument } from '../../../document/graph';
import type { GraphStore } from '../../../document/store';
import type { ModelSource } from '../../worker/research-protocol';
import { loadedWeightsFor } from '../export/loaded-weights';
import type { Resolved } from './ResearchSettings';
import type { Research } from './useResearch';

export interface ViewProps {
  doc: GraphDocument;
  store: GraphStore;
  research: Research;
  /** The shared settings, checked; a problem is shown by the panel and returned as not ok. */
  resolve(): Resolved;
  busy: boolean;
}

/** The picker value naming the current graph with the weights loaded in the app. */
export const LOADED_PICK = 'loaded-weights';

/** The model source a picker value names: a kept run's id, LOADED_PICK, or '' for the current graph. */
export function sourceOf(pick: string, doc: GraphDocument, seed: number): ModelSource {
  if (pick === LOADED_PICK) {
    const w = loadedWeightsFor(doc.name);
    if (w) return { kind: 'weights', doc, seed, arrays: w.arrays, label: w.source };
  }
  return pick && pick !== LOADED_PICK ? { kind: 'run', runId: pick } : { kind: 'init', doc, seed };
}
