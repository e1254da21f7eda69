/**
 * The rooms API (publish, fork, list forks) and the file serving of the same server
 * process: one port for the app, the data and the collaboration.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDocument, type GraphDocument } from '../../document/graph';
import { setParam } from '../../document/edit';
import { api, createRoom, joinRoom, startServer, tempDir, waitFor, type ServerProcess } from './helpers';

const dir = tempDir();
let server: ServerProcess;

const lesson: GraphDocument = {
  format: 'wavegraph',
  version: 2,
  name: 'Lesson 1',
  nodes: [
    { id: 'in', type: 'Input', position: { x: 0, y: 0 }, params: {} },
    { id: 'conv', type: 'Conv2D', position: { x: 200, y: 0 }, params: { filters: 8 } },
  ],
  edges: [{ id: 'conv:in', source: 'in', sourcePort: 'out', target: 'conv', targetPort: 'in' }],
};

beforeAll(async () => {
  const app = join(dir.path, 'app');
  const data = join(dir.path, 'fmnist');
  mkdirSync(join(app, 'assets'), { recursive: true });
  mkdirSync(data);
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>Wavegraph</title>');
  writeFileSync(join(app, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(data, 'train-labels-idx1-ubyte.gz'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir.path, 'secret.txt'), 'do not serve');
  server = await startServer({
    dataDir: join(dir.path, 'db'),
    env: { WAVEGRAPH_STATIC: app, WAVEGRAPH_FASHION_MNIST: data, WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM: '3' },
  });
});
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

async function documentOf(room: string, token: string): Promise<string> {
  const r = await joinRoom(server.wsUrl, room, token);
  await r.whenSynced;
  const text = saveDocument(r.store.getSnapshot());
  r.destroy();
  return text;
}

describe('classroom forks', () => {
  it('a student forks a published room into a copy; the owner lists the forks', async () => {
    const teacher = await createRoom(server.url, lesson, 'Lesson 1');
    expect(teacher.tokens.read).not.toBe(teacher.tokens.edit);

    // Not yet published: a read-only link cannot fork.
    const early = await api(server.url, 'POST', `/api/rooms/${teacher.id}/fork`, { token: teacher.tokens.read });
    expect(early.status).toBe(403);
    // Only the owner publishes.
    expect(
      (await api(server.url, 'POST', `/api/rooms/${teacher.id}/publish`, { token: teacher.tokens.edit })).status,
    ).toBe(403);
    expect(
      (await api(server.url, 'POST', `/api/rooms/${teacher.id}/publish`, { token: teacher.tokens.owner })).body,
    ).toEqual({ id: teacher.id, published: true });

    const fork = await api(server.url, 'POST', `/api/rooms/${teacher.id}/fork`, { token: teacher.tokens.read });
    expect(fork.status).toBe(201);
    const student = fork.body as { id: string; parent: string; tokens: { edit: string; read: string; owner: string } };
    expect(student.parent).toBe(teacher.id);
    expect(student.id).not.toBe(teacher.id);

    const original = await documentOf(teacher.id, teacher.tokens.read);
    expect(await documentOf(student.id, student.tokens.read)).toBe(original);

    // The student's edits stay in the fork.
    const s = await joinRoom(server.wsUrl, student.id, student.tokens.edit);
    await s.whenSynced;
    s.store.transact((d) => setParam(d, 'conv', 'filters', 64));
    await waitFor(() => !s.provider.hasUnsyncedChanges, 'the server to confirm the edit');
    s.destroy();
    expect(await documentOf(teacher.id, teacher.tokens.read)).toBe(original);
    expect(await documentOf(student.id, student.tokens.read)).toContain('"filters": 64');

    // The teacher's token does not open the student's room; the listed read token does, read-only.
    const list = await api(server.url, 'GET', `/api/rooms/${teacher.id}/forks`, { token: teacher.tokens.owner });
    expect(list.status).toBe(200);
    const forks = (list.body as { forks: Array<{ id: string; readToken: string }> }).forks;
    expect(forks.map((f) => f.id)).toEqual([student.id]);
    const viewer = await joinRoom(server.wsUrl, student.id, forks[0].readToken);
    await viewer.whenSynced;
    expect(viewer.readOnly()).toBe(true);
    viewer.destroy();
    expect(
      (await api(server.url, 'GET', `/api/rooms/${teacher.id}/forks`, { token: teacher.tokens.edit })).status,
    ).toBe(403);
    expect(
      (await api(server.url, 'GET', `/api/rooms/${student.id}`, { token: student.tokens.read })).body,
    ).toMatchObject({ parent: teacher.id, mode: 'read' });
  });

  it('refuses bad requests with a readable JSON error', async () => {
    const bad = await api(server.url, 'POST', '/api/rooms', { body: { document: { format: 'nope' } } });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/not a Wavegraph graph/);
    expect((await api(server.url, 'GET', '/api/rooms/abc/forks')).status).toBe(401);
    expect((await api(server.url, 'GET', '/api/rooms/abc/forks', { token: 'x.y' })).status).toBe(401);
    const res = await fetch(server.url + '/api/rooms', { method: 'POST', body: '{oops' });
    expect(res.status).toBe(400);
  });
});

describe('connections per room', () => {
  it('refuses a connection past the room limit, and lets one in once someone leaves', async () => {
    const room = await createRoom(server.url);
    const inside = [];
    for (let i = 0; i < 3; i++) inside.push(await joinRoom(server.wsUrl, room.id, room.tokens.edit));
    await Promise.all(inside.map((r) => r.whenSynced));
    const extra = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    await waitFor(() => extra.denied() !== undefined, 'the extra connection to be refused');
    expect(extra.denied()).toBe('room-full');
    extra.destroy();
    inside.pop()!.destroy();
    let late = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    // The server may still be closing the connection that left; try again until it is gone.
    for (
      let attempt = 0;
      attempt < 20 &&
      !(await Promise.race([late.whenSynced.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]));
      attempt++
    ) {
      late.destroy();
      late = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    }
    expect(late.denied()).toBeUndefined();
    expect(late.provider.isSynced).toBe(true);
    late.destroy();
    inside.forEach((r) => r.destroy());
  });
});

describe('files on the same port', () => {
  it('serves the app with cross-origin isolation headers and falls back to index.html', async () => {
    for (const path of ['/', '/assets/main.js', '/some/deep/link', '/data/index.json', '/api/rooms/x']) {
      const res = await fetch(server.url + path);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    }
    expect(await (await fetch(server.url + '/some/deep/link')).text()).toContain('<title>Wavegraph</title>');
    expect(await (await fetch(server.url + '/assets/main.js')).text()).toBe('console.log(1)');
  });

  it('serves dataset files read-only and nothing outside their folders', async () => {
    const index = await (await fetch(server.url + '/data/index.json')).json();
    expect(index).toEqual({ datasets: [{ name: 'fashion-mnist', files: ['train-labels-idx1-ubyte.gz'] }] });
    const file = await fetch(server.url + '/data/fashion-mnist/train-labels-idx1-ubyte.gz');
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([1, 2, 3]);
    for (const path of [
      '/data/fashion-mnist/..%2Fsecret.txt',
      '/data/fashion-mnist/../../secret.txt',
      '/data/other/x',
      '/data/fashion-mnist/%2e%2e/secret.txt',
    ]) {
      const res = await fetch(server.url + path);
      expect(await res.text()).not.toContain('do not serve');
    }
    expect((await fetch(server.url + '/data/fashion-mnist/x', { method: 'PUT', body: 'x' })).status).toBe(405);
  });
});
