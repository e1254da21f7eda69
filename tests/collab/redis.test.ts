/**
 * Two server processes behind Redis (Debian's redis-server, started here on a free
 * port without persistence): clients on either process see each other's edits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { saveDocument } from '../../document/graph';
import type { Room } from '../../src/collab/room';
import { setParam } from '../../document/edit';
import { join } from 'node:path';
import { stored } from './db-check';
import { createRoom, freePort, joinRoom, startServer, tempDir, waitFor, type ServerProcess } from './helpers';

const INSTALL = 'apt-get update && apt-get install -y redis-server';

async function startRedis(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(`redis-server is not installed; this test needs it. Install it with: ${INSTALL}`);
  }
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`redis-server did not start:\n${out}`)), 15_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/i.test(out)) {
        clearTimeout(timer);
        res();
      }
    });
    proc.once('exit', (code) => rej(new Error(`redis-server exited with ${code}:\n${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, proc };
}

const dir = tempDir();
let redis: { url: string; proc: ChildProcess } | undefined;
const servers: ServerProcess[] = [];
const rooms: Room[] = [];

afterAll(async () => {
  rooms.forEach((r) => r.destroy());
  await Promise.all(servers.map((s) => s.stop()));
  if (redis) {
    const exited = new Promise((r) => redis!.proc.once('exit', r));
    redis.proc.kill('SIGTERM');
    await exited;
  }
  dir.remove();
});

describe('several server processes with Redis', () => {
  it('keeps clients on two processes in sync', async () => {
    redis = await startRedis(dir.path);
    // Processes on one machine share the data folder (SQLite in WAL mode).
    for (let i = 0; i < 2; i++)
      servers.push(await startServer({ dataDir: dir.path, env: { WAVEGRAPH_REDIS_URL: redis.url } }));
    const room = await createRoom(servers[0].url);
    for (let i = 0; i < 6; i++)
      rooms.push(await joinRoom(servers[i % 2].wsUrl, room.id, room.tokens.edit, { name: `p${i}`, color: '#000' }));
    await Promise.all(rooms.map((r) => r.whenSynced));

    rooms.forEach((r, i) => {
      for (let k = 0; k < 10; k++) {
        r.store.transact(
          (d) => void d.nodes.push({ id: `p${i}-${k}`, type: 'Dense', position: { x: k, y: i }, params: { units: k } }),
        );
      }
    });
    const text = (r: Room) => saveDocument(r.store.getSnapshot());
    await waitFor(
      () => rooms.every((r) => r.store.getSnapshot().nodes.length === 60 && text(r) === text(rooms[0])),
      'both processes to converge',
      30_000,
    );
    // A client on the second process edits a node made on the first.
    rooms[1].store.transact((d) => setParam(d, 'p0-0', 'units', 77));
    await waitFor(() => rooms.every((r) => text(r) === text(rooms[1])), 'the edit to reach every client', 30_000);
    expect(rooms[4].store.getSnapshot().nodes.find((n) => n.id === 'p0-0')!.params.units).toBe(77);

    // Each update is stored once, by the process its sender is connected to.
    await waitFor(() => rooms.every((r) => !r.provider.hasUnsyncedChanges), 'every edit to be confirmed');
    const db = stored(join(dir.path, 'wavegraph.sqlite'), room.id);
    expect(db.nodes).toHaveLength(60);
    expect(db.duplicated).toBe(false);

    // Presence crosses processes too.
    rooms[0].presence.setCursor({ x: 1, y: 2 });
    await waitFor(
      () => rooms[1].presence.peers().some((p) => p.user.name === 'p0' && p.cursor?.x === 1),
      'the cursor from the other process',
    );
  }, 120_000);
});
