/** Worker threads that run this project's TypeScript sources, as bin/wavegraph.js does. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
