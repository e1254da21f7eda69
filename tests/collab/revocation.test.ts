/**
 * Links, quotas and HTTP hardening against real server processes: rotating a room's
 * links closes open sockets within a second and keeps them out; expired links are
 * closed too; room creation answers 429 with Retry-After past its quota and needs the
 * creation key when one is set; simultaneous logins cannot pass the room limit
 * together; a weak secret is refused at start; every response carries the security
 * headers; a malformed URL is a 400.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../src/collab/room';
import { signToken } from '../../src/server/tokens';
import { clientAddress } from '../../src/server/quotas';
import {
  api,
  createRoom,
  joinRoom,
  ROOT,
  startServer,
  tempDir,
  TEST_SECRET,
  waitFor,
  type ServerProcess,
} from './helpers';
import { RawClient } from './raw-client';

let server: ServerProcess;
const dir = tempDir();
const opened: Room[] = [];

beforeAll(async () => {
  server = await startServer({
    dataDir: dir.path,
    env: { WAVEGRAPH_ROOMS_PER_ADDRESS_PER_HOUR: '6', WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM: '4' },
  });
});
afterAll(async () => {
  opened.forEach((r) => r.destroy());
  await server?.stop();
  dir.remove();
});

async function authed(room: string, token: string): Promise<RawClient> {
  const raw = await RawClient.open(server.wsUrl, room);
  raw.auth(token);
  return raw;
}

/** GET with a raw path (fetch would normalise a malformed one). */
function rawGet(
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('revoking links', () => {
  it('rotating closes open sockets within a second, refuses the old links, and the new links work', async () => {
    const room = await createRoom(server.url);
    const editor = await joinRoom(server.wsUrl, room.id, room.tokens.edit);
    opened.push(editor);
    await editor.whenSynced;
    const reader = await authed(room.id, room.tokens.read);
    await reader.waitReply((r) => r.summary === 'ok:readonly', 'the reader to be let in');

    expect(
      (await api(server.url, 'POST', `/api/rooms/${room.id}/rotate`, { token: room.tokens.edit, body: {} })).status,
    ).toBe(403);
    const started = Date.now();
    const rotated = await api(server.url, 'POST', `/api/rooms/${room.id}/rotate`, {
      token: room.tokens.owner,
      body: {},
    });
    expect(rotated.status).toBe(200);
    await reader.waitClosed(1000);
    await waitFor(() => editor.status() !== 'connected', 'the editor to be disconnected', 1000);
    expect(Date.now() - started).toBeLessThan(1500);

    // The old links: refused on the socket and by the API; the editor's provider stays out.
    for (const token of [room.tokens.edit, room.tokens.read, room.tokens.owner]) {
      const again = await authed(room.id, token);
      expect((await again.waitReply((r) => r.type === 2, 'the auth answer')).summary).toBe('denied:permission-denied');
      again.close();
      expect((await api(server.url, 'GET', `/api/rooms/${room.id}`, { token })).status).toBe(401);
    }
    await waitFor(() => editor.denied() !== undefined, 'the old editor to be refused');
    const fresh = await joinRoom(server.wsUrl, room.id, rotated.body.tokens.edit);
    opened.push(fresh);
    await fresh.whenSynced;
    expect(fresh.readOnly()).toBe(false);
  });

  it('closes a socket when its link expires', async () => {
    const room = await createRoom(server.url);
    const soon = signToken({ room: room.id, mode: 'edit', exp: Math.floor(Date.now() / 1000) + 2 }, TEST_SECRET);
    const raw = await authed(room.id, soon);
    await raw.waitReply((r) => r.summary === 'ok:read-write', 'the login');
    const closed = await raw.waitClosed(4000);
    expect(closed.reason).toBe('link-expired');
  });

  it('gives links an expiry when asked, and tokens that differ each time', async () => {
    const created = await api(server.url, 'POST', '/api/rooms', { body: { expiresInHours: 1 } });
    const payload = JSON.parse(Buffer.from(created.body.tokens.edit.split('.')[0], 'base64url').toString());
    expect(payload.e).toBeGreaterThan(Date.now() / 1000 + 3500);
    const again = await api(server.url, 'POST', `/api/rooms/${created.body.id}/rotate`, {
      token: created.body.tokens.owner,
      body: {},
    });
    expect(again.body.tokens.read).not.toBe(created.body.tokens.read);
  });
});

describe('limits', () => {
  it('simultaneous logins cannot pass the per-room connection limit together', async () => {
    const room = await createRoom(server.url);
    const clients = await Promise.all(Array.from({ length: 10 }, () => RawClient.open(server.wsUrl, room.id)));
    clients.forEach((c) => c.auth(room.tokens.edit));
    const answers = await Promise.all(clients.map((c) => c.waitReply((r) => r.type === 2, 'the auth answer')));
    expect(answers.filter((a) => a.summary === 'ok:read-write')).toHaveLength(4);
    expect(answers.filter((a) => a.summary === 'denied:room-full')).toHaveLength(6);
    clients.forEach((c) => c.close());
  });

  it('answers 429 with Retry-After once an address has made its quota of rooms, forks included', async () => {
    // Earlier tests in this file made 4 rooms; the quota is 6 an hour.
    const first = await api(server.url, 'POST', '/api/rooms', { body: {} });
    expect(first.status).toBe(201);
    expect(
      (await api(server.url, 'POST', `/api/rooms/${first.body.id}/fork`, { token: first.body.tokens.edit })).status,
    ).toBe(201);
    const res = await fetch(server.url + '/api/rooms', { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { message: string }).message).toMatch(/Try again in \d+ s/);
    const fork = await api(server.url, 'POST', `/api/rooms/${first.body.id}/fork`, { token: first.body.tokens.edit });
    expect(fork.status).toBe(429);
    // Without trusted proxies a client's own X-Forwarded-For does not make it someone else.
    const spoofed = await fetch(server.url + '/api/rooms', {
      method: 'POST',
      body: '{}',
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(spoofed.status).toBe(429);
  });

  it('behind a trusted proxy, counts each client the proxy names, not the proxy', async () => {
    const proxied = await startServer({
      dataDir: join(dir.path, 'db-proxy'),
      env: { WAVEGRAPH_ROOMS_PER_ADDRESS_PER_HOUR: '2', WAVEGRAPH_TRUST_PROXY: '1' },
    });
    try {
      // The proxy appends the address it saw; what the client wrote before it is not believed.
      const make = (forwarded: string) =>
        fetch(proxied.url + '/api/rooms', { method: 'POST', body: '{}', headers: { 'X-Forwarded-For': forwarded } });
      const statuses = [];
      for (const f of ['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2', '1.1.1.1, 10.0.0.1', '1.1.1.1, 10.0.0.3'])
        statuses.push((await make(f)).status);
      expect(statuses).toEqual([201, 201, 429, 201, 429, 201]);
    } finally {
      await proxied.stop();
    }
  });
});

describe('client addresses', () => {
  it('reads X-Forwarded-For only as far as the trusted proxies go', () => {
    expect(clientAddress('127.0.0.1', '1.2.3.4', 0)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', undefined, 1)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'evil, 10.0.0.7', 1)).toBe('10.0.0.7');
    expect(clientAddress('127.0.0.1', ['evil, 10.0.0.7', '172.16.0.1'], 2)).toBe('10.0.0.7');
    expect(clientAddress('127.0.0.1', '10.0.0.7', 3)).toBe('10.0.0.7');
    expect(clientAddress('127.0.0.1', ' , ', 1)).toBe('127.0.0.1');
  });
});

describe('http', () => {
  it('puts the security headers on every response, errors included', async () => {
    for (const path of ['/', '/api/rooms/nope', '/data/index.json', '/%E0%A4%A']) {
      const res = await rawGet(path);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
      expect(res.headers['content-security-policy']).toContain(`ws://127.0.0.1:${server.port}`);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });

  it('answers a malformed URL with 400 and no stack trace', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%ZZ', '/data/%E0/x']) {
      const res = await rawGet(path);
      expect(res.status).toBe(400);
      expect(res.body).not.toMatch(/at |Error/);
    }
    expect(server.output()).not.toMatch(/URIError/);
  });
});

describe('data folders', () => {
  it('serves a dataset folder that lives under a dot-directory, but not the dot-files inside it', async () => {
    const data = join(dir.path, '.cache', 'fashion');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'labels.gz'), Buffer.from([1, 2, 3]));
    writeFileSync(join(data, '.hidden'), 'no');
    const other = await startServer({ dataDir: join(dir.path, 'db2'), env: { WAVEGRAPH_FASHION_MNIST: data } });
    try {
      const res = await fetch(`${other.url}/data/fashion-mnist/labels.gz`);
      expect(res.status).toBe(200);
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
      expect((await fetch(`${other.url}/data/fashion-mnist/.hidden`)).status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});

describe('start-up', () => {
  function startWith(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WAVEGRAPH_DATA: dir.path + '/weak', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (out += d));
      proc.once('exit', (code) => resolve({ code, out }));
      setTimeout(() => proc.kill('SIGKILL'), 20_000).unref();
    });
  }

  it('refuses a secret under 32 bytes with a one-line fix', async () => {
    const { code, out } = await startWith({ WAVEGRAPH_SECRET: 'test' });
    expect(code).toBe(2);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WAVEGRAPH_SECRET is 4 bytes; it must be at least 32');
    expect(lines[0]).toContain('randomBytes(32)');
  });

  it('two first starts on one data folder end with one secret, readable by the owner only', async () => {
    const folder = tempDir();
    try {
      const load = `import('./src/server/secret.ts').then((m) => console.log(m.loadSecret(${JSON.stringify(folder.path)}, {}).secret))`;
      const run = () =>
        new Promise<string>((resolve) => {
          const p = spawn(process.execPath, ['--import', 'tsx', '-e', load], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          p.stdout!.on('data', (d) => (out += d));
          p.once('exit', () => resolve(out.trim()));
        });
      const [x, y] = await Promise.all([run(), run()]);
      expect(x).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(y).toBe(x);
      expect(statSync(folder.path + '/secret').mode & 0o777).toBe(0o600);
      expect(statSync(dir.path + '/wavegraph.sqlite').mode & 0o777).toBe(0o600);
    } finally {
      folder.remove();
    }
  });
});
