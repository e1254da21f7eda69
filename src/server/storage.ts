/**
 * Durable storage in one SQLite file (WAL mode, owner-only permissions) under the data
 * directory.
 *
 * - `documents`: the compacted Yjs state of each room.
 * - `updates`: every Yjs update appended since the last compaction, one row each,
 *   written synchronously before the server applies or acknowledges it.
 * - `rooms`: name, creation time, whether the owner published it as a starting point,
 *   and its link epoch (tokens.ts).
 * - `forks`: which room was forked from which.
 * - `snapshots`: a room's whole document at a moment (history.ts), restorable.
 * - `quarantine`: stored updates that compaction could not apply, kept for inspection
 *   instead of being deleted.
 *
 * Compaction folds a room's rows into its `documents` state inside one IMMEDIATE
 * transaction, reading from the database rather than from memory, so several server
 * processes sharing the file (behind Redis) never drop each other's rows.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';

export interface RoomRow {
  id: string;
  name: string;
  createdAt: number;
  published: boolean;
}

export interface ForkRow {
  id: string;
  createdAt: number;
}

export interface SnapshotRow {
  id: number;
  createdAt: number;
  /** 'interval', 'manual' or 'before-restore'. */
  reason: string;
  bytes: number;
}

export interface StorageOptions {
  /**
   * 'FULL' (default): a committed update survives a power cut (one fsync per commit).
   * 'NORMAL': it survives the server process being killed, not a power cut.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another process's lock before failing (SQLITE_BUSY). */
  busyTimeoutMs?: number;
  /** The database never grows past this; a write that would is refused (SQLITE_FULL), as on a full disk. */
  maxBytes?: number;
}

export const DATABASE_FILE = 'wavegraph.sqlite';

export class Storage {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(dataDir: string, opts: StorageOptions = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, DATABASE_FILE);
    // Created owner-only before SQLite opens it: its -wal and -shm files take the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (opts.maxBytes)
      this.db.pragma(
        `max_page_count = ${Math.max(1, Math.floor(opts.maxBytes / (this.db.pragma('page_size', { simple: true }) as number)))}`,
      );
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS documents (room TEXT PRIMARY KEY, state BLOB NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, seq);
      CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL, published INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS forks (child TEXT PRIMARY KEY, parent TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS forks_by_parent ON forks (parent, created_at);
      CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, state BLOB NOT NULL, created_at INTEGER NOT NULL, reason TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS snapshots_by_room ON snapshots (room, id);
      CREATE TABLE IF NOT EXISTS quarantine (seq INTEGER PRIMARY KEY, room TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL, quarantined_at INTEGER NOT NULL);
    `);
    const roomColumns = (this.db.prepare('PRAGMA table_info(rooms)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    if (!roomColumns.includes('epoch')) this.db.exec('ALTER TABLE rooms ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0');
    // Documents and the secret's neighbours: readable by the server's user only.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    this.stmts = {
      append: this.db.prepare('INSERT INTO updates (room, data, created_at) VALUES (?, ?, ?)'),
      state: this.db.prepare('SELECT state FROM documents WHERE room = ?').pluck(),
      updates: this.db.prepare('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq'),
      size: this.db.prepare(
        'SELECT COALESCE((SELECT length(state) FROM documents WHERE room = @room), 0) + COALESCE((SELECT SUM(length(data)) FROM updates WHERE room = @room), 0) AS bytes, (SELECT COUNT(*) FROM updates WHERE room = @room) AS rows',
      ),
      putState: this.db.prepare(
        'INSERT INTO documents (room, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(room) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      ),
      dropUpdates: this.db.prepare('DELETE FROM updates WHERE room = ? AND seq <= ?'),
      insertRoom: this.db.prepare('INSERT INTO rooms (id, name, created_at, published) VALUES (?, ?, ?, 0)'),
      room: this.db.prepare('SELECT id, name, created_at AS createdAt, published FROM rooms WHERE id = ?'),
      publish: this.db.prepare('UPDATE rooms SET published = ? WHERE id = ?'),
      insertFork: this.db.prepare('INSERT INTO forks (child, parent, created_at) VALUES (?, ?, ?)'),
      parent: this.db.prepare('SELECT parent FROM forks WHERE child = ?').pluck(),
      forks: this.db.prepare(
        'SELECT child AS id, created_at AS createdAt FROM forks WHERE parent = ? ORDER BY created_at, child',
      ),
      roomCount: this.db.prepare('SELECT COUNT(*) FROM rooms').pluck(),
      epoch: this.db.prepare('SELECT epoch FROM rooms WHERE id = ?').pluck(),
      bumpEpoch: this.db.prepare('UPDATE rooms SET epoch = epoch + 1 WHERE id = ? RETURNING epoch').pluck(),
      quarantine: this.db.prepare(
        'INSERT OR REPLACE INTO quarantine (seq, room, data, created_at, quarantined_at) SELECT seq, room, data, created_at, ? FROM updates WHERE seq = ?',
      ),
      quarantined: this.db.prepare('SELECT COUNT(*) FROM quarantine WHERE room = ?').pluck(),
      putSnapshot: this.db.prepare('INSERT INTO snapshots (room, state, created_at, reason) VALUES (?, ?, ?, ?)'),
      snapshots: this.db.prepare(
        'SELECT id, created_at AS createdAt, reason, length(state) AS bytes FROM snapshots WHERE room = ? ORDER BY id DESC',
      ),
      snapshot: this.db.prepare('SELECT state FROM snapshots WHERE room = ? AND id = ?').pluck(),
      lastSnapshot: this.db.prepare('SELECT state FROM snapshots WHERE room = ? ORDER BY id DESC LIMIT 1').pluck(),
      pruneSnapshots: this.db.prepare(
        'DELETE FROM snapshots WHERE room = @room AND id NOT IN (SELECT id FROM snapshots WHERE room = @room ORDER BY id DESC LIMIT @keep)',
      ),
    };
  }

  /** Synchronous and committed when it returns. */
  appendUpdate(room: string, update: Uint8Array): void {
    this.appendUpdates([{ room, update }]);
  }

  /** Several rooms' updates in one transaction: all committed (one fsync) or none. */
  appendUpdates(rows: Array<{ room: string; update: Uint8Array }>): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { room, update } of rows)
        this.stmts.append.run(room, Buffer.from(update.buffer, update.byteOffset, update.byteLength), now);
    })();
  }

  /** The stored state followed by the updates since, in the order they were written. */
  loadUpdates(room: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    const state = this.stmts.state.get(room) as Buffer | undefined;
    if (state) out.push(state);
    for (const row of this.stmts.updates.all(room) as Array<{ data: Buffer }>) out.push(row.data);
    return out;
  }

  /** Bytes stored for a room (state + pending updates) and the number of update rows. */
  size(room: string): { bytes: number; rows: number } {
    return this.stmts.size.get({ room }) as { bytes: number; rows: number };
  }

  /** The room's whole document as one update, built from what is on disk. */
  readState(room: string): Uint8Array {
    const doc = new Y.Doc();
    for (const u of this.loadUpdates(room)) applySafely(doc, u);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  /**
   * Fold the room's update rows into its stored state. A row that cannot be applied is
   * moved to `quarantine` (same seq, same bytes) rather than lost.
   */
  compact(room: string): void {
    this.db
      .transaction(() => {
        const rows = this.stmts.updates.all(room) as Array<{ seq: number; data: Buffer }>;
        if (rows.length === 0) return;
        const doc = new Y.Doc();
        const state = this.stmts.state.get(room) as Buffer | undefined;
        if (state) applySafely(doc, state);
        const now = Date.now();
        for (const r of rows) if (!applySafely(doc, r.data)) this.stmts.quarantine.run(now, r.seq);
        this.stmts.putState.run(room, Buffer.from(Y.encodeStateAsUpdate(doc)), now);
        this.stmts.dropUpdates.run(room, rows[rows.length - 1].seq);
        doc.destroy();
      })
      .immediate();
  }

  roomCount(): number {
    return this.stmts.roomCount.get() as number;
  }

  quarantinedCount(room: string): number {
    return this.stmts.quarantined.get(room) as number;
  }

  /** The room's link epoch (0 for a room the rooms table does not know). */
  epoch(room: string): number {
    return (this.stmts.epoch.get(room) as number | undefined) ?? 0;
  }

  /** Raise the room's epoch (every earlier link stops working) and return the new one. */
  rotateEpoch(room: string): number {
    return this.db.transaction(() => {
      if (!this.getRoom(room)) this.createRoom(room, 'Untitled');
      return this.stmts.bumpEpoch.get(room) as number;
    })();
  }

  /** Store the room's whole current document as a snapshot; keep the newest `keep`. */
  addSnapshot(room: string, reason: string, keep: number, state: Uint8Array = this.readState(room)): number {
    return this.db.transaction(() => {
      const id = Number(this.stmts.putSnapshot.run(room, Buffer.from(state), Date.now(), reason).lastInsertRowid);
      this.stmts.pruneSnapshots.run({ room, keep });
      return id;
    })();
  }

  /** The newest snapshot's state, to skip taking an identical one. */
  lastSnapshot(room: string): Uint8Array | undefined {
    return this.stmts.lastSnapshot.get(room) as Buffer | undefined;
  }

  listSnapshots(room: string): SnapshotRow[] {
    return this.stmts.snapshots.all(room) as SnapshotRow[];
  }

  snapshotState(room: string, id: number): Uint8Array | undefined {
    return this.stmts.snapshot.get(room, id) as Buffer | undefined;
  }

  writeState(room: string, state: Uint8Array): void {
    this.stmts.putState.run(room, Buffer.from(state), Date.now());
  }

  createRoom(id: string, name: string): void {
    this.stmts.insertRoom.run(id, name, Date.now());
  }

  getRoom(id: string): RoomRow | undefined {
    const row = this.stmts.room.get(id) as (Omit<RoomRow, 'published'> & { published: number }) | undefined;
    return row ? { ...row, published: row.published === 1 } : undefined;
  }

  setPublished(id: string, published: boolean): void {
    this.stmts.publish.run(published ? 1 : 0, id);
  }

  /** Create the fork's room, its copied document and the fork link in one transaction. */
  createFork(parent: string, child: string, name: string, state: Uint8Array): void {
    this.db.transaction(() => {
      this.createRoom(child, name);
      this.writeState(child, state);
      this.stmts.insertFork.run(child, parent, Date.now());
    })();
  }

  parentOf(child: string): string | undefined {
    return this.stmts.parent.get(child) as string | undefined;
  }

  listForks(parent: string): ForkRow[] {
    return this.stmts.forks.all(parent) as ForkRow[];
  }

  close(): void {
    this.db.close();
  }
}

/** A stored update that cannot be applied is skipped, so one bad row never makes a room unloadable. */
export function applySafely(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}

/**
 * A room's link epoch read from a server's data folder without opening it for writing
 * (the server may be running): for `wavegraph token`, whose links must carry the
 * current epoch once "rotate links" has raised it. Undefined when there is no database
 * or the room is not in it.
 */
export function readRoomEpoch(dataDir: string, room: string): number | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT epoch FROM rooms WHERE id = ?').get(room) as { epoch: number } | undefined;
    return row?.epoch;
  } catch {
    return undefined; // a database from before epochs: every link is epoch 0
  } finally {
    db.close();
  }
}
