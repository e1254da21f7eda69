/**
 * Read-only file serving: the built app (unknown paths fall back to index.html, so
 * deep links work) and dataset files under /data/<name>/<file>. Paths are resolved
 * and checked to stay inside their folder; dot-files and subfolders inside it are never
 * served.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): void {
  const stat = statSync(file);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(stat.size),
    'Cache-Control': cache,
    'Last-Modified': stat.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The file under `root` that `relative` names, or undefined if it escapes root or is not a plain file. */
export function fileInside(root: string, relative: string): string | undefined {
  const base = resolve(root);
  const full = resolve(base, '.' + sep + relative);
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  // Dot-files inside the folder are private; the folder itself may live under one (~/.cache/...).
  if (
    full
      .slice(base.length)
      .split(sep)
      .some((part) => part.startsWith('.'))
  )
    return undefined;
  try {
    return statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

export interface DatasetEntry {
  name: string;
  files: string[];
}

export function listDatasets(dirs: Record<string, string>): DatasetEntry[] {
  const out: DatasetEntry[] = [];
  for (const [name, dir] of Object.entries(dirs).sort(([a], [b]) => a.localeCompare(b))) {
    if (!SAFE_NAME.test(name) || !existsSync(dir)) continue;
    try {
      const files = readdirSync(dir)
        .filter((f) => SAFE_NAME.test(f) && statSync(join(dir, f)).isFile())
        .sort();
      out.push({ name, files });
    } catch {
      // An unreadable folder is simply not offered.
    }
  }
  return out;
}

/** GET /data/index.json and /data/<name>/<file>. Returns false when the path is not under /data. */
export function serveData(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  dirs: Record<string, string>,
): boolean {
  if (path !== '/data' && !path.startsWith('/data/')) return false;
  if (path === '/data/index.json') {
    sendJson(res, 200, { datasets: listDatasets(dirs) });
    return true;
  }
  const parts = path.split('/').slice(2);
  const [name, file] = parts;
  const dir = parts.length === 2 && SAFE_NAME.test(name) && SAFE_NAME.test(file) ? dirs[name] : undefined;
  const full = dir && Object.hasOwn(dirs, name) ? fileInside(dir, file) : undefined;
  if (!full) sendJson(res, 404, { error: 'not-found', message: `No dataset file at ${path}.` });
  else sendFile(req, res, full, 'public, max-age=86400');
  return true;
}

/** The built app. Unknown paths get index.html so the app's own routes load. */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  staticDir: string | undefined,
): void {
  if (!staticDir) {
    sendJson(res, 404, {
      error: 'not-found',
      message: 'This server was started without the built app (no static folder).',
    });
    return;
  }
  const direct = path === '/' ? undefined : fileInside(staticDir, decodeURIComponent(path.slice(1)));
  if (direct) {
    const hashed = path.startsWith('/assets/');
    sendFile(req, res, direct, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    return;
  }
  const index = fileInside(staticDir, 'index.html');
  if (!index)
    sendJson(res, 404, { error: 'not-found', message: `No file at ${path} and no index.html in the app folder.` });
  else sendFile(req, res, index, 'no-cache');
}
