/**
 * Storage faults on a real server process: the database locked by another process
 * mid-session (SQLITE_BUSY past the busy timeout) and the database full (SQLITE_FULL,
 * a size cap standing in for a full disk). While the fault lasts no client receives
 * an edit the server could not store; once it clears, every edit the clients made is
 * in the database, stored once.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Room } from '../../src/collab/room';
import * as Y from 'yjs';
import { stored } from './db-check';
import { RawClient } from './raw-client';
import { createRoom, joinRoom, sleep, startServer, tempDir, waitFor, type ServerProcess } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ids = (r: Room) => r.store.getSnapshot().nodes.map((n) => n.id);
const add = (r: Room, id: string) =>
  r.store.transact((d) => void d.nodes.push({ id, type: 'Dense', position: { x: 0, y: 0 }, params: { units: 1 } }));

async function twoEditors(server: ServerProcess): Promise<{ id: string; edit: string; a: Room; b: Room }> {
  const room = await createRoom(server.url);
  const a = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
  const b = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
  cleanups.push(
    () => a.destroy(),
    () => b.destroy(),
  );
  await Promise.all([a.whenSynced, b.whenSynced]);
  add(a, 'before');
  await waitFor(() => ids(b).includes('before'), 'the first edit to arrive');
  return { id: room.id, edit: room.tokens.edit, a, b };
}

describe('storage faults', () => {
  it('database locked mid-session: nothing unstored reaches anyone; afterwards every edit is stored once', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const server = await startServer({ dataDir: dir.path, env: { WAVEGRAPH_BUSY_TIMEOUT_MS: '100' } });
    cleanups.push(() => server.stop());
    const { id, a, b } = await twoEditors(server);
    const file = join(dir.path, 'wavegraph.sqlite');

    const lock = new Database(file);
    lock.pragma('busy_timeout = 5000');
    lock.prepare('BEGIN IMMEDIATE').run();
    try {
      for (let i = 0; i < 5; i++) {
        add(a, `from-a-${i}`);
        add(b, `from-b-${i}`);
        await sleep(100);
      }
      // Several reconnect-and-retry rounds while the lock holds.
      for (let t = 0; t < 15; t++) {
        expect(ids(b).filter((n) => n.startsWith('from-a'))).toEqual([]);
        expect(ids(a).filter((n) => n.startsWith('from-b'))).toEqual([]);
        await sleep(200);
      }
      expect(server.output()).toContain('could not be stored');
    } finally {
      lock.prepare('ROLLBACK').run();
      lock.close();
    }
    const all = ['before', ...[0, 1, 2, 3, 4].flatMap((i) => [`from-a-${i}`, `from-b-${i}`])].sort();
    await waitFor(
      () => [a, b].every((r) => JSON.stringify([...ids(r)].sort()) === JSON.stringify(all)),
      'both clients to hold every edit',
      30_000,
    );
    await waitFor(
      () => !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges,
      'the server to confirm every edit',
    );
    const db = stored(file, id);
    expect(db.nodes.sort()).toEqual(all);
    expect(db.duplicated).toBe(false);
  }, 90_000);

  it('database full: edits wait on their senders and are stored once after the cap is lifted', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    let server = await startServer({ dataDir: dir.path });
    const { id, a, b } = await twoEditors(server);
    const file = join(dir.path, 'wavegraph.sqlite');
    const port = server.port;
    await server.stop();
    // Restarted with the database capped at its current size: the next write fills it.
    const probe = new Database(file, { readonly: true });
    const size =
      (probe.pragma('page_count', { simple: true }) as number) *
      (probe.pragma('page_size', { simple: true }) as number);
    probe.close();
    server = await startServer({ dataDir: dir.path, port, env: { WAVEGRAPH_MAX_DATABASE_BYTES: String(size + 8192) } });
    await waitFor(() => a.status() === 'connected' && b.status() === 'connected', 'the clients to reconnect', 30_000);
    // 18,000 characters in two text params, each under the document schema's limit for one.
    const big = { units: 1, note: 'x'.repeat(9000), note2: 'y'.repeat(9000) };
    a.store.transact((d) => void d.nodes.push({ id: 'a-big', type: 'Dense', position: { x: 0, y: 0 }, params: big }));
    b.store.transact((d) => void d.nodes.push({ id: 'b-big', type: 'Dense', position: { x: 0, y: 0 }, params: big }));
    for (let t = 0; t < 10; t++) {
      expect(ids(b)).not.toContain('a-big');
      expect(ids(a)).not.toContain('b-big');
      await sleep(200);
    }
    expect(server.output()).toMatch(/could not be stored \(database or disk is full\)/);
    await server.stop();
    server = await startServer({ dataDir: dir.path, port });
    cleanups.push(() => server.stop());
    const all = ['a-big', 'b-big', 'before'];
    await waitFor(
      () => [a, b].every((r) => JSON.stringify([...ids(r)].sort()) === JSON.stringify(all)),
      'both clients to hold every edit',
      45_000,
    );
    await waitFor(
      () => !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges,
      'the server to confirm every edit',
    );
    const db = stored(file, id);
    expect(db.nodes.sort()).toEqual(all);
    expect(db.duplicated).toBe(false);
  }, 120_000);

  it('stores updates waiting for missing dependencies, and disconnects a sender piling up more than the cap', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const server = await startServer({ dataDir: dir.path, env: { WAVEGRAPH_MAX_PENDING_BYTES: '4000' } });
    cleanups.push(() => server.stop());
    const { id, edit, b } = await twoEditors(server);
    // Updates of one client with its first one left out: Yjs cannot apply them yet.
    const d = new Y.Doc();
    const m = d.getMap('meta');
    const updates: Uint8Array[] = [];
    d.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 6; i++) m.set(`k${i}`, 'x'.repeat(1500));
    const raw = await RawClient.open(server.wsUrl, id);
    raw.auth(edit);
    await raw.waitReply((r) => r.summary === 'ok:read-write', 'the login');
    for (const u of updates.slice(1)) raw.update(u);
    const closed = await raw.waitClosed();
    expect(closed.reason).toBe('too-many-pending-updates');
    // What was accepted is stored, and counts toward the room's size.
    const db = new Database(join(dir.path, 'wavegraph.sqlite'), { readonly: true });
    const bytes = db.prepare('SELECT SUM(length(data)) FROM updates WHERE room = ?').pluck().get(id) as number;
    db.close();
    expect(bytes).toBeGreaterThan(4000);
    // Nobody sees the pending parts, and the room still works.
    expect(b.ydoc.getMap('meta').has('k1')).toBe(false);
    add(b, 'after');
    await waitFor(() => !b.provider.hasUnsyncedChanges, 'the room to keep storing edits');
  }, 60_000);
});
