/**
 * Group commit: the updates that arrive in one turn of the event loop, from any
 * connection and any room, are written in one SQLite transaction, so with
 * `synchronous=FULL` a class typing at once pays one fsync per turn instead of one per
 * keystroke. Each sender waits for the commit that holds its update (its beforeSync
 * hook awaits it), so nothing is applied or acknowledged before it is on disk; a
 * failed commit fails every update in it, and each of their senders re-sends.
 */
export interface PendingRow {
  room: string;
  update: Uint8Array;
}

export class GroupCommit {
  private queue: Array<PendingRow & { done(error?: unknown): void }> = [];

  constructor(private readonly write: (rows: PendingRow[]) => void) {}

  append(room: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ room, update, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    let error: unknown;
    try {
      this.write(batch);
    } catch (e) {
      error = e ?? new Error('write failed');
    }
    for (const row of batch) row.done(error);
  }
}
