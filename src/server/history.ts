/**
 * Room history: snapshots of a room's whole document, taken every `intervalMs` for
 * rooms that changed since their last one, and on demand by the owner; the newest
 * `keep` per room are kept. Restoring writes, as one ordinary update, the edit that
 * turns the current document into the snapshot's, so every client receives it like
 * any other edit (nobody has to reload) and the undone work stays reachable: the
 * document as it was just before a restore is itself saved as a snapshot first.
 */
import * as Y from 'yjs';
import { docToYDoc, yDocToDoc } from '../collab/ydoc';
import type { SnapshotRow, Storage } from './storage';

export interface HistoryOptions {
  /** Between automatic snapshots of a room that changed; 0 turns them off. */
  intervalMs: number;
  /** Snapshots kept per room (oldest dropped first). */
  keep: number;
}

export const DEFAULT_HISTORY: HistoryOptions = { intervalMs: 10 * 60 * 1000, keep: 50 };

/** What history needs of the live server: the room's in-memory document, if loaded, and a way to store-then-apply an edit. */
export interface LiveRooms {
  liveDocument(room: string): Y.Doc | undefined;
  applyServerUpdate(room: string, update: Uint8Array): void;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return !!a && a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

export class History {
  private readonly changed = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly live: LiveRooms,
    readonly options: HistoryOptions = DEFAULT_HISTORY,
  ) {
    if (options.intervalMs > 0) {
      this.timer = setInterval(() => this.snapshotChanged(), options.intervalMs);
      this.timer.unref();
    }
  }

  /** Called for every stored update: the room is due for its next interval snapshot. */
  markChanged(room: string): void {
    this.changed.add(room);
  }

  /** One interval's snapshots; a room whose document did not change is skipped. */
  snapshotChanged(): void {
    for (const room of [...this.changed]) {
      this.changed.delete(room);
      try {
        const state = this.currentState(room);
        if (!sameBytes(this.storage.lastSnapshot(room), state))
          this.storage.addSnapshot(room, 'interval', this.options.keep, state);
      } catch (e) {
        this.changed.add(room);
        console.error(`[wavegraph] snapshot of room ${room} postponed:`, e instanceof Error ? e.message : e);
      }
    }
  }

  take(room: string, reason: 'manual' | 'before-restore' = 'manual'): number {
    return this.storage.addSnapshot(room, reason, this.options.keep, this.currentState(room));
  }

  list(room: string): SnapshotRow[] {
    return this.storage.listSnapshots(room);
  }

  /** Make the room's document what snapshot `id` holds; undefined when there is no such snapshot. */
  restore(room: string, id: number): { backup: number } | undefined {
    const saved = this.storage.snapshotState(room, id);
    if (!saved) return undefined;
    const target = new Y.Doc();
    Y.applyUpdate(target, saved);
    const doc = yDocToDoc(target);
    target.destroy();
    const backup = this.take(room, 'before-restore');
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, this.currentState(room));
    const before = Y.encodeStateVector(scratch);
    docToYDoc(doc, scratch);
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    this.live.applyServerUpdate(room, update);
    return { backup };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private currentState(room: string): Uint8Array {
    const doc = this.live.liveDocument(room);
    return doc ? Y.encodeStateAsUpdate(doc) : this.storage.readState(room);
  }
}
