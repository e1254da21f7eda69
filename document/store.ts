/**
 * The one store interface the canvas, inspector and compiler see, whether the
 * document is private (the offline store) or shared (the collaborative store).
 */
import type { GraphDocument } from './graph';

export interface ChangeInfo {
  /** 'local': this person's edit, undo or redo. 'remote': someone else's edit, or state loaded from storage. */
  origin: 'local' | 'remote';
}

export type GraphListener = (doc: GraphDocument, info: ChangeInfo) => void;

export interface GraphStore {
  /**
   * The current document. Immutable; a new object after every change, and unchanged
   * nodes and edges keep their identity (React can compare by reference).
   */
  getSnapshot(): GraphDocument;
  /** Returns the unsubscribe function. */
  subscribe(listener: GraphListener): () => void;
  /**
   * Edit a draft of the document, immer style. The collaborative store compares the
   * draft with the snapshot and writes only the leaf fields that changed (a moved
   * node writes its position, an edited param writes that param), so concurrent
   * edits to other fields survive. Edges into single-input ports are re-keyed to
   * `${target}:${targetPort}`.
   */
  transact(fn: (draft: GraphDocument) => void, label?: string): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
  /** End the current undo step: the next edit starts a new one (call at gesture boundaries). */
  stopCapturing(): void;
}
