/**
 * 30 clients on one real server apply 2,000 random concurrent operations (add,
 * delete, move, connect, change params, undo), some of them while disconnected,
 * and all end with the same document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDocument, type GraphDocument } from '../../document/graph';
import type { Room } from '../../src/collab/room';
import { connect, moveNodes, removeElements, setParam } from '../../document/edit';
import { registryPortArity } from '../../nodes/registry';
import { createRoom, joinRoom, sleep, startServer, tempDir, waitFor, type ServerProcess } from './helpers';

const CLIENTS = 30;
const OPERATIONS = 2000;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T | undefined => xs[Math.floor(next() * xs.length)],
  };
}

const TYPES = ['Conv2D', 'Dense', 'Add', 'Concat'] as const;

function initial(): GraphDocument {
  return {
    format: 'wavegraph',
    version: 2,
    name: 'fuzz',
    nodes: Array.from({ length: 8 }, (_, i) => ({
      id: `s${i}`,
      type: TYPES[i % 4],
      position: { x: i * 50, y: 0 },
      params: { filters: 8 },
    })),
    edges: [],
  };
}

let server: ServerProcess;
const dir = tempDir();
beforeAll(async () => {
  server = await startServer({ dataDir: dir.path });
});
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

describe('convergence', () => {
  it(`${CLIENTS} clients, ${OPERATIONS} random operations with disconnects, one result`, async () => {
    const seed = Number(process.env.WAVEGRAPH_FUZZ_SEED ?? 20260610);
    const r = rng(seed);
    const room = await createRoom(server.url, initial());
    const clients: Room[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await joinRoom(server.wsUrl, room.id, room.tokens.edit));
    await Promise.all(clients.map((c) => c.whenSynced));
    const online = clients.map(() => true);
    const socket = (c: Room) => c.provider.configuration.websocketProvider;
    // The provider ignores connect() while a socket it was asked to close is still
    // open, so wait for the close before reconnecting.
    const goOnline = async (c: Room) => {
      await waitFor(() => socket(c).status !== 'connected', 'the socket to close');
      await socket(c).connect();
    };
    const counts = {
      add: 0,
      remove: 0,
      move: 0,
      connect: 0,
      param: 0,
      undo: 0,
      transact: 0,
      disconnect: 0,
      reconnect: 0,
    };

    for (let op = 0; op < OPERATIONS; op++) {
      const k = r.int(CLIENTS);
      const c = clients[k];
      const doc = c.store.getSnapshot();
      const node = r.pick(doc.nodes);
      const roll = r.next();
      if (roll < 0.02) {
        if (online[k]) {
          socket(c).disconnect();
          counts.disconnect++;
        } else {
          void goOnline(c);
          counts.reconnect++;
        }
        online[k] = !online[k];
      } else if (roll < 0.2 || !node) {
        const type = r.pick(TYPES)!;
        c.store.transact(
          (d) =>
            void d.nodes.push({
              id: `c${k}-${op}`,
              type,
              position: { x: r.int(1000), y: r.int(1000) },
              params: { filters: r.int(64) },
            }),
        );
        counts.add++;
      } else if (roll < 0.3) {
        c.store.transact((d) => removeElements(d, [node.id]));
        counts.remove++;
      } else if (roll < 0.45) {
        c.store.transact((d) => moveNodes(d, new Map([[node.id, { x: r.int(1000), y: r.int(1000) }]])));
        counts.move++;
      } else if (roll < 0.65) {
        const target = r.pick(doc.nodes)!;
        if (target.id !== node.id)
          c.store.transact(
            (d) =>
              void connect(
                d,
                { node: node.id, port: 'out' },
                { node: target.id, port: 'in' },
                { arity: registryPortArity },
              ),
          );
        counts.connect++;
      } else if (roll < 0.8) {
        c.store.transact((d) => setParam(d, node.id, r.next() < 0.5 ? 'filters' : 'units', r.int(256)));
        counts.param++;
      } else if (roll < 0.9) {
        // The editor's path: an immer draft diffed into Y operations.
        c.store.transact((d) => {
          const n = d.nodes.find((x) => x.id === node.id);
          if (n) {
            n.position.x += 10;
            n.params.kernel = r.int(7) + 1;
          }
          if (r.next() < 0.3) d.name = `fuzz ${op}`;
        });
        counts.transact++;
      } else {
        c.store.undo();
        counts.undo++;
      }
      if (r.next() < 0.25) c.store.stopCapturing();
      // Let the network interleave with the edits now and then.
      if (op % 25 === 0) await sleep(r.int(5));
    }

    clients.forEach((c, k) => {
      if (!online[k]) void goOnline(c);
    });
    const text = (c: Room) => saveDocument(c.store.getSnapshot());
    try {
      await waitFor(
        () =>
          clients.every((c) => c.provider.isSynced && !c.provider.hasUnsyncedChanges && text(c) === text(clients[0])),
        'all clients to converge',
        40_000,
        50,
      );
    } catch (e) {
      const states = clients.map(
        (c, k) =>
          `${k}: ${c.status()} synced=${c.provider.isSynced} unsynced=${c.provider.unsyncedChanges} same=${text(c) === text(clients[0])}`,
      );
      throw new Error(`${(e as Error).message} (seed ${seed}, ${JSON.stringify(counts)})\n${states.join('\n')}`);
    }
    const final = clients[0].store.getSnapshot();
    for (const c of clients) expect(text(c)).toBe(text(clients[0]));

    // The server holds the same document: a newcomer sees it too.
    const late = await joinRoom(server.wsUrl, room.id, room.tokens.read);
    await late.whenSynced;
    expect(text(late)).toBe(text(clients[0]));
    late.destroy();

    // Every single-input port has at most one edge; edges into multi-input ports are kept apart.
    const into = new Map<string, number>();
    const typeOf = new Map(final.nodes.map((n) => [n.id, n.type]));
    for (const e of final.edges) {
      // (an edge into a node deleted concurrently dangles; the validator reports it)
      if (typeOf.has(e.target) && registryPortArity(typeOf.get(e.target), e.targetPort) === 'single')
        into.set(`${e.target}:${e.targetPort}`, (into.get(`${e.target}:${e.targetPort}`) ?? 0) + 1);
    }
    const doubled = final.edges.filter((e) => (into.get(`${e.target}:${e.targetPort}`) ?? 0) > 1);
    expect(doubled).toEqual([]);
    expect(counts.disconnect).toBeGreaterThan(5);
    expect(counts.undo).toBeGreaterThan(50);
    expect(final.nodes.length).toBeGreaterThan(0);
    clients.forEach((c) => c.destroy());
  }, 120_000);
});
