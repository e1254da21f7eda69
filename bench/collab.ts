/**
 * Collaboration benchmark against a real server process on loopback:
 * - edit-to-arrival latency at every other client, 30 clients in one room (p50, p95);
 * - server memory per open document (resident memory of the server process);
 * - messages per second while 30 clients drag nodes (presence capped at 30 Hz).
 * The 30 clients share this one Node process, so latency includes their turns on
 * its event loop, as it would not on 30 machines: an upper bound.
 *
 *   npx tsx bench/collab.ts
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
    nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, type: 'Conv2D', position: { x: i * 40, y: 0 }, params: { filters: 8, kernel: 3 } })),
    edges: Array.from({ length: nodes - 1 }, (_, i) => ({ id: `n${i + 1}:in`, source: `n${i}`, sourcePort: 'out', target: `n${i + 1}`, targetPort: 'in' })),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export async function benchCollab(opts: { clients?: number; edits?: number; documents?: number; dragSeconds?: number } = {}): Promise<CollabBenchResult> {
  const clientsN = opts.clients ?? 30;
  const editsN = opts.edits ?? 200;
  const documentsN = opts.documents ?? 100;
  const dragSeconds = opts.dragSeconds ?? 5;
  const dir = tempDir('wavegraph-bench-');
  const server = await startServer({ dataDir: dir.path });
  const rooms: Room[] = [];
  try {
    // Latency: each edit stamps a param; every other client records when it sees it.
    const room = await createRoom(server.url, graph(30));
    for (let i = 0; i < clientsN; i++) rooms.push(await joinRoom(server.wsUrl, room.id, room.tokens.edit, { name: `u${i}`, color: '#888' }));
    await Promise.all(rooms.map((r) => r.whenSynced));
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    rooms.forEach((r) =>
      r.store.subscribe((doc, info) => {
        if (info.origin !== 'remote') return;
        const now = performance.now();
        for (const n of doc.nodes) {
          const stamp = n.params.stamp;
          if (typeof stamp === 'number' && sentAt.has(stamp) && !(r as Room & { seen?: Set<number> }).seen?.has(stamp)) {
            const seen = ((r as Room & { seen?: Set<number> }).seen ??= new Set());
            seen.add(stamp);
            latencies.push(now - sentAt.get(stamp)!);
          }
        }
      }),
    );
    for (let e = 0; e < editsN; e++) {
      const from = rooms[e % clientsN];
      sentAt.set(e, performance.now());
      from.store.transact((d) => setParam(d, `n${e % 30}`, 'stamp', e));
      await sleep(50);
    }
    await waitFor(() => latencies.length >= editsN * (clientsN - 1), 'edits to arrive', 60_000);
    const sorted = [...latencies].sort((a, b) => a - b);

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
      latencyMs: { p50: +percentile(sorted, 50).toFixed(2), p95: +percentile(sorted, 95).toFixed(2), max: +sorted[sorted.length - 1].toFixed(2) },
      memoryPerDocumentKiB: Math.round(grown / documentsN),
      documentsForMemory: documentsN,
      drag: { seconds: +elapsed.toFixed(1), sentPerSecond: Math.round(sent / elapsed), deliveredPerSecond: Math.round(deliveredCount / elapsed), statesPerSecond: Math.round(statesCount / elapsed) },
      load: { average: +loadavg()[0].toFixed(1), cores: cpus().length },
    };
  } finally {
    rooms.forEach((r) => r.destroy());
    await server.stop();
    dir.remove();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchCollab();
  console.log(`collaboration, ${r.clients} clients on loopback, one server process`);
  console.log(`  edit -> arrival at every other client: p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms (${r.edits} edits)`);
  console.log(`  server memory per open document: ${r.memoryPerDocumentKiB} KiB (resident growth over ${r.documentsForMemory} rooms of 30 nodes, one client each)`);
  console.log(
    `  dragging, presence: ${r.drag.sentPerSecond} msg/s sent by clients, ${r.drag.deliveredPerSecond} msg/s delivered by the server carrying ${r.drag.statesPerSecond} state updates/s (${r.drag.seconds} s)`,
  );
  console.log(`  machine: load average ${r.load.average} on ${r.load.cores} cores`);
  process.exit(0);
}
