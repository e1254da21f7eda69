/**
 * The Hocuspocus extension that makes rooms safe to share: token checks (epoch and
 * expiry included, re-checked on open sockets), read-only connections, limits,
 * presence checks, and durable storage.
 *
 * Durability: an incoming update is written to SQLite before Hocuspocus applies it
 * (group-commit.ts batches the writes of one event-loop turn into one transaction).
 * In Hocuspocus 4 the beforeSync hook is awaited, then the update is applied with
 * `readUpdate(...)` and the sync-status acknowledgement is sent on the next line
 * (MessageReceiver.readSyncMessage); the broadcast to other clients comes later still.
 * So a committed row precedes the update being in memory, acknowledged or relayed,
 * and a failed write (disk full, I/O error, SQLITE_BUSY past the busy timeout) means
 * the update is never applied: the sender's socket is closed, nobody else saw the
 * edit, and the sender's provider re-sends it when it reconnects (its sync finds it
 * missing on the server). Updates with missing dependencies (held pending by Yjs) are
 * stored the same way, so they count toward the document limit, and a connection that
 * piles up more pending bytes than `maxPendingBytes` is closed. Updates that reach
 * this process through Redis were stored by the process their sender is connected to.
 */
import type {
  Extension,
  beforeHandleAwarenessPayload,
  beforeSyncPayload,
  onAuthenticatePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
  afterUnloadDocumentPayload,
  connectedPayload,
  Connection,
  Document,
  Hocuspocus,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { GroupCommit } from './group-commit';
import { PresenceGate, DEFAULT_PRESENCE_LIMITS } from './presence-gate';
import { applySafely, type Storage } from './storage';
import { verifyToken, type TokenMode } from './tokens';

export interface RoomLimits {
  /** Connections open on one room at once (a class of 40, some with two tabs). */
  maxConnectionsPerRoom: number;
  /** Stored bytes of one room's document (graphs are kilobytes; weights never go in). */
  maxDocumentBytes: number;
  /** One presence state, JSON bytes. */
  maxAwarenessStateBytes: number;
  /** Presence states per second one connection may send (the client sends at most 30). */
  presencePerSecond: number;
  /** Bytes of updates waiting for missing dependencies in one room. */
  maxPendingBytes: number;
  /** Compact a room's update rows once there are this many. */
  compactEvery: number;
}

export const DEFAULT_LIMITS: RoomLimits = {
  maxConnectionsPerRoom: 100,
  maxDocumentBytes: 8 * 1024 * 1024,
  maxAwarenessStateBytes: DEFAULT_PRESENCE_LIMITS.maxStateBytes,
  presencePerSecond: DEFAULT_PRESENCE_LIMITS.ratePerSecond,
  maxPendingBytes: 1024 * 1024,
  compactEvery: 500,
};

export interface ConnectionContext {
  mode: TokenMode;
  /** The room epoch of the token the connection logged in with. */
  epoch: number;
  /** Token expiry, Unix seconds. */
  exp?: number;
}

/** The origin of updates the server itself applies after storing them (loading, restoring). */
export const SERVER_ORIGIN = Symbol('wavegraph-server');
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** How often open sockets are checked against their room's epoch and their token's expiry. */
const REVOCATION_CHECK_MS = 250;
/** A login that has passed the checks but not yet joined counts toward the room's limit this long at most. */
const ADMISSION_MS = 10_000;

/** Close codes the app can tell apart (4000-4999 are the application's). */
export const CLOSE = {
  storageFailed: { code: 4500, reason: 'storage-failed' },
  revoked: { code: 4401, reason: 'link-revoked' },
  expired: { code: 4401, reason: 'link-expired' },
  pending: { code: 4413, reason: 'too-many-pending-updates' },
} as const;

/** Bytes Yjs holds for updates whose dependencies have not arrived. */
export function pendingBytes(doc: Y.Doc): number {
  return (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
}

function isEmptyUpdate(update: { structs: unknown[]; ds: { clients: Map<number, unknown> } }): boolean {
  return update.structs.length === 0 && update.ds.clients.size === 0;
}

function closeSocket(connection: Connection, how: { code: number; reason: string }): void {
  try {
    connection.webSocket.close(how.code, how.reason);
  } catch {
    // Already closing.
  }
}

/** A refusal Hocuspocus turns into a close or permission-denied message (never a crash). */
function refuse(reason: string): Error & { reason: string; code: number } {
  return Object.assign(new Error(reason), { reason, code: 4403 });
}

export class RoomsExtension implements Extension {
  readonly extensionName = 'wavegraph-rooms';
  readonly priority = 1000;
  private readonly sizes = new Map<string, { bytes: number; rows: number }>();
  /** Logins admitted but not yet joined, per room: simultaneous logins cannot pass the limit together. */
  private readonly admitting = new Map<string, number[]>();
  private readonly presence: PresenceGate;
  private readonly commits: GroupCommit;
  private instance: Hocuspocus | undefined;
  private readonly sweep: ReturnType<typeof setInterval>;
  /** Told of every stored update (history marks the room for its next snapshot). */
  onStored: ((room: string) => void) | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly secret: string,
    private readonly limits: RoomLimits = DEFAULT_LIMITS,
  ) {
    this.presence = new PresenceGate({
      maxStateBytes: limits.maxAwarenessStateBytes,
      ratePerSecond: limits.presencePerSecond,
      burst: 2 * limits.presencePerSecond,
    });
    this.commits = new GroupCommit((rows) => storage.appendUpdates(rows));
    this.sweep = setInterval(() => this.closeRevoked(), REVOCATION_CHECK_MS);
    this.sweep.unref();
  }

  async onConfigure({ instance }: { instance: Hocuspocus }): Promise<void> {
    this.instance = instance;
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.sweep);
  }

  async onAuthenticate({
    token,
    documentName,
    connectionConfig,
    instance,
  }: onAuthenticatePayload): Promise<ConnectionContext> {
    const claims = verifyToken(token, this.secret);
    if (!claims || claims.room !== documentName) throw refuse('permission-denied');
    if ((claims.epoch ?? 0) !== this.storage.epoch(documentName)) throw refuse('permission-denied');
    const now = Date.now();
    const waiting = (this.admitting.get(documentName) ?? []).filter((t) => now - t < ADMISSION_MS);
    const open = instance.documents.get(documentName)?.getConnectionsCount() ?? 0;
    if (open + waiting.length >= this.limits.maxConnectionsPerRoom) throw refuse('room-full');
    waiting.push(now);
    this.admitting.set(documentName, waiting);
    connectionConfig.readOnly = claims.mode === 'read';
    return { mode: claims.mode, epoch: claims.epoch ?? 0, ...(claims.exp !== undefined ? { exp: claims.exp } : {}) };
  }

  async connected({ documentName }: connectedPayload): Promise<void> {
    const waiting = this.admitting.get(documentName);
    waiting?.shift();
    if (waiting && !waiting.length) this.admitting.delete(documentName);
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    const updates = this.storage.loadUpdates(documentName);
    Y.transact(
      document,
      () => {
        for (const u of updates) applySafely(document, u, SERVER_ORIGIN);
      },
      SERVER_ORIGIN,
    );
    this.sizes.set(documentName, this.storage.size(documentName));
  }

  /**
   * Store every update before Hocuspocus applies it; throwing closes only this
   * connection (and a storage failure its whole socket, so its provider reconnects
   * and re-sends).
   */
  async beforeSync({ connection, type, payload, documentName, document }: beforeSyncPayload): Promise<void> {
    if (connection.readOnly || (type !== SYNC_STEP2 && type !== SYNC_UPDATE)) return;
    let decoded;
    try {
      decoded = Y.decodeUpdate(payload);
    } catch {
      throw refuse('malformed-update');
    }
    if (isEmptyUpdate(decoded)) return;
    let size = this.sizes.get(documentName);
    if (!size) this.sizes.set(documentName, (size = this.storage.size(documentName)));
    if (size.bytes + payload.byteLength > this.limits.maxDocumentBytes) {
      this.compact(documentName);
      size = this.sizes.get(documentName)!;
      if (size.bytes + payload.byteLength > this.limits.maxDocumentBytes) throw refuse('document-too-large');
    }
    // Counted before the commit, so updates committed together cannot pass the limit together.
    size.bytes += payload.byteLength;
    size.rows += 1;
    try {
      await this.commits.append(documentName, payload);
    } catch (e) {
      size.bytes -= payload.byteLength;
      size.rows -= 1;
      console.error(
        `[wavegraph] room ${documentName}: an update could not be stored (${e instanceof Error ? e.message : e}); it was not applied and its sender will re-send it on reconnecting`,
      );
      closeSocket(connection, CLOSE.storageFailed);
      throw refuse(CLOSE.storageFailed.reason);
    }
    this.stored(documentName, size.rows);
    // Yjs applies the update right after this hook returns: look at what it left pending then.
    setImmediate(() => {
      if (pendingBytes(document) > this.limits.maxPendingBytes) closeSocket(connection, CLOSE.pending);
    });
  }

  async beforeHandleAwareness({ states, document, connection }: beforeHandleAwarenessPayload): Promise<void> {
    this.presence.filter(states, document, connection);
  }

  async onStoreDocument({ documentName }: onStoreDocumentPayload): Promise<void> {
    this.compact(documentName);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.sizes.delete(documentName);
  }

  /** The room's document if this process has it loaded. */
  liveDocument(room: string): Y.Doc | undefined {
    return this.instance?.documents.get(room);
  }

  /** An edit the server makes (a restore): stored first, then applied and relayed like a client's. */
  applyServerUpdate(room: string, update: Uint8Array): void {
    this.storage.appendUpdate(room, update);
    const size = this.sizes.get(room);
    if (size) {
      size.bytes += update.byteLength;
      size.rows += 1;
    }
    this.stored(room, size?.rows ?? 0);
    const doc = this.liveDocument(room);
    if (doc) Y.applyUpdate(doc, update, SERVER_ORIGIN);
  }

  private stored(room: string, rows: number): void {
    // Compaction runs after the acknowledgement, never inside the message path.
    if (rows >= this.limits.compactEvery) setImmediate(() => this.compact(room));
    this.onStored?.(room);
  }

  /** Presence states dropped so far, by reason. */
  presenceDrops(): Readonly<Record<string, number>> {
    return this.presence.dropped;
  }

  /**
   * Close every open socket whose token is no longer good: its room's links were
   * rotated (here or by another process on the same database) or it expired.
   */
  closeRevoked(room?: string): void {
    if (!this.instance) return;
    const nowS = Date.now() / 1000;
    const docs: Document[] = room
      ? [this.instance.documents.get(room)].filter((d): d is Document => !!d)
      : [...this.instance.documents.values()];
    for (const doc of docs) {
      const connections = doc.getConnections();
      if (!connections.length) continue;
      let epoch: number;
      try {
        epoch = this.storage.epoch(doc.name);
      } catch {
        continue; // a busy database: check again at the next tick
      }
      for (const c of connections) {
        const ctx = c.context as ConnectionContext | undefined;
        if (!ctx) continue;
        if (ctx.epoch !== epoch) closeSocket(c, CLOSE.revoked);
        else if (ctx.exp !== undefined && ctx.exp <= nowS) closeSocket(c, CLOSE.expired);
      }
    }
  }

  compact(documentName: string): void {
    try {
      this.storage.compact(documentName);
      this.sizes.set(documentName, this.storage.size(documentName));
    } catch (e) {
      // A busy or full database just postpones compaction.
      console.error(`[wavegraph] compaction of room ${documentName} postponed:`, e instanceof Error ? e.message : e);
    }
  }
}
