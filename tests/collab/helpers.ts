/**
 * Real server processes on loopback for the collaboration tests and benchmark:
 * `tsx src/server/main.ts` with its own port, data folder and secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphDocument } from '../../document/graph';
import { openRoom, type Room } from '../../src/collab/room';
import type { PresenceUser } from '../../src/collab/presence';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The server refuses secrets under 32 bytes.
export const TEST_SECRET = 'test-secret-for-loopback-only-0123456789';

/**
 * Node 20 has no global WebSocket; Hocuspocus's own websocket layer (crossws) ships
 * the `ws` client, so the tests use that one there.
 */
export async function webSocketClass(): Promise<unknown> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function')
    return (globalThis as { WebSocket?: unknown }).WebSocket;
  const mod = (await import('crossws/websocket')) as { default: unknown };
  return mod.default;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export function tempDir(prefix = 'wavegraph-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ServerProcess {
  url: string;
  wsUrl: string;
  port: number;
  proc: ChildProcess;
  output: () => string;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(opts: {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  // One process (node with tsx's loader), not the tsx CLI, which would run the server
  // as a child: SIGKILL must hit the server itself.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WAVEGRAPH_DATA: opts.dataDir,
      WAVEGRAPH_SECRET: TEST_SECRET,
      WAVEGRAPH_STATIC: join(opts.dataDir, 'no-app'),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Wavegraph running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/collab',
    port,
    proc,
    output: () => out,
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface RoomTokens {
  id: string;
  tokens: { owner: string; edit: string; read: string };
}

export async function createRoom(base: string, document?: GraphDocument, name = 'Test room'): Promise<RoomTokens> {
  const { status, body } = await api<RoomTokens>(base, 'POST', '/api/rooms', {
    body: { name, ...(document ? { document } : {}) },
  });
  if (status !== 201) throw new Error(`room creation failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

let userCount = 0;
export async function joinRoom(wsUrl: string, room: string, token: string, user?: PresenceUser): Promise<Room> {
  const r = openRoom({
    url: wsUrl,
    room,
    token,
    user: user ?? { name: `user-${++userCount}`, color: '#3366ff' },
    persistence: null,
    WebSocketPolyfill: await webSocketClass(),
  });
  return r;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000, stepMs = 20): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
