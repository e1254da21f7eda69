/**
 * Node-only multi-threaded front of the fast scattering: splits a batch between the
 * calling thread and a small pool of worker threads (one per extra core). Browsers
 * use scatteringForward directly (or Web Workers of their own).
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fastPlan } from './scattering-fast-plan';
import { scatteringInto, scatteringForward, type ScatteringOptions } from './scattering-fast';

/** Below this many images per thread, threads cost more than they save. */
const MIN_PER_THREAD = 8;

interface Pending {
  resolve: (out: Float32Array) => void;
  reject: (e: Error) => void;
}

let pool: Worker[] = [];
const pending = new Map<number, Pending>();
let nextId = 1;
let busy = 0;

function spawn(): Worker {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const url = new URL(ts ? './scattering-fast-worker.ts' : './scattering-fast-worker.js', here);
  let w: Worker;
  if (ts) {
    // TypeScript sources: register tsx's loader in the worker first, as bin/wavegraph.js does.
    const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
    const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    w = new Worker(boot, { eval: true });
  } else {
    w = new Worker(url);
  }
  w.on('message', (msg: { id: number; out?: Float32Array; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.out) p.resolve(msg.out);
    else p.reject(new Error(msg.error ?? 'scattering worker failed'));
  });
  w.on('error', (e) => {
    for (const [id, p] of pending) { pending.delete(id); p.reject(e); }
    pool = pool.filter((x) => x !== w);
  });
  w.unref();
  return w;
}

function run(w: Worker, images: Float32Array, B: number, H: number, W: number, o: ScatteringOptions): Promise<Float32Array> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, images, B, H, W, o }, [images.buffer as ArrayBuffer]);
  });
}

/** Number of threads scatteringForwardParallel uses by default (cores, at least 1). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Same result as scatteringForward, computed on up to `threads` threads (the caller's
 * thread included). Small batches stay on the calling thread.
 */
export async function scatteringForwardParallel(
  images: Float32Array, B: number, H: number, W: number, o: ScatteringOptions, threads = defaultThreads(),
): Promise<Float32Array> {
  const p = fastPlan(H, W, o); // validates sizes before any thread starts
  const t = Math.max(1, Math.min(threads, Math.floor(B / MIN_PER_THREAD)));
  if (t === 1) return scatteringForward(images, B, H, W, o);
  while (pool.length < t - 1) pool.push(spawn());
  const per = p.K * p.h * p.w;
  const out = new Float32Array(B * per);
  // equal shares; the calling thread takes the first one
  const bounds = Array.from({ length: t + 1 }, (_, i) => Math.round((i * B) / t));
  busy++;
  for (const w of pool) w.ref();
  try {
    const jobs = pool.slice(0, t - 1).map((w, k) => {
      const a = bounds[k + 1], b = bounds[k + 2];
      return run(w, images.slice(a * H * W, b * H * W), b - a, H, W, o).then((r) => out.set(r, a * per));
    });
    scatteringInto(p, images, 0, bounds[1], out, 0);
    await Promise.all(jobs);
  } finally {
    if (--busy === 0) for (const w of pool) w.unref();
  }
  return out;
}

/** Stop the worker threads (they are also unref'd, so they never keep a process alive). */
export async function stopScatteringWorkers(): Promise<void> {
  const ws = pool;
  pool = [];
  await Promise.all(ws.map((w) => w.terminate()));
}
