/**
 * Room history against a real server: snapshots taken on an interval (only when the
 * room changed) and on demand, listed and restored by the owner only; a restore
 * reaches connected editors as an ordinary edit and saves the state it replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../src/collab/room';
import { removeElements } from '../../document/edit';
import { api, createRoom, joinRoom, sleep, startServer, tempDir, waitFor, type ServerProcess } from './helpers';

let server: ServerProcess;
const dir = tempDir();
const rooms: Room[] = [];
beforeAll(async () => {
  server = await startServer({ dataDir: dir.path, env: { WAVEGRAPH_SNAPSHOT_SECONDS: '1' } });
});
afterAll(async () => {
  rooms.forEach((r) => r.destroy());
  await server?.stop();
  dir.remove();
});

const ids = (r: Room) =>
  r.store
    .getSnapshot()
    .nodes.map((n) => n.id)
    .sort();

describe('history', () => {
  it('snapshots on an interval and on demand; the owner restores one and everyone sees it', async () => {
    const room = await createRoom(server.url);
    const editor = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    rooms.push(editor);
    await editor.whenSynced;
    for (const id of ['x', 'y', 'z'])
      editor.store.transact((d) => void d.nodes.push({ id, type: 'Dense', position: { x: 0, y: 0 }, params: {} }));
    const list = async () =>
      (await api(server.url, 'GET', `/api/rooms/${room.id}/snapshots`, { token: room.tokens.owner })).body
        .snapshots as Array<{ id: number; reason: string }>;
    await waitFor(() => !editor.provider.hasUnsyncedChanges, 'the edits to be stored');
    let interval: Array<{ id: number; reason: string }> = [];
    for (let t = 0; t < 50 && !interval.length; t++) {
      await sleep(200);
      interval = (await list()).filter((s) => s.reason === 'interval');
    }
    expect(interval).toHaveLength(1);
    // Nothing changed: no new interval snapshot.
    await sleep(2500);
    expect((await list()).filter((s) => s.reason === 'interval')).toHaveLength(1);

    expect((await api(server.url, 'POST', `/api/rooms/${room.id}/snapshots`, { token: room.tokens.edit })).status).toBe(
      403,
    );
    expect((await api(server.url, 'GET', `/api/rooms/${room.id}/snapshots`, { token: room.tokens.read })).status).toBe(
      403,
    );
    const manual = await api(server.url, 'POST', `/api/rooms/${room.id}/snapshots`, { token: room.tokens.owner });
    expect(manual.status).toBe(201);

    // "Delete everything".
    editor.store.transact((d) => removeElements(d, ['x', 'y', 'z']));
    await waitFor(() => ids(editor).length === 0 && !editor.provider.hasUnsyncedChanges, 'the delete to be stored');

    expect(
      (
        await api(server.url, 'POST', `/api/rooms/${room.id}/snapshots/${manual.body.id}/restore`, {
          token: room.tokens.edit,
        })
      ).status,
    ).toBe(403);
    expect(
      (await api(server.url, 'POST', `/api/rooms/${room.id}/snapshots/99999/restore`, { token: room.tokens.owner }))
        .status,
    ).toBe(404);
    const restored = await api(server.url, 'POST', `/api/rooms/${room.id}/snapshots/${manual.body.id}/restore`, {
      token: room.tokens.owner,
    });
    expect(restored.status).toBe(200);
    await waitFor(() => ids(editor).join() === 'x,y,z', 'the editor to see the restored nodes');
    // The emptied document was kept before the restore.
    const after = await list();
    expect(after.find((s) => s.id === restored.body.backup)?.reason).toBe('before-restore');

    // A late joiner and a restart both see the restored document.
    await server.kill();
    server = await startServer({ dataDir: dir.path });
    const late = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    rooms.push(late);
    await late.whenSynced;
    expect(ids(late)).toEqual(['x', 'y', 'z']);
  }, 60_000);
});
