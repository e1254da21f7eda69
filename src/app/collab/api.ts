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

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new Error(json.message ?? `The server answered ${res.status}.`);
  return json as T;
}

export const createRoom = (doc: GraphDocument) =>
  call<{ id: string; name: string; tokens: RoomTokens }>('POST', '/api/rooms', undefined, { name: (doc.name ?? '').slice(0, 200), document: doc });
export const roomInfo = (id: string, token: string) => call<RoomInfo>('GET', `/api/rooms/${encodeURIComponent(id)}`, token);
export const publishRoom = (id: string, token: string, published = true) =>
  call<{ id: string; published: boolean }>('POST', `/api/rooms/${encodeURIComponent(id)}/publish`, token, { published });
export const forkRoom = (id: string, token: string) =>
  call<{ id: string; name: string; parent: string; tokens: RoomTokens }>('POST', `/api/rooms/${encodeURIComponent(id)}/fork`, token, {});
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

export function roomLink(id: string, token: string, base: { origin: string; pathname: string } = location): string {
  return `${base.origin}${base.pathname}?room=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`;
}

export function roomFromUrl(search: string): { id: string; token: string } | undefined {
  const p = new URLSearchParams(search);
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
