/** What every research view receives from the panel. */
import type { GraphDocument } from '../../../document/graph';
import type { GraphStore } from '../../../document/store';
import type { ModelSource } from '../../worker/research-protocol';
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

/** The model source a picker value names: a kept run's id, or '' for the current graph. */
export function sourceOf(pick: string, doc: GraphDocument, seed: number): ModelSource {
  return pick ? { kind: 'run', runId: pick } : { kind: 'init', doc, seed };
}
