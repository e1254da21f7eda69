/**
 * The rooms API (JSON over HTTP, under /api):
 *
 *   POST /api/rooms                 {name?, document?}  -> 201 {id, name, tokens}
 *   GET  /api/rooms/:id             token for the room  -> {id, name, published, mode, parent}
 *   POST /api/rooms/:id/publish     owner, {published?} -> {id, published}
 *   POST /api/rooms/:id/fork        owner or edit; read only once published -> 201 {id, name, parent, tokens}
 *   GET  /api/rooms/:id/forks       owner               -> {forks: [{id, createdAt, readToken}]}
 *
 * Tokens go in `Authorization: Bearer <token>`. `tokens` is {owner, edit, read}: the
 * owner link, the edit link and the read-only link of the room.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { emptyDocument, loadDocument } from '../../document/graph';
import { docToYDoc } from '../collab/ydoc';
import { sendJson } from './files';
import type { Storage } from './storage';
import { isRoomId, signToken, verifyToken, type TokenClaims } from './tokens';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface ApiContext {
  storage: Storage;
  secret: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function newRoomId(): string {
  return randomBytes(9).toString('base64url');
}

function tokensFor(room: string, secret: string) {
  return {
    owner: signToken({ room, mode: 'owner' }, secret),
    edit: signToken({ room, mode: 'edit' }, secret),
    read: signToken({ room, mode: 'read' }, secret),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'bad-json', 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function claimsFor(req: IncomingMessage, room: string, secret: string): TokenClaims {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const claims = verifyToken(token, secret);
  if (!claims || claims.room !== room) throw new HttpError(401, 'bad-token', 'A valid token for this room is required.');
  return claims;
}

function roomName(value: unknown): string {
  if (value === undefined) return 'Untitled';
  if (typeof value !== 'string' || value.length > 200) throw new HttpError(400, 'bad-name', 'The room name must be a string of at most 200 characters.');
  return value;
}

async function createRoom(req: IncomingMessage, ctx: ApiContext) {
  const body = await readJson(req);
  const name = roomName(body.name);
  let doc = emptyDocument(name);
  if (body.document !== undefined) {
    const loaded = loadDocument(body.document);
    if (!loaded.doc) throw new HttpError(400, 'bad-document', loaded.diagnostics.map((d) => d.message).join(' '));
    doc = loaded.doc;
  }
  const ydoc = new Y.Doc();
  docToYDoc(doc, ydoc);
  const id = newRoomId();
  ctx.storage.createRoom(id, name);
  ctx.storage.writeState(id, Y.encodeStateAsUpdate(ydoc));
  ydoc.destroy();
  return { status: 201, body: { id, name, tokens: tokensFor(id, ctx.secret) } };
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
  const claims = claimsFor(req, room, ctx.secret);
  const row = ctx.storage.getRoom(room);
  const action = parts.length === 3 ? parts[2] : parts.length === 2 ? '' : undefined;
  const expect = (method: string) => {
    if (req.method !== method) throw new HttpError(405, 'method', `Use ${method} here.`);
  };
  if (action === '') {
    expect('GET');
    return {
      status: 200,
      body: { id: room, name: row?.name ?? '', published: row?.published ?? false, mode: claims.mode, parent: ctx.storage.parentOf(room) ?? null },
    };
  }
  if (action === 'publish') {
    expect('POST');
    if (claims.mode !== 'owner') throw new HttpError(403, 'owner-only', 'Only the owner of the room can publish it.');
    const body = await readJson(req);
    const published = body.published === undefined ? true : body.published === true;
    if (!row) ctx.storage.createRoom(room, 'Untitled');
    ctx.storage.setPublished(room, published);
    return { status: 200, body: { id: room, published } };
  }
  if (action === 'fork') {
    expect('POST');
    if (claims.mode === 'read' && !row?.published) {
      throw new HttpError(403, 'not-published', 'This room has not been published as a starting point; ask its owner to publish it.');
    }
    const id = newRoomId();
    const name = row?.name ?? 'Untitled';
    ctx.storage.createFork(room, id, name, ctx.storage.readState(room));
    return { status: 201, body: { id, name, parent: room, tokens: tokensFor(id, ctx.secret) } };
  }
  if (action === 'forks') {
    expect('GET');
    if (claims.mode !== 'owner') throw new HttpError(403, 'owner-only', 'Only the owner of the room can list its forks.');
    const forks = ctx.storage.listForks(room).map((f) => ({ ...f, readToken: signToken({ room: f.id, mode: 'read' }, ctx.secret) }));
    return { status: 200, body: { forks } };
  }
  throw new HttpError(404, 'not-found', `No API at ${path}.`);
}

/** Handle a request under /api; every failure is a JSON {error, message}. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, ctx: ApiContext): Promise<void> {
  try {
    const { status, body } = await route(req, path, ctx);
    sendJson(res, status, body);
  } catch (e) {
    if (e instanceof HttpError) sendJson(res, e.status, { error: e.code, message: e.message });
    else {
      console.error('[wavegraph] API error:', e);
      sendJson(res, 500, { error: 'internal', message: 'The server could not handle this request.' });
    }
  }
}
