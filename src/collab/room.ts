/**
 * Joining a shared room: one Y.Doc, its Hocuspocus connection, the local copy kept
 * in the browser's IndexedDB (edits made offline survive a reload and merge on
 * reconnect), the collaborative store and presence, and the connection status the
 * UI shows.
 */
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import { CollabStore, type CollabStoreOptions } from './store';
import { Presence, type PresenceUser } from './presence';

export type ConnectionStatus = 'connected' | 'connecting' | 'offline';

export interface LocalPersistence {
  whenSynced: Promise<unknown>;
  destroy(): unknown;
}

export interface OpenRoomOptions extends CollabStoreOptions {
  /** WebSocket address of the server's /collab endpoint (see collabUrl). */
  url: string;
  room: string;
  token: string;
  user: PresenceUser;
  /**
   * The local copy. Default: IndexedDB where the platform has it, none elsewhere
   * (Node). Pass null to disable, or a factory to supply another.
   */
  persistence?: ((room: string, ydoc: Y.Doc) => LocalPersistence) | null;
  /** A WebSocket class, for platforms without a global one (Node 20). */
  WebSocketPolyfill?: unknown;
}

export interface Room {
  ydoc: Y.Doc;
  store: CollabStore;
  presence: Presence;
  provider: HocuspocusProvider;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** True once the server said this token may only read. */
  readOnly(): boolean;
  /** Set when the server refused the token. */
  denied(): string | undefined;
  /** Resolves once the first sync with the server is complete. */
  whenSynced: Promise<void>;
  destroy(): void;
}

/** ws(s)://<this host>/collab for the page's own origin. */
export function collabUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

function defaultPersistence(room: string, ydoc: Y.Doc): LocalPersistence | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  return new IndexeddbPersistence(`wavegraph-room-${room}`, ydoc);
}

export function openRoom(opts: OpenRoomOptions): Room {
  const ydoc = new Y.Doc();
  const local =
    opts.persistence === null
      ? undefined
      : opts.persistence
        ? opts.persistence(opts.room, ydoc)
        : defaultPersistence(opts.room, ydoc);
  const store = new CollabStore(ydoc, opts);
  let status: ConnectionStatus = 'connecting';
  let readOnly = false;
  let denied: string | undefined;
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const setStatus = (s: ConnectionStatus) => {
    if (s === status) return;
    status = s;
    for (const l of [...statusListeners]) l(s);
  };
  let resolveSynced!: () => void;
  const whenSynced = new Promise<void>((r) => (resolveSynced = r));
  const provider = new HocuspocusProvider({
    url: opts.url,
    name: opts.room,
    document: ydoc,
    token: opts.token,
    ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
    onStatus: ({ status: s }) =>
      setStatus(s === 'connected' ? 'connected' : s === 'connecting' ? 'connecting' : 'offline'),
    onSynced: ({ state }) => {
      if (state) resolveSynced();
    },
    onAuthenticated: ({ scope }) => {
      readOnly = scope === 'readonly';
      store.readOnly = readOnly;
    },
    onAuthenticationFailed: ({ reason }) => {
      denied = reason;
      setStatus('offline');
    },
  });
  const presence = new Presence(provider.awareness!, opts.user);

  const onOffline = () => setStatus('offline');
  // A socket that survived a network blip never reports 'connected' again: back online,
  // take the socket's own status.
  const onOnline = () => {
    const s = String(provider.configuration.websocketProvider.status);
    setStatus(s === 'connected' ? 'connected' : s === 'connecting' ? 'connecting' : 'offline');
  };
  const hasWindow = typeof window !== 'undefined' && typeof window.addEventListener === 'function';
  if (hasWindow) window.addEventListener('offline', onOffline);
  if (hasWindow) window.addEventListener('online', onOnline);

  return {
    ydoc,
    store,
    presence,
    provider,
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    readOnly: () => readOnly,
    denied: () => denied,
    whenSynced,
    destroy() {
      if (hasWindow) window.removeEventListener('offline', onOffline);
      if (hasWindow) window.removeEventListener('online', onOnline);
      presence.destroy();
      provider.destroy();
      store.destroy();
      local?.destroy();
      ydoc.destroy();
    },
  };
}
