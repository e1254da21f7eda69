/**
 * The rooms API (JSON over HTTP, under /api):
 *
 *   POST /api/rooms                 {name?, document?, expiresInHours?} -> 201 {id, name, tokens}
 *   GET  /api/rooms/:id             token for the room  -> {id, name, published, mode, parent}
 *   POST /api/rooms/:id/publish     owner, {published?} -> {id, published}
 *   POST /api/rooms/:id/fork        owner or edit; read only once published -> 201 {id, name, parent, tokens}
 *   GET  /api/rooms/:id/forks       owner               -> {forks: [{id, createdAt, readToken}]}
 *   POST /api/rooms/:id/rotate      owner, {expiresInHours?} -> {tokens} (every earlier link stops working)
 *   GET  /api/rooms/:id/snapshots   owner               -> {snapshots: [{id, createdAt, reason, bytes}]}
 *   POST /api/rooms/:id/snapshots   owner               -> 201 {id}
 *   POST /api/rooms/:id/snapshots/:sid/restore  owner   -> {restored, backup}
 *
 * Tokens go in `Authorization: Bearer <token>`. `tokens` is {owner, edit, read}: the
 * owner link, the edit link and the read-only link of the room; `expiresInHours`
 * gives the edit and read links an expiry. Creating and forking rooms count toward
 * the quotas (quotas.ts; 429 with Retry-After) and, when the server has a creation
 * key, creating needs it in `X-Wavegraph-Key`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { emptyDocument, loadDocument } from '../../document/graph';
import { docToYDoc } from '../collab/ydoc';
import { sendJson } from './files';
import type { History } from './history';
import { clientAddress, type CreationQuota } from './quotas';
import type { Storage } from './storage';
import { isRoomId, signToken, verifyToken, type TokenClaims } from './tokens';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface ApiContext {
  storage: Storage;
  secret: string;
  quota: CreationQuota;
  history: History;
  /** Close the open sockets of a room whose links were rotated. */
  revoke(room: string): void;
  /** When set, creating a room needs it (header X-Wavegraph-Key). */
  createKey?: string;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  trustProxyHops?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function expiryFrom(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 24 * 365 * 10) {
    throw new HttpError(400, 'bad-expiry', 'expiresInHours must be a number of hours between 0 and 87600.');
  }
  return Math.floor(Date.now() / 1000 + value * 3600);
}

function takeQuota(req: IncomingMessage, ctx: ApiContext): void {
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], ctx.trustProxyHops ?? 0);
  const answer = ctx.quota.take(address, () => ctx.storage.roomCount());
  if (!answer.ok) {
    throw new HttpError(429, 'too-many-rooms', `${answer.message} Try again in ${answer.retryAfterS} s.`, {
      'Retry-After': String(answer.retryAfterS),
    });
  }
}

function checkCreateKey(req: IncomingMessage, ctx: ApiContext): void {
  if (!ctx.createKey) return;
  const given = Buffer.from(String(req.headers['x-wavegraph-key'] ?? ''));
  const expected = Buffer.from(ctx.createKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(
      401,
      'create-key',
      'This server needs its room-creation key to create a room (ask whoever runs it).',
    );
  }
}

function newRoomId(): string {
  return randomBytes(9).toString('base64url');
}

function tokensFor(room: string, ctx: ApiContext, exp?: number) {
  const epoch = ctx.storage.epoch(room);
  const expiry = exp === undefined ? {} : { exp };
  return {
    owner: signToken({ room, mode: 'owner', epoch }, ctx.secret),
    edit: signToken({ room, mode: 'edit', epoch, ...expiry }, ctx.secret),
    read: signToken({ room, mode: 'read', epoch, ...expiry }, ctx.secret),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'too-large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'bad-json', 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function claimsFor(req: IncomingMessage, room: string, ctx: ApiContext): TokenClaims {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const claims = verifyToken(token, ctx.secret);
  if (!claims || claims.room !== room)
    throw new HttpError(401, 'bad-token', 'A valid token for this room is required.');
  if ((claims.epoch ?? 0) !== ctx.storage.epoch(room))
    throw new HttpError(401, 'revoked', 'This link was replaced by its owner; ask for the new one.');
  return claims;
}

function ownerOnly(claims: TokenClaims, what: string): void {
  if (claims.mode !== 'owner') throw new HttpError(403, 'owner-only', `Only the owner of the room can ${what}.`);
}

function roomName(value: unknown): string {
  if (value === undefined) return 'Untitled';
  if (typeof value !== 'string' || value.length > 200)
    throw new HttpError(400, 'bad-name', 'The room name must be a string of at most 200 characters.');
  return value;
}

async function createRoom(req: IncomingMessage, ctx: ApiContext) {
  checkCreateKey(req, ctx);
  const body = await readJson(req);
  const name = roomName(body.name);
  const exp = expiryFrom(body.expiresInHours);
  let doc = emptyDocument(name);
  if (body.document !== undefined) {
    const loaded = loadDocument(body.document);
    if (!loaded.doc) throw new HttpError(400, 'bad-document', loaded.diagnostics.map((d) => d.message).join(' '));
    doc = loaded.doc;
  }
  const ydoc = new Y.Doc();
  docToYDoc(doc, ydoc);
  takeQuota(req, ctx);
  const id = newRoomId();
  ctx.storage.createRoom(id, name);
  ctx.storage.writeState(id, Y.encodeStateAsUpdate(ydoc));
  ydoc.destroy();
  return { status: 201, body: { id, name, tokens: tokensFor(id, ctx, exp) } };
}

async function route(req: IncomingMessage, path: string, ctx: ApiContext): Promise<{ status: number; body: unknown }> {
  const parts = path.split('/').filter(Boolean).slice(1); // drop "api"
  if (parts[0] !== 'rooms') throw new HttpError(404, 'not-found', `No API at ${path}.`);
  if (parts.length === 1) {
    if (req.method !== 'POST') throw new HttpError(405, 'method', 'Use POST to create a room.');
    return createRoom(req, ctx);
  }
  const room = parts[1];
  if (!isRoomId(room)) throw new HttpError(404, 'not-found', 'No such room.');
  const claims = claimsFor(req, room, ctx);
  const row = ctx.storage.getRoom(room);
  const action =
    parts.length === 3
      ? parts[2]
      : parts.length === 2
        ? ''
        : parts.length === 5 && parts[2] === 'snapshots' && parts[4] === 'restore'
          ? 'restore'
          : undefined;
  const expect = (method: string) => {
    if (req.method !== method) throw new HttpError(405, 'method', `Use ${method} here.`);
  };
  if (action === '') {
    expect('GET');
    return {
      status: 200,
      body: {
        id: room,
        name: row?.name ?? '',
        published: row?.published ?? false,
        mode: claims.mode,
        parent: ctx.storage.parentOf(room) ?? null,
      },
    };
  }
  if (action === 'publish') {
    expect('POST');
    ownerOnly(claims, 'publish it');
    const body = await readJson(req);
    const published = body.published === undefined ? true : body.published === true;
    if (!row) ctx.storage.createRoom(room, 'Untitled');
    ctx.storage.setPublished(room, published);
    return { status: 200, body: { id: room, published } };
  }
  if (action === 'fork') {
    expect('POST');
    if (claims.mode === 'read' && !row?.published) {
      throw new HttpError(
        403,
        'not-published',
        'This room has not been published as a starting point; ask its owner to publish it.',
      );
    }
    takeQuota(req, ctx);
    const id = newRoomId();
    const name = row?.name ?? 'Untitled';
    ctx.storage.createFork(room, id, name, ctx.storage.readState(room));
    return { status: 201, body: { id, name, parent: room, tokens: tokensFor(id, ctx) } };
  }
  if (action === 'forks') {
    expect('GET');
    ownerOnly(claims, 'list its forks');
    const forks = ctx.storage.listForks(room).map((f) => ({
      ...f,
      readToken: signToken({ room: f.id, mode: 'read', epoch: ctx.storage.epoch(f.id) }, ctx.secret),
    }));
    return { status: 200, body: { forks } };
  }
  if (action === 'rotate') {
    expect('POST');
    ownerOnly(claims, 'replace its links');
    const exp = expiryFrom((await readJson(req)).expiresInHours);
    ctx.storage.rotateEpoch(room);
    ctx.revoke(room);
    return { status: 200, body: { id: room, tokens: tokensFor(room, ctx, exp) } };
  }
  if (action === 'snapshots') {
    ownerOnly(claims, 'see and take its snapshots');
    if (req.method === 'POST') return { status: 201, body: { id: ctx.history.take(room) } };
    expect('GET');
    return { status: 200, body: { snapshots: ctx.history.list(room) } };
  }
  if (action === 'restore') {
    expect('POST');
    ownerOnly(claims, 'restore a snapshot');
    const id = Number(parts[3]);
    const done = Number.isSafeInteger(id) ? ctx.history.restore(room, id) : undefined;
    if (!done) throw new HttpError(404, 'not-found', `Room ${room} has no snapshot ${parts[3]}.`);
    return { status: 200, body: { restored: id, backup: done.backup } };
  }
  throw new HttpError(404, 'not-found', `No API at ${path}.`);
}

/** Handle a request under /api; every failure is a JSON {error, message}. */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: ApiContext,
): Promise<void> {
  try {
    const { status, body } = await route(req, path, ctx);
    sendJson(res, status, body);
  } catch (e) {
    if (e instanceof HttpError) {
      for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
      sendJson(res, e.status, { error: e.code, message: e.message });
    } else {
      console.error('[wavegraph] API error:', e);
      sendJson(res, 500, { error: 'internal', message: 'The server could not handle this request.' });
    }
  }
}
