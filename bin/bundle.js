// Sources bundled into plain JavaScript by esbuild (tsx's own), cached in
// node_modules/.cache/wavegraph with the size and time of every source each bundle
// holds and rebuilt when one changes. Registering tsx's loader costs about 0.4 CPU-s
// per thread before any of our code runs; a bundle starts in a tenth of that. Plain
// JavaScript, because bin/wavegraph.js needs it before any TypeScript can load.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Inside node_modules, so that the packages a bundle leaves external resolve from it. */
const cacheRoot = join(root, 'node_modules', '.cache', 'wavegraph');

function esbuild() {
  const tsx = createRequire(join(root, 'package.json')).resolve('tsx/package.json');
  return createRequire(tsx)('esbuild');
}

function stamp(path) {
  const s = statSync(path);
  return [s.size, s.mtimeMs];
}

/** Whether every source recorded in `stampsFile` is unchanged. */
function fresh(stampsFile) {
  try {
    const stamps = JSON.parse(readFileSync(stampsFile, 'utf8'));
    return Object.entries(stamps).every(([p, [size, mtime]]) => {
      const [s, m] = stamp(p);
      return s === size && m === mtime;
    });
  } catch {
    return false;
  }
}

function stampsOf(metafile) {
  const stamps = {};
  for (const input of Object.keys(metafile.inputs)) {
    const p = join(root, input);
    stamps[p] = stamp(p);
  }
  return stamps;
}

function cacheName(entry) {
  return entry.replace(/[^A-Za-z0-9]+/g, '_');
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: root,
};

/** Where bundleScript caches the script of `entry` (beside it, `.json`: the sources' stamps). */
export function scriptCachePath(entry) {
  return join(cacheRoot, 'scripts', `${cacheName(entry)}.cjs`);
}

/**
 * The source file `entry` (an absolute path) and everything it imports of this project
 * as one CommonJS script, for a worker started with eval: true. Its modules must not
 * read import.meta. Throws when esbuild cannot build it.
 */
export function bundleScript(entry) {
  const file = scriptCachePath(entry);
  const dir = dirname(file);
  const stampsFile = `${file}.json`;
  if (fresh(stampsFile)) return readFileSync(file, 'utf8');
  const r = esbuild().buildSync({ ...common, entryPoints: [entry], format: 'cjs', write: false });
  const code = r.outputFiles[0].text;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, code);
    renameSync(`${file}.${process.pid}`, file);
    writeFileSync(`${stampsFile}.${process.pid}`, JSON.stringify(stampsOf(r.metafile)));
    renameSync(`${stampsFile}.${process.pid}`, stampsFile);
  } catch {
    // a cache that cannot be written only costs the next start a build
  }
  return code;
}

/** Each source's import.meta.url stays its own file's URL, as when run through tsx. */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const ext = extname(args.path).replace(/^\.[cm]?/, '.');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: { '.ts': 'ts', '.tsx': 'tsx', '.js': 'js', '.jsx': 'jsx' }[ext] ?? 'default',
      };
    });
  },
};

/**
 * The file URL of an ES module bundle of `entry` (an absolute path), its dynamic
 * imports split into chunks loaded only when reached. Each build goes to a folder of
 * its own, named by its sources' stamps, and `current.json` points at the latest: a
 * process still loading chunks of an older build keeps them. Throws when esbuild
 * cannot build it.
 */
export async function bundleModule(entry) {
  const home = join(cacheRoot, 'modules', cacheName(entry));
  const pointer = join(home, 'current.json');
  try {
    const { build, sources } = JSON.parse(readFileSync(pointer, 'utf8'));
    const out = join(home, build, 'entry.mjs');
    if (sources === join(home, build, 'sources.json') && fresh(sources) && existsSync(out)) {
      return pathToFileURL(out).href;
    }
  } catch {
    // no build yet, or an unreadable pointer: build
  }
  const build = `${Date.now().toString(36)}-${process.pid}`;
  const dir = join(home, build);
  const r = await esbuild().build({
    ...common,
    entryPoints: { entry },
    format: 'esm',
    splitting: true,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    plugins: [keepImportMetaUrl],
  });
  const sources = join(dir, 'sources.json');
  writeFileSync(sources, JSON.stringify(stampsOf(r.metafile)));
  writeFileSync(`${pointer}.${process.pid}`, JSON.stringify({ build, sources }));
  renameSync(`${pointer}.${process.pid}`, pointer);
  // builds replaced more than an hour ago are no longer being loaded
  for (const old of readdirSync(home, { withFileTypes: true })) {
    if (!old.isDirectory() || old.name === build) continue;
    const p = join(home, old.name);
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
  return pathToFileURL(join(dir, 'entry.mjs')).href;
}
