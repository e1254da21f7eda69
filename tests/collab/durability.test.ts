/**
 * Every edit a client saw confirmed survives the server being killed with SIGKILL
 * (no shutdown code, no debounced save) and restarted on the same data folder.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { saveDocument } from '../../document/graph';
import type { Room } from '../../src/collab/room';
import { connect, moveNodes, setParam } from '../../document/edit';
import { registryPortArity } from '../../nodes/registry';
import { createRoom, joinRoom, startServer, tempDir, waitFor } from './helpers';

const dir = tempDir();
afterAll(() => dir.remove());

const text = (r: Room) => saveDocument(r.store.getSnapshot());

describe('durability', () => {
  it('keeps every converged edit across SIGKILL and restart', async () => {
    const first = await startServer({ dataDir: dir.path });
    const room = await createRoom(first.url);
    const clients = await Promise.all([0, 1, 2].map(() => joinRoom(first.wsUrl, room.id, room.tokens.edit)));
    await Promise.all(clients.map((c) => c.whenSynced));

    // Three people edit at once; the last edits happen just before the kill.
    for (let i = 0; i < 40; i++) {
      clients.forEach((c, k) => {
        const id = `k${k}-n${i}`;
        c.store.transact(
          (d) => void d.nodes.push({ id, type: 'Conv2D', position: { x: i, y: k }, params: { filters: i } }),
        );
        if (i > 0)
          c.store.transact(
            (d) =>
              void connect(
                d,
                { node: `k${k}-n${i - 1}`, port: 'out' },
                { node: id, port: 'in' },
                { arity: registryPortArity },
              ),
          );
        c.store.transact((d) => moveNodes(d, new Map([[id, { x: i * 10, y: k * 10 }]])));
      });
      clients[i % 3].store.transact((d) => {
        d.name = `edit ${i}`;
      });
    }
    clients.forEach((c, k) => c.store.transact((d) => setParam(d, `k${k}-n39`, 'filters', 999)));
    await waitFor(
      () =>
        clients.every((c) => !c.provider.hasUnsyncedChanges && text(c) === text(clients[0])) &&
        clients[0].store.getSnapshot().nodes.length === 120,
      'the clients to converge',
      45_000,
    );
    const converged = text(clients[0]);

    await first.kill();
    // The old clients must not reconnect and re-send what they hold.
    clients.forEach((c) => c.destroy());

    const second = await startServer({ dataDir: dir.path });
    try {
      const fresh = await joinRoom(second.wsUrl, room.id, room.tokens.edit);
      await fresh.whenSynced;
      expect(text(fresh)).toBe(converged);
      const doc = fresh.store.getSnapshot();
      expect(doc.nodes).toHaveLength(120);
      expect(doc.edges).toHaveLength(117);
      expect(doc.name).toMatch(/^edit 3[789]$/);
      expect(doc.nodes.filter((n) => n.params.filters === 999)).toHaveLength(3);
      fresh.destroy();
    } finally {
      await second.stop();
    }
  }, 120_000);
});
