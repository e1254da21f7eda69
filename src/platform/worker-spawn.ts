/** Worker threads that run this project's TypeScript sources, as bin/wavegraph.js does. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { bundleModule, bundleScript } from '../../bin/bundle.js';

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
 * loads files of its own, as TF.js's WASM backend does) and reads no import.meta: run
 * from the sources, it starts as one plain script, a bundle cached by bin/bundle.js.
 * Registering tsx's loader in a worker costs about 0.4 CPU-s before any of its code
 * runs; the bundle starts in a tenth of that. Anything unexpected (no esbuild, a failed
 * build) falls back to spawnWorker.
 */
export function spawnBundledWorker(from: string, file: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return spawnWorker(from, file, options);
  let code: string | undefined;
  try {
    code = bundleScript(fileURLToPath(new URL(`./${file}.ts`, from)));
  } catch {
    code = undefined;
  }
  return code === undefined ? spawnWorker(from, file, options) : new Worker(code, { ...options, eval: true });
}

/**
 * Like spawnWorker, for a worker that loads packages with files of their own (TF.js's
 * WASM backend): run from the sources, it starts from an ES module bundle of this
 * project's code (bin/bundle.js), the packages imported from node_modules as usual.
 * Loading the training worker through tsx took 1.7 s of a core; the bundle, 0.6 s.
 * Anything unexpected (no esbuild, a failed build) falls back to spawnWorker.
 */
export async function spawnModuleWorker(from: string, file: string, options: WorkerOptions = {}): Promise<Worker> {
  if (!from.endsWith('.ts')) return spawnWorker(from, file, options);
  let url: string | undefined;
  try {
    url = await bundleModule(fileURLToPath(new URL(`./${file}.ts`, from)));
  } catch {
    url = undefined;
  }
  return url === undefined ? spawnWorker(from, file, options) : new Worker(new URL(url), options);
}
