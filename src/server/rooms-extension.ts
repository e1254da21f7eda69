/**
 * The Hocuspocus extension that makes rooms safe to share: token checks, read-only
 * connections, limits, and durable storage.
 *
 * Durability: an update is written to SQLite before the client hears that the server
 * has it. In Hocuspocus 4 an incoming update is applied with `readUpdate(...)`
 * (MessageReceiver.readSyncMessage) and the sync-status acknowledgement is sent on
 * the very next line. Applying an update makes the Y.Doc emit 'update' synchronously,
 * inside that call; our listener (registered in afterLoadDocument) commits the update
 * with better-sqlite3, which is synchronous too. So the row is committed before
 * readUpdate returns, hence before the acknowledgement is written, and before the
 * broadcast to other clients (Hocuspocus defers it with setImmediate). A process
 * killed at any instant has therefore stored every update any client saw confirmed
 * or received. The debounced onStoreDocument hook only compacts.
 */
import type {
  Extension,
  afterLoadDocumentPayload,
  beforeHandleAwarenessPayload,
  beforeSyncPayload,
  onAuthenticatePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
  afterUnloadDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { applySafely, type Storage } from './storage';
import { verifyToken, type TokenMode } from './tokens';

export interface RoomLimits {
  /** Connections open on one room at once (a class of 40, some with two tabs). */
  maxConnectionsPerRoom: number;
  /** Stored bytes of one room's document (graphs are kilobytes; weights never go in). */
  maxDocumentBytes: number;
  /** One presence state, JSON bytes. */
  maxAwarenessStateBytes: number;
  /** Compact a room's update rows once there are this many. */
  compactEvery: number;
}

export const DEFAULT_LIMITS: RoomLimits = {
  maxConnectionsPerRoom: 100,
  maxDocumentBytes: 8 * 1024 * 1024,
  maxAwarenessStateBytes: 8 * 1024,
  compactEvery: 500,
};

export interface ConnectionContext {
  mode: TokenMode;
}

const LOADING = Symbol('wavegraph-load');
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** A refusal Hocuspocus turns into a close or permission-denied message (never a crash). */
function refuse(reason: string): Error & { reason: string; code: number } {
  return Object.assign(new Error(reason), { reason, code: 4403 });
}

export class RoomsExtension implements Extension {
  readonly extensionName = 'wavegraph-rooms';
  readonly priority = 1000;
  private readonly sizes = new Map<string, { bytes: number; rows: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly secret: string,
    private readonly limits: RoomLimits = DEFAULT_LIMITS,
  ) {}

  async onAuthenticate({ token, documentName, connectionConfig, instance }: onAuthenticatePayload): Promise<ConnectionContext> {
    const claims = verifyToken(token, this.secret);
    if (!claims || claims.room !== documentName) throw refuse('permission-denied');
    const open = instance.documents.get(documentName)?.getConnectionsCount() ?? 0;
    if (open >= this.limits.maxConnectionsPerRoom) throw refuse('room-full');
    connectionConfig.readOnly = claims.mode === 'read';
    return { mode: claims.mode };
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    const updates = this.storage.loadUpdates(documentName);
    Y.transact(document, () => {
      for (const u of updates) applySafely(document, u, LOADING);
    }, LOADING);
    this.sizes.set(documentName, this.storage.size(documentName));
  }

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    document.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOADING) return;
      this.storage.appendUpdate(documentName, update);
      const size = this.sizes.get(documentName) ?? { bytes: 0, rows: 0 };
      size.bytes += update.byteLength;
      size.rows += 1;
      this.sizes.set(documentName, size);
      // Compaction runs after the acknowledgement, never inside the message path.
      if (size.rows === this.limits.compactEvery) setImmediate(() => this.compact(documentName));
    });
  }

  /** Validate every update before Hocuspocus applies it; throwing closes only this connection. */
  async beforeSync({ connection, type, payload, documentName }: beforeSyncPayload): Promise<void> {
    if (connection.readOnly || (type !== SYNC_STEP2 && type !== SYNC_UPDATE)) return;
    try {
      Y.decodeUpdate(payload);
    } catch {
      throw refuse('malformed-update');
    }
    const size = this.sizes.get(documentName);
    if (size && size.bytes + payload.byteLength > this.limits.maxDocumentBytes) {
      this.compact(documentName);
      const after = this.sizes.get(documentName)!;
      if (after.bytes + payload.byteLength > this.limits.maxDocumentBytes) throw refuse('document-too-large');
    }
  }

  async beforeHandleAwareness({ states }: beforeHandleAwarenessPayload): Promise<void> {
    for (const [clientId, state] of states) {
      if (JSON.stringify(state ?? null).length > this.limits.maxAwarenessStateBytes) states.delete(clientId);
    }
  }

  async onStoreDocument({ documentName }: onStoreDocumentPayload): Promise<void> {
    this.compact(documentName);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.sizes.delete(documentName);
  }

  compact(documentName: string): void {
    try {
      this.storage.compact(documentName);
      this.sizes.set(documentName, this.storage.size(documentName));
    } catch (e) {
      // A busy database (another process compacting) just postpones compaction.
      console.error(`[wavegraph] compaction of room ${documentName} postponed:`, e instanceof Error ? e.message : e);
    }
  }
}
