/**
 * One HTTP server, one port: the built app, the dataset files, the rooms API and the
 * Yjs websocket at /collab. A class needs one address and nothing else.
 *
 * Built on Hocuspocus's own Server (its http server plus crossws for websockets);
 * plain HTTP goes through the onRequest hook and the /collab path check through
 * onUpgrade.
 */
import { Server } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';
import type { Extension, Hocuspocus } from '@hocuspocus/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApi } from './api';
import { serveData, serveStatic, sendJson } from './files';
import { History, DEFAULT_HISTORY, type HistoryOptions } from './history';
import { CreationQuota, DEFAULT_QUOTAS, type QuotaLimits } from './quotas';
import { RoomsExtension, DEFAULT_LIMITS, type RoomLimits } from './rooms-extension';
import { Storage } from './storage';

export const COLLAB_PATH = '/collab';

export interface ServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  secret: string;
  /** The built app (vite's dist/). */
  staticDir?: string;
  /** Dataset name -> folder, served read-only under /data/<name>/. */
  datasetDirs?: Record<string, string>;
  /** redis://host:port: keep several server processes behind one address in sync. */
  redisUrl?: string;
  limits?: Partial<RoomLimits>;
  /** Largest websocket message accepted; a bigger one closes that connection. */
  maxMessageBytes?: number;
  /** 'FULL' (default) survives power cuts; 'NORMAL' only a killed process. */
  synchronous?: 'NORMAL' | 'FULL';
  busyTimeoutMs?: number;
  /** Largest the database may grow (bytes); past it writes fail as on a full disk. */
  maxDatabaseBytes?: number;
  quotas?: Partial<QuotaLimits>;
  history?: Partial<HistoryOptions>;
  /** When set, POST /api/rooms needs it in X-Wavegraph-Key. */
  createKey?: string;
  /** Reverse proxies in front whose X-Forwarded-For names the client for the quotas (default 0: none). */
  trustProxyHops?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  hocuspocus: Hocuspocus;
  storage: Storage;
  rooms: RoomsExtension;
  history: History;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Every response. The WASM backend's threads need a cross-origin-isolated page (COOP,
 * COEP). The content policy allows what the app does and nothing from elsewhere:
 * scripts and workers from this origin (WebAssembly compiled from them), the
 * websocket and API on this host, icons as data: URLs, and no framing by other sites.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

function contentSecurityPolicy(host: string | undefined): string {
  const sameHostSockets = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    // blob:: the threaded WASM backend's helper threads load its module from a blob the
    // app itself makes (importScripts). No other source of script is allowed.
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    `connect-src 'self'${sameHostSockets}`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function redisConfig(url: string) {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    options: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/** The decoded request path, or undefined when it is not a well-formed URL path (answered 400). */
function pathOf(req: IncomingMessage): string | undefined {
  try {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    decodeURIComponent(path);
    return path;
  } catch {
    return undefined;
  }
}

export async function createServer(opts: ServerOptions): Promise<RunningServer> {
  const storage = new Storage(opts.dataDir, {
    synchronous: opts.synchronous,
    busyTimeoutMs: opts.busyTimeoutMs,
    maxBytes: opts.maxDatabaseBytes,
  });
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const datasetDirs = opts.datasetDirs ?? {};
  const rooms = new RoomsExtension(storage, opts.secret, limits);
  const history = new History(storage, rooms, { ...DEFAULT_HISTORY, ...opts.history });
  rooms.onStored = (room) => history.markChanged(room);
  const quota = new CreationQuota({ ...DEFAULT_QUOTAS, ...opts.quotas });
  const api = {
    storage,
    secret: opts.secret,
    quota,
    history,
    revoke: (room: string) => rooms.closeRevoked(room),
    createKey: opts.createKey,
    trustProxyHops: opts.trustProxyHops ?? 0,
  };
  const extensions: Extension[] = [rooms];
  if (opts.redisUrl) extensions.push(new Redis(redisConfig(opts.redisUrl)));

  const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
    const path = pathOf(req);
    if (path === undefined) return sendJson(res, 400, { error: 'bad-path', message: 'The request path is malformed.' });
    if (path === '/api' || path.startsWith('/api/')) return handleApi(req, res, path, api);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'method', message: 'Files are read-only.' });
    }
    if (serveData(req, res, path, datasetDirs)) return;
    serveStatic(req, res, path, opts.staticDir);
  };

  const server = new Server({
    port: opts.port,
    address: opts.host,
    quiet: true,
    stopOnSignals: false,
    extensions,
    websocketOptions: { maxPayload: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES },
    async onRequest({ request, response }) {
      try {
        await handleHttp(request, response);
      } catch (e) {
        console.error('[wavegraph] request failed:', e);
        if (!response.headersSent)
          sendJson(response, 500, { error: 'internal', message: 'The server could not handle this request.' });
        else response.destroy();
      }
      // Rejecting without an error stops Hocuspocus's default "Welcome" reply.
      throw null;
    },
    async onUpgrade({ request, socket }) {
      if (pathOf(request) !== COLLAB_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        throw null;
      }
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.listen(opts.port).then(() => {
      server.httpServer.off('error', reject);
      resolve();
    }, reject);
  });
  const port = server.address.port;
  const shownHost = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    hocuspocus: server.hocuspocus,
    storage,
    rooms,
    history,
    close() {
      closing ??= (async () => {
        history.close();
        await Promise.race([server.destroy(), new Promise((r) => setTimeout(r, 5000))]);
        storage.close();
      })();
      return closing;
    },
  };
}
