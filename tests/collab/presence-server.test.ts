/**
 * Presence and shared-document parts against a real server process: what a read-only
 * or editing client sends that does not match the schemas never reaches anyone, a
 * connection cannot speak for another client id (the rate limit is tested in
 * presence-gate.test.ts, on a clock of its own), and a seeded fuzz of 2,000 states and document parts leaves two editing
 * clients working (WAVEGRAPH_FUZZ_SEED replays a run; a failure prints its seed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentSchema } from '../../document/graph';
import { setParam } from '../../document/edit';
import { presenceSchema } from '../../src/collab/presence';
import type { Room } from '../../src/collab/room';
import {
  createRoom,
  joinRoom,
  sleep,
  startServer,
  tempDir,
  waitFor,
  type RoomTokens,
  type ServerProcess,
} from './helpers';
import { documentPart, presenceState, rng } from './fuzz-gen';
import { RawClient } from './raw-client';

let server: ServerProcess;
let dir: ReturnType<typeof tempDir>;
let room: RoomTokens;
let a: Room;
let b: Room;

beforeAll(async () => {
  dir = tempDir();
  server = await startServer({ dataDir: dir.path });
  room = await createRoom(server.url, {
    format: 'wavegraph',
    version: 2,
    nodes: [{ id: 'n1', type: 'Conv2D', position: { x: 0, y: 0 }, params: { filters: 0 } }],
    edges: [],
  });
  a = await joinRoom(server.wsUrl, room.id, room.tokens.edit, { name: 'Ada', color: '#ff0000' });
  b = await joinRoom(server.wsUrl, room.id, room.tokens.edit, { name: 'Bob', color: '#0000ff' });
  await Promise.all([a.whenSynced, b.whenSynced]);
  await waitFor(() => b.presence.peers().some((p) => p.user.name === 'Ada'), 'Bob to see Ada');
});

afterAll(async () => {
  a?.destroy();
  b?.destroy();
  await server?.stop();
  dir?.remove();
});

/** Every state b holds for others, as received (before the client's own check). */
const rawStates = (r: Room) => [...r.provider.awareness!.getStates()].filter(([id]) => id !== r.ydoc.clientID);

async function rawClient(token: string): Promise<RawClient> {
  const raw = await RawClient.open(server.wsUrl, room.id);
  raw.auth(token);
  await raw.waitReply((r) => r.type === 2, 'authentication');
  return raw;
}

let tick = 0;
async function stillEditing(): Promise<void> {
  const value = ++tick;
  a.store.transact((d) => setParam(d, 'n1', 'filters', value));
  await waitFor(
    () => b.store.getSnapshot().nodes.find((n) => n.id === 'n1')?.params.filters === value,
    "b to see a's edit",
  );
  b.store.transact((d) => setParam(d, 'n1', 'kernel', value));
  await waitFor(
    () => a.store.getSnapshot().nodes.find((n) => n.id === 'n1')?.params.kernel === value,
    "a to see b's edit",
  );
}

describe('presence on the server', () => {
  it('drops states that do not match the schema, from read-only and editing links alike', async () => {
    for (const token of [room.tokens.read, room.tokens.edit]) {
      const raw = await rawClient(token);
      const id = 900_000 + tick;
      raw.awareness(id, 1, { user: { name: 'Mallory', color: '#123456' }, selection: 5, run: { label: 'x' } });
      raw.awareness(id, 2, { user: { name: 'Mallory', color: '#123456' }, cursor: { x: 3, y: 4 } });
      await waitFor(() => rawStates(b).some(([c]) => c === id), 'the valid state to arrive');
      const seen = rawStates(b).find(([c]) => c === id)![1];
      expect(seen).toEqual({ user: { name: 'Mallory', color: '#123456' }, cursor: { x: 3, y: 4 } });
      // And an invalid one after it does not replace it.
      raw.awareness(id, 3, { user: { name: 'Mallory', color: '#123456' }, selection: 'all' });
      await stillEditing();
      expect(rawStates(b).find(([c]) => c === id)![1]).toEqual(seen);
      raw.close();
    }
  });

  it('lets a connection set only its own client id', async () => {
    const raw = await rawClient(room.tokens.read);
    const mine = 777_001;
    raw.awareness(mine, 1, { user: { name: 'Eve', color: '#00ff00' } });
    await waitFor(() => rawStates(b).some(([c]) => c === mine), "Eve's own state");
    // Ada's id, a removal of Ada, and a second id of its own: all dropped.
    raw.awareness(a.ydoc.clientID, 1000, { user: { name: 'Not Ada', color: '#00ff00' } });
    raw.awareness(a.ydoc.clientID, 1001, null);
    raw.awareness(777_002, 1, { user: { name: 'Eve 2', color: '#00ff00' } });
    await stillEditing();
    await sleep(200);
    const names = b.presence.peers().map((p) => p.user.name);
    expect(names).toContain('Ada');
    expect(names).not.toContain('Not Ada');
    expect(names).not.toContain('Eve 2');
    raw.close();
  });
});

describe('fuzz: 2,000 presence states and document parts against a real server', () => {
  it('leaves both editors working and everything they read well-formed', async () => {
    const seed = Number(process.env.WAVEGRAPH_FUZZ_SEED ?? 20261207);
    const r = rng(seed);
    try {
      const clients = [
        await rawClient(room.tokens.read),
        await rawClient(room.tokens.edit),
        await rawClient(room.tokens.edit),
      ];
      const ids = [810_001, 810_002, 810_003];
      for (let i = 0; i < 2000; i++) {
        const k = r.int(clients.length);
        if (clients[k].closed) {
          clients[k] = await rawClient(k === 0 ? room.tokens.read : room.tokens.edit);
          ids[k] += 10;
        }
        if (r.chance(0.6)) clients[k].awareness(ids[k], i + 1, presenceState(r));
        else clients[k].update(documentPart(r));
        if (i % 50 === 0) {
          a.store.transact(
            (d) => void d.nodes.push({ id: `a${i}`, type: 'Dense', position: { x: i, y: 0 }, params: { units: 4 } }),
          );
          await sleep(5);
        }
        if (i % 200 === 0) await stillEditing();
      }
      await stillEditing();
      for (const c of [a, b]) {
        const doc = c.store.getSnapshot();
        expect(documentSchema.safeParse(doc).success).toBe(true);
        expect(doc.nodes.filter((n) => n.id.startsWith('a'))).toHaveLength(40);
        for (const [, state] of rawStates(c)) expect(presenceSchema.safeParse(state).success).toBe(true);
        for (const p of c.presence.peers()) expect(presenceSchema.safeParse(p).success).toBe(true);
      }
      clients.forEach((c) => c.close());
    } catch (e) {
      console.error(`presence/document fuzz failed with seed ${seed}; replay with WAVEGRAPH_FUZZ_SEED=${seed}`);
      throw e;
    }
  }, 120_000);
});
