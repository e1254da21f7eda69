/**
 * The rooms API seen from the browser (see src/server/README.md), and the links that
 * carry a room and its token. Tokens the owner received are kept in localStorage so
 * the share dialog can show the edit and read-only links again after a reload.
 */
import type { GraphDocument } from '../../../document/graph';

export type RoomMode = 'owner' | 'edit' | 'read';
export interface RoomTokens {
  owner: string;
  edit: string;
  read: string;
}
export interface RoomInfo {
  id: string;
  name: string;
  published: boolean;
  mode: RoomMode;
  parent: string | null;
}
export interface ForkEntry {
  id: string;
  createdAt: number | string;
  readToken: string;
}

/** A refusal from the rooms API, with its code (e.g. 'create-key', 'too-many-rooms'). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, token?: string, body?: unknown, key?: string): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'x-wavegraph-key': key } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { message?: string; error?: string };
  if (!res.ok) throw new ApiError(json.message ?? `The server answered ${res.status}.`, json.error);
  return json as T;
}

export const createRoom = (doc: GraphDocument) =>
  call<{ id: string; name: string; tokens: RoomTokens }>(
    'POST',
    '/api/rooms',
    undefined,
    { name: (doc.name ?? '').slice(0, 200), document: doc },
    createKey(),
  );
export const rotateLinks = (id: string, token: string) =>
  call<{ id: string; tokens: RoomTokens }>('POST', `/api/rooms/${encodeURIComponent(id)}/rotate`, token, {});
export interface SnapshotEntry {
  id: number;
  createdAt: number;
  reason: string;
  bytes: number;
}
export const listSnapshots = (id: string, token: string) =>
  call<{ snapshots: SnapshotEntry[] }>('GET', `/api/rooms/${encodeURIComponent(id)}/snapshots`, token);
export const takeSnapshot = (id: string, token: string) =>
  call<{ id: number }>('POST', `/api/rooms/${encodeURIComponent(id)}/snapshots`, token, {});
export const restoreSnapshot = (id: string, token: string, snapshot: number) =>
  call<{ restored: number; backup: number }>(
    'POST',
    `/api/rooms/${encodeURIComponent(id)}/snapshots/${snapshot}/restore`,
    token,
    {},
  );

const CREATE_KEY = 'wavegraph-create-key';
/** The server's room-creation key, when it has one: asked once and kept in this browser. */
function createKey(): string | undefined {
  try {
    return localStorage.getItem(CREATE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
export function saveCreateKey(key: string): void {
  try {
    localStorage.setItem(CREATE_KEY, key);
  } catch {}
}
export const roomInfo = (id: string, token: string) =>
  call<RoomInfo>('GET', `/api/rooms/${encodeURIComponent(id)}`, token);
export const publishRoom = (id: string, token: string, published = true) =>
  call<{ id: string; published: boolean }>('POST', `/api/rooms/${encodeURIComponent(id)}/publish`, token, {
    published,
  });
export const forkRoom = (id: string, token: string) =>
  call<{ id: string; name: string; parent: string; tokens: RoomTokens }>(
    'POST',
    `/api/rooms/${encodeURIComponent(id)}/fork`,
    token,
    {},
  );
export const listForks = (id: string, token: string) =>
  call<{ forks: ForkEntry[] }>('GET', `/api/rooms/${encodeURIComponent(id)}/forks`, token);

/** The mode written in a token's payload; the server still decides (a forged payload fails its signature). */
export function tokenMode(token: string): RoomMode | undefined {
  try {
    const payload = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    const m = (JSON.parse(atob(payload)) as { m?: unknown }).m;
    return m === 'owner' || m === 'edit' || m === 'read' ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A room link carries the room and token in the fragment (`#room=..&token=..`): the
 * browser never sends a fragment to any server, so tokens stay out of server and
 * proxy logs and Referer headers.
 */
export function roomLink(id: string, token: string, base: { origin: string; pathname: string } = location): string {
  return `${base.origin}${base.pathname}${roomFragment(id, token)}`;
}

export function roomFragment(id: string, token: string): string {
  return `#room=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`;
}

/** The room in a fragment (`#room=..&token=..`) or, from links made before, a query string. */
export function roomFromUrl(searchOrHash: string): { id: string; token: string } | undefined {
  const p = new URLSearchParams(searchOrHash.replace(/^#/, ''));
  const id = p.get('room');
  const token = p.get('token');
  return id && token ? { id, token } : undefined;
}

const TOKENS_KEY = (id: string) => `wavegraph-room-tokens:${id}`;
export function rememberTokens(id: string, tokens: RoomTokens): void {
  try {
    localStorage.setItem(TOKENS_KEY(id), JSON.stringify(tokens));
  } catch {}
}
export function recallTokens(id: string): RoomTokens | undefined {
  try {
    const raw = localStorage.getItem(TOKENS_KEY(id));
    return raw ? (JSON.parse(raw) as RoomTokens) : undefined;
  } catch {
    return undefined;
  }
}
