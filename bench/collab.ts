/**
 * Collaboration benchmark against a real server process on loopback:
 * - edit-to-arrival latency at every other client, 30 clients in one room (p50, p95),
 *   with the default synchronous=FULL (an fsync per commit) and with NORMAL, to show
 *   what durability against power cuts costs;
 * - server memory per open document (resident memory of the server process);
 * - messages per second while 30 clients drag nodes (presence capped at 30 Hz);
 * - a class: 40 clients in one room, each moving its cursor at 30 Hz and editing every
 *   few seconds, for a set time: edit-to-arrival p50/p95, server memory at the start
 *   and the end, disconnects.
 * The clients share this one Node process, so latency includes their turns on its
 * event loop, as it would not on 40 machines: an upper bound.
 *
 *   npx tsx bench/collab.ts [--class-seconds 300]   (default 20 s)
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { GraphDocument } from '../document/graph';
import type { Room } from '../src/collab/room';
import { setParam } from '../document/edit';
import { createRoom, joinRoom, sleep, startServer, tempDir, waitFor } from '../tests/collab/helpers';

export interface CollabBenchResult {
  clients: number;
  edits: number;
  latencyMs: { p50: number; p95: number; max: number };
  memoryPerDocumentKiB: number;
  documentsForMemory: number;
  drag: { seconds: number; sentPerSecond: number; deliveredPerSecond: number; statesPerSecond: number };
  /** The machine's 1-minute load average and core count when the run ended: timings depend on them. */
  load: { average: number; cores: number };
}

function graph(nodes: number): GraphDocument {
  return {
    format: 'wavegraph',
    version: 2,
    name: 'bench',
    nodes: Array.from({ length: nodes }, (_, i) => ({
      id: `n${i}`,
      type: 'Conv2D',
      position: { x: i * 40, y: 0 },
      params: { filters: 8, kernel: 3 },
    })),
    edges: Array.from({ length: nodes - 1 }, (_, i) => ({
      id: `n${i + 1}:in`,
      source: `n${i}`,
      sourcePort: 'out',
      target: `n${i + 1}`,
      targetPort: 'in',
    })),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Every client records, once per stamp, how long after `sentAt` it first saw that stamp. */
function recordArrivals(rooms: Room[], sentAt: Map<number, number>, latencies: number[]): void {
  rooms.forEach((r) => {
    const seen = new Set<number>();
    r.store.subscribe((doc, info) => {
      if (info.origin !== 'remote') return;
      const now = performance.now();
      for (const n of doc.nodes) {
        const stamp = n.params.stamp;
        if (typeof stamp === 'number' && sentAt.has(stamp) && !seen.has(stamp)) {
          seen.add(stamp);
          latencies.push(now - sentAt.get(stamp)!);
        }
      }
    });
  });
}

const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    p50: +percentile(sorted, 50).toFixed(2),
    p95: +percentile(sorted, 95).toFixed(2),
    max: +sorted[sorted.length - 1].toFixed(2),
  };
};

export async function benchCollab(
  opts: {
    clients?: number;
    edits?: number;
    documents?: number;
    dragSeconds?: number;
    synchronous?: 'FULL' | 'NORMAL';
  } = {},
): Promise<CollabBenchResult> {
  const clientsN = opts.clients ?? 30;
  const editsN = opts.edits ?? 200;
  const documentsN = opts.documents ?? 100;
  const dragSeconds = opts.dragSeconds ?? 5;
  const dir = tempDir('wavegraph-bench-');
  const server = await startServer({
    dataDir: dir.path,
    env: opts.synchronous === 'NORMAL' ? { WAVEGRAPH_FSYNC: '0' } : {},
  });
  const rooms: Room[] = [];
  try {
    // Latency: each edit stamps a param; every other client records when it sees it.
    const room = await createRoom(server.url, graph(30));
    for (let i = 0; i < clientsN; i++)
      rooms.push(await joinRoom(server.wsUrl, room.id, room.tokens.edit, { name: `u${i}`, color: '#888' }));
    await Promise.all(rooms.map((r) => r.whenSynced));
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    recordArrivals(rooms, sentAt, latencies);
    for (let e = 0; e < editsN; e++) {
      const from = rooms[e % clientsN];
      sentAt.set(e, performance.now());
      from.store.transact((d) => setParam(d, `n${e % 30}`, 'stamp', e));
      await sleep(50);
    }
    await waitFor(() => latencies.length >= editsN * (clientsN - 1), 'edits to arrive', 60_000);

    // Drag: every client moves a node at 60 Hz for a few seconds; presence sends at most 30 Hz.
    // The server batches presence per event-loop turn: one message can carry many people's states.
    let delivered = 0;
    let states = 0;
    rooms.forEach((r) => {
      r.provider.configuration.websocketProvider.on('message', () => delivered++);
      r.provider.awareness!.on('update', (c: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin !== 'local') states += c.added.length + c.updated.length;
      });
    });
    const sentBefore = rooms.reduce((s, r) => s + r.presence.sent, 0);
    const t0 = performance.now();
    delivered = 0;
    states = 0;
    while (performance.now() - t0 < dragSeconds * 1000) {
      const t = performance.now() - t0;
      rooms.forEach((r, i) => r.presence.setDragging({ id: `n${i % 30}`, x: Math.round(t / 10), y: i }));
      await sleep(16);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const sent = rooms.reduce((s, r) => s + r.presence.sent, 0) - sentBefore;
    const deliveredCount = delivered;
    const statesCount = states;
    rooms.forEach((r) => r.destroy());
    rooms.length = 0;
    await sleep(500);

    // Memory: open many rooms (one client each) and divide the server's growth.
    const base = rssKiB(server.proc.pid!);
    for (let i = 0; i < documentsN; i++) {
      const r = await createRoom(server.url, graph(30));
      const c = await joinRoom(server.wsUrl, r.id, r.tokens.edit);
      rooms.push(c);
    }
    await Promise.all(rooms.map((r) => r.whenSynced));
    await sleep(1000);
    const grown = rssKiB(server.proc.pid!) - base;

    return {
      clients: clientsN,
      edits: editsN,
      latencyMs: summary(latencies),
      memoryPerDocumentKiB: Math.round(grown / documentsN),
      documentsForMemory: documentsN,
      drag: {
        seconds: +elapsed.toFixed(1),
        sentPerSecond: Math.round(sent / elapsed),
        deliveredPerSecond: Math.round(deliveredCount / elapsed),
        statesPerSecond: Math.round(statesCount / elapsed),
      },
      load: { average: +loadavg()[0].toFixed(1), cores: cpus().length },
    };
  } finally {
    rooms.forEach((r) => r.destroy());
    await server.stop();
    dir.remove();
  }
}

export interface ClassBenchResult {
  clients: number;
  seconds: number;
  edits: number;
  latencyMs: { p50: number; p95: number; max: number };
  serverRssKiB: { start: number; end: number };
  storedDocumentKiB: number;
  disconnects: number;
  presenceSentPerSecond: number;
  load: { average: number; cores: number };
}

/** A class of `clients` in one room: cursors at 30 Hz, an edit from each every `editEveryMs`, for `seconds`. */
export async function benchClass(
  opts: { clients?: number; seconds?: number; editEveryMs?: number } = {},
): Promise<ClassBenchResult> {
  const clientsN = opts.clients ?? 40;
  const seconds = opts.seconds ?? 20;
  const editEveryMs = opts.editEveryMs ?? 2000;
  const dir = tempDir('wavegraph-bench-class-');
  const server = await startServer({ dataDir: dir.path });
  const rooms: Room[] = [];
  try {
    const room = await createRoom(server.url, graph(clientsN));
    for (let i = 0; i < clientsN; i++)
      rooms.push(await joinRoom(server.wsUrl, room.id, room.tokens.edit, { name: `s${i}`, color: '#888' }));
    await Promise.all(rooms.map((r) => r.whenSynced));
    let disconnects = 0;
    rooms.forEach((r) => r.onStatus((s) => void (s !== 'connected' && disconnects++)));
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    recordArrivals(rooms, sentAt, latencies);
    await sleep(1000);
    const rssStart = rssKiB(server.proc.pid!);
    const presenceBefore = rooms.reduce((n, r) => n + r.presence.sent, 0);
    const t0 = performance.now();
    const nextEdit = rooms.map((_, i) => t0 + (editEveryMs * i) / clientsN);
    let stamp = 0;
    while (performance.now() - t0 < seconds * 1000) {
      const now = performance.now();
      const t = now - t0;
      rooms.forEach((r, i) => {
        r.presence.setCursor({
          x: Math.round(200 * Math.sin(t / 500 + i)),
          y: Math.round(200 * Math.cos(t / 700 + i)),
        });
        if (now >= nextEdit[i]) {
          nextEdit[i] += editEveryMs;
          const e = stamp++;
          sentAt.set(e, performance.now());
          r.store.transact((d) => setParam(d, `n${i}`, 'stamp', e));
        }
      });
      await sleep(1000 / 30);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const presenceSent = rooms.reduce((n, r) => n + r.presence.sent, 0) - presenceBefore;
    await waitFor(() => latencies.length >= stamp * (clientsN - 1), 'the last edits to arrive', 60_000).catch(
      () => undefined,
    );
    await sleep(1000);
    const rssEnd = rssKiB(server.proc.pid!);
    const storedBytes = await (async () => {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(`${dir.path}/wavegraph.sqlite`, { readonly: true });
      const b = db
        .prepare(
          'SELECT COALESCE((SELECT length(state) FROM documents WHERE room = @r), 0) + COALESCE((SELECT SUM(length(data)) FROM updates WHERE room = @r), 0)',
        )
        .pluck()
        .get({ r: room.id }) as number;
      db.close();
      return b;
    })();
    return {
      clients: clientsN,
      seconds: +elapsed.toFixed(1),
      edits: stamp,
      latencyMs: summary(latencies),
      serverRssKiB: { start: rssStart, end: rssEnd },
      storedDocumentKiB: Math.round(storedBytes / 1024),
      disconnects,
      presenceSentPerSecond: Math.round(presenceSent / elapsed),
      load: { average: +loadavg()[0].toFixed(1), cores: cpus().length },
    };
  } finally {
    rooms.forEach((r) => r.destroy());
    await server.stop();
    dir.remove();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv.indexOf('--class-seconds');
  const classSeconds = arg > 0 ? Number(process.argv[arg + 1]) : 20;
  const only = process.argv.includes('--class-only');
  if (!only) {
    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      const r = await benchCollab({ synchronous });
      console.log(
        `collaboration, ${r.clients} clients on loopback, one server process, synchronous=${synchronous}${synchronous === 'FULL' ? ' (default)' : ''}`,
      );
      console.log(
        `  edit -> arrival at every other client: p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms (${r.edits} edits)`,
      );
      console.log(
        `  server memory per open document: ${r.memoryPerDocumentKiB} KiB (resident growth over ${r.documentsForMemory} rooms of 30 nodes, one client each)`,
      );
      console.log(
        `  dragging, presence: ${r.drag.sentPerSecond} msg/s sent by clients, ${r.drag.deliveredPerSecond} msg/s delivered by the server carrying ${r.drag.statesPerSecond} state updates/s (${r.drag.seconds} s)`,
      );
      console.log(`  machine: load average ${r.load.average} on ${r.load.cores} cores`);
    }
  }
  const c = await benchClass({ seconds: classSeconds });
  console.log(
    `class: ${c.clients} clients in one room for ${c.seconds} s, cursors at 30 Hz (${c.presenceSentPerSecond} presence msg/s sent), ${c.edits} edits`,
  );
  console.log(
    `  edit -> arrival at every other client: p50 ${c.latencyMs.p50} ms, p95 ${c.latencyMs.p95} ms, max ${c.latencyMs.max} ms`,
  );
  console.log(
    `  server memory: ${c.serverRssKiB.start} KiB at the start, ${c.serverRssKiB.end} KiB at the end; the document stores ${c.storedDocumentKiB} KiB`,
  );
  console.log(`  disconnects: ${c.disconnects}`);
  console.log(`  machine: load average ${c.load.average} on ${c.load.cores} cores`);
  process.exit(0);
}
