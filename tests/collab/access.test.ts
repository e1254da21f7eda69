/**
 * Access and limits against a real server process: missing, bad and read-only
 * tokens cannot change a room; malformed and oversized messages close only the
 * connection that sent them while everyone else keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Room } from '../../src/collab/room';
import { setParam } from '../../document/edit';
import { CollabStore } from '../../src/collab/store';
import { signToken } from '../../src/server/tokens';
import { createRoom, joinRoom, startServer, tempDir, waitFor, type RoomTokens, type ServerProcess } from './helpers';
import { RawClient } from './raw-client';

const MAX_MESSAGE = 64 * 1024;
const MAX_DOCUMENT = 300_000;

let server: ServerProcess;
let dir: ReturnType<typeof tempDir>;
let room: RoomTokens;
let a: Room;
let b: Room;

/** A Yjs update from an unrelated client that adds one node with a big string param. */
/** A node carrying `filler` characters, in text params short enough for the document schema (LIMITS.stringParamLength). */
function updateAddingNode(id: string, filler = 0): Uint8Array {
  const d = new Y.Doc();
  const piece = 8000;
  const params = Object.fromEntries(
    Array.from({ length: Math.ceil(filler / piece) }, (_, k) => [
      `note${k}`,
      'x'.repeat(Math.min(piece, filler - k * piece)),
    ]),
  );
  new CollabStore(d).transact(
    (draft) => void draft.nodes.push({ id, type: 'Input', position: { x: 0, y: 0 }, params }),
  );
  return Y.encodeStateAsUpdate(d);
}

let tick = 0;
/** The two well-behaved clients still exchange an edit. */
async function stillServing(): Promise<void> {
  const value = ++tick;
  a.store.transact((d) => setParam(d, 'n1', 'filters', value));
  await waitFor(
    () => b.store.getSnapshot().nodes.find((n) => n.id === 'n1')?.params.filters === value,
    'the other client to see the edit',
  );
}

const nodeIds = () => b.store.getSnapshot().nodes.map((n) => n.id);

beforeAll(async () => {
  dir = tempDir();
  server = await startServer({
    dataDir: dir.path,
    env: { WAVEGRAPH_MAX_MESSAGE_BYTES: String(MAX_MESSAGE), WAVEGRAPH_MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT) },
  });
  room = await createRoom(server.url, {
    format: 'wavegraph',
    version: 2,
    nodes: [{ id: 'n1', type: 'Conv2D', position: { x: 0, y: 0 }, params: { filters: 0 } }],
    edges: [],
  });
  a = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
  b = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
  await Promise.all([a.whenSynced, b.whenSynced]);
});

afterAll(async () => {
  a?.destroy();
  b?.destroy();
  await server?.stop();
  dir?.remove();
});

describe('tokens', () => {
  it('refuses a connection without a token, and its edits never land', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth('');
    expect((await raw.waitReply((r) => r.type === 2, 'the auth answer')).summary).toBe('denied:permission-denied');
    raw.update(updateAddingNode('intruder-1'));
    raw.close();
    const provider = await joinRoom(server.wsUrl, room.id, '');
    await waitFor(() => provider.denied() !== undefined, 'the provider to be refused');
    provider.store.transact(
      (d) => void d.nodes.push({ id: 'intruder-2', type: 'Input', position: { x: 0, y: 0 }, params: {} }),
    );
    provider.destroy();
    await stillServing();
    expect(nodeIds()).toEqual(['n1']);
  });

  it('refuses a token signed with another secret or made for another room', async () => {
    for (const token of [
      signToken({ room: room.id, mode: 'edit' }, 'not-the-secret'),
      signToken({ room: 'other-room', mode: 'edit' }, 'x'),
      room.tokens.edit + 'x',
    ]) {
      const raw = await RawClient.open(server.wsUrl, room.id);
      raw.auth(token);
      expect((await raw.waitReply((r) => r.type === 2, 'the auth answer')).summary).toBe('denied:permission-denied');
      raw.close();
    }
    const other = await createRoom(server.url);
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth(other.tokens.edit);
    expect((await raw.waitReply((r) => r.type === 2, 'the auth answer')).summary).toBe('denied:permission-denied');
    raw.close();
  });

  it('lets a read-only token read but not write', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth(room.tokens.read);
    expect((await raw.waitReply((r) => r.type === 2, 'the auth answer')).summary).toBe('ok:readonly');
    raw.update(updateAddingNode('intruder-3'));
    expect((await raw.waitReply((r) => r.type === 8, 'the sync status')).summary).toBe('refused');
    raw.close();

    const viewer = await joinRoom(server.wsUrl, room.id, room.tokens.read);
    await viewer.whenSynced;
    expect(viewer.readOnly()).toBe(true);
    expect(viewer.store.getSnapshot().nodes.map((n) => n.id)).toEqual(['n1']);
    viewer.store.transact(
      (d) => void d.nodes.push({ id: 'intruder-4', type: 'Input', position: { x: 0, y: 0 }, params: {} }),
    );
    await stillServing();
    viewer.destroy();
    expect(nodeIds()).toEqual(['n1']);
  });
});

describe('bad messages', () => {
  it('closes a connection that sends a malformed update; others keep working', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth(room.tokens.edit);
    await raw.waitReply((r) => r.summary === 'ok:read-write', 'authentication');
    raw.update(new Uint8Array([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8]));
    const closed = await raw.waitClosed();
    expect(closed.reason).toBe('malformed-update');
    await stillServing();
    expect(nodeIds()).toEqual(['n1']);
  });

  it('closes a connection that sends bytes that are not a message at all', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await raw.waitClosed();
    await stillServing();
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth(room.tokens.edit);
    await raw.waitReply((r) => r.summary === 'ok:read-write', 'authentication');
    raw.update(updateAddingNode('huge', MAX_MESSAGE * 2));
    const closed = await raw.waitClosed();
    expect(closed.code).toBe(1009);
    await stillServing();
    expect(nodeIds()).toEqual(['n1']);
  });

  it('refuses updates that would grow the document past its limit', async () => {
    const raw = await RawClient.open(server.wsUrl, room.id);
    raw.auth(room.tokens.edit);
    await raw.waitReply((r) => r.summary === 'ok:read-write', 'authentication');
    const chunk = 50_000;
    for (let i = 0; i < Math.ceil(MAX_DOCUMENT / chunk) + 1; i++) raw.update(updateAddingNode(`big-${i}`, chunk));
    const closed = await raw.waitClosed();
    expect(closed.reason).toBe('document-too-large');
    await stillServing();
    const big = nodeIds().filter((id) => id.startsWith('big-'));
    expect(big.length).toBeGreaterThan(0);
    expect(big.length * chunk).toBeLessThanOrEqual(MAX_DOCUMENT);
  });
});
