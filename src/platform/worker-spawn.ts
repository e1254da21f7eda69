/** Worker threads that run this project's TypeScript sources, as bin/wavegraph.js does. */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running the module `file` beside `from` (an import.meta.url): the .js file
 * of a build, or the .ts source with tsx's loader registered in the worker first.
 */
export function spawnWorker(from: string, file: string, options: WorkerOptions = {}): Worker {
  const ts = from.endsWith('.ts');
  const url = new URL(ts ? `./${file}.ts` : `./${file}.js`, from);
  if (!ts) return new Worker(url, options);
  const tsxDir = dirname(createRequire(from).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Like spawnWorker, for a worker whose code is all this project's own (no package that
 * loads files of its own, as TF.js's WASM backend does): run from the sources, it
 * starts as one plain script, bundled by esbuild (tsx's own) and cached on disk with
 * the size and time of every source it holds. Registering tsx's loader in a worker
 * costs about 0.4 CPU-s before any of its code runs; the bundle starts in a tenth of
 * that. Anything unexpected (no esbuild, a failed build) falls back to spawnWorker.
 */
export function spawnBundledWorker(from: string, file: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return spawnWorker(from, file, options);
  let code: string | undefined;
  try {
    code = bundled(fileURLToPath(new URL(`./${file}.ts`, from)), from);
  } catch {
    code = undefined;
  }
  return code === undefined ? spawnWorker(from, file, options) : new Worker(code, { ...options, eval: true });
}

/** Sources of a cached bundle with their [size, mtime], on its first line. */
type Stamps = Record<string, [number, number]>;

const HEAD = '// wavegraph worker bundle ';

function stamp(path: string): [number, number] {
  const s = statSync(path);
  return [s.size, s.mtimeMs];
}

/** Where the bundle of the worker source `entry` (an absolute path) is cached. */
export function bundleCachePath(entry: string): string {
  return join(tmpdir(), `wavegraph-workers-${userInfo().uid}`, `${entry.replace(/[^A-Za-z0-9]+/g, '_')}.cjs`);
}

function bundled(entry: string, from: string): string {
  const cache = bundleCachePath(entry);
  const dir = dirname(cache);
  try {
    const text = readFileSync(cache, 'utf8');
    const nl = text.indexOf('\n');
    const stamps = JSON.parse(text.slice(HEAD.length, nl)) as Stamps;
    const fresh = Object.entries(stamps).every(([p, [size, mtime]]) => {
      const [s, m] = stamp(p);
      return s === size && m === mtime;
    });
    if (fresh) return text.slice(nl + 1);
  } catch {
    // no cache yet, or unreadable: build it
  }
  const tsxDir = dirname(createRequire(from).resolve('tsx/package.json'));
  const esbuild = createRequire(join(tsxDir, 'package.json'))('esbuild') as typeof import('esbuild');
  const r = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: process.cwd(),
  });
  const code = r.outputFiles[0].text;
  const cwd = process.cwd();
  const stamps: Stamps = {};
  for (const input of Object.keys(r.metafile.inputs)) {
    const p = join(cwd, input);
    stamps[p] = stamp(p);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${cache}.${process.pid}`;
    writeFileSync(tmp, `${HEAD}${JSON.stringify(stamps)}\n${code}`);
    renameSync(tmp, cache);
  } catch {
    // a cache that cannot be written only costs the next start a build
  }
  return code;
}
