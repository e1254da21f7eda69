/**
 * The GraphStore for a private document: immutable snapshots produced by immer, undo
 * and redo as a stack of snapshots (structural sharing keeps that cheap). It honours
 * the same contract as the collaborative store so the canvas never knows which one
 * it holds.
 */
import { freeze, produce } from 'immer';
import type { GraphDocument } from '../../../document/graph';
import type { ChangeInfo, GraphListener, GraphStore } from '../../../document/store';

interface Step {
  before: GraphDocument;
  after: GraphDocument;
  label?: string;
  at: number;
}

export interface OfflineStoreOptions {
  /** Successive edits with the same label closer than this merge into one undo step. */
  captureTimeout?: number;
  /** Oldest undo steps are dropped beyond this. */
  maxUndo?: number;
  now?: () => number;
}

export class OfflineStore implements GraphStore {
  private snapshot: GraphDocument;
  private readonly listeners = new Set<GraphListener>();
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];
  private capturing = true;
  private readonly captureTimeout: number;
  private readonly maxUndo: number;
  private readonly now: () => number;

  constructor(initial: GraphDocument, options: OfflineStoreOptions = {}) {
    this.snapshot = freeze(initial, true);
    this.captureTimeout = options.captureTimeout ?? 500;
    this.maxUndo = options.maxUndo ?? 500;
    this.now = options.now ?? (() => Date.now());
  }

  getSnapshot(): GraphDocument {
    return this.snapshot;
  }

  subscribe(listener: GraphListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  transact(fn: (draft: GraphDocument) => void, label?: string): void {
    const before = this.snapshot;
    const after = produce(before, fn);
    if (after === before) return;
    const t = this.now();
    const last = this.undoStack[this.undoStack.length - 1];
    // Typing into a param field sends one edit per keystroke; those become one step.
    if (last && this.capturing && label !== undefined && last.label === label && t - last.at < this.captureTimeout) {
      last.after = after;
      last.at = t;
    } else {
      this.undoStack.push({ before, after, label, at: t });
      if (this.undoStack.length > this.maxUndo) this.undoStack.shift();
    }
    this.capturing = true;
    this.redoStack = [];
    this.set(after, 'local');
  }

  undo(): void {
    const step = this.undoStack.pop();
    if (!step) return;
    this.redoStack.push(step);
    this.capturing = false;
    this.set(step.before, 'local');
  }

  redo(): void {
    const step = this.redoStack.pop();
    if (!step) return;
    this.undoStack.push(step);
    this.capturing = false;
    this.set(step.after, 'local');
  }

  canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  stopCapturing(): void {
    this.capturing = false;
  }

  /** Labels of the steps undo would revert, newest first (for a history menu). */
  undoLabels(): string[] {
    return this.undoStack.map((s) => s.label ?? 'Edit').reverse();
  }

  /** Replace the document without an undo step (state loaded from storage). */
  reset(doc: GraphDocument): void {
    this.undoStack = [];
    this.redoStack = [];
    this.set(freeze(doc, true), 'remote');
  }

  private set(doc: GraphDocument, origin: ChangeInfo['origin']): void {
    this.snapshot = doc;
    for (const l of [...this.listeners]) l(doc, { origin });
  }
}
