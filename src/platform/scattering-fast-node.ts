/**
 * Node-only multi-threaded front of the fast scattering: splits a batch between the
 * calling thread and a small pool of worker threads (one per extra core). Browsers
 * use scatteringForward directly (or Web Workers of their own).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { fastPlan } from '../../nodes/math/scattering-fast-plan';
import {
  scatteringForward,
  scatteringInto,
  scatterSharedChunks,
  type ScatteringOptions,
  type SharedScatterJob,
} from '../../nodes/math/scattering-fast';
import { spawnBundledWorker } from './worker-spawn';

/** Below this many images per thread, threads cost more than they save. */
const MIN_PER_THREAD = 8;

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

let pool: Worker[] = [];
const pending = new Map<number, Pending>();
let nextId = 1;
let busy = 0;

function spawn(): Worker {
  const w = spawnBundledWorker(import.meta.url, 'scattering-fast-worker');
  w.on('message', (msg: { id: number; done?: boolean; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.done) p.resolve();
    else p.reject(new Error(msg.error ?? 'scattering worker failed'));
  });
  w.on('error', (e) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(e);
    }
    pool = pool.filter((x) => x !== w);
  });
  w.unref();
  return w;
}

/**
 * Start worker w on a shared batch: it claims chunks of `chunk` images from the shared
 * counter until none is left, writing straight into the shared output.
 */
function run(w: Worker, job: Omit<SharedScatterJob, 'id'>): Promise<void> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, ...job });
  });
}

/**
 * Start the worker threads of a later call now (a worker needs a moment to load), so
 * that they boot while the caller reads its input.
 */
export function startScatteringWorkers(threads = defaultThreads()): void {
  while (pool.length < threads - 1) pool.push(spawn());
}

/** Number of threads scatteringForwardParallel uses by default (cores, at least 1). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Same result as scatteringForward, computed on up to `threads` threads (the caller's
 * thread included). Small batches stay on the calling thread. `into`, when given,
 * receives the result (B K h w values; in shared memory, it saves a copy of the
 * whole result) and is returned.
 */
export async function scatteringForwardParallel(
  images: Float32Array,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
  threads = defaultThreads(),
  into?: Float32Array,
): Promise<Float32Array> {
  const p = fastPlan(H, W, o); // validates sizes before any thread starts
  const per = p.K * p.h * p.w;
  if (into && into.length !== B * per)
    throw new RangeError(`scatteringForwardParallel: the output holds ${into.length} values, not ${B * per}`);
  const t = Math.max(1, Math.min(threads, Math.floor(B / MIN_PER_THREAD)));
  if (t === 1) {
    if (!into) return scatteringForward(images, B, H, W, o);
    scatteringInto(p, images, 0, B, into, 0);
    return into;
  }
  while (pool.length < t - 1) pool.push(spawn());
  // Inputs, outputs and a chunk counter in shared memory: every thread (this one
  // included) claims small chunks until none is left, so a core slowed by another
  // program simply does fewer chunks, and nothing but the final result is copied.
  const shared =
    images.buffer instanceof SharedArrayBuffer ? images : new Float32Array(new SharedArrayBuffer(B * H * W * 4));
  if (shared !== images) shared.set(images.subarray(0, B * H * W));
  const direct = into?.buffer instanceof SharedArrayBuffer;
  const sharedOut = direct ? into! : new Float32Array(new SharedArrayBuffer(B * per * 4));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  // At most 32 images a claim (about 40 ms): the last claims end close together, where
  // an eighth of a large batch left one core idle for up to half a second at the end.
  const chunk = Math.min(32, Math.max(2, 2 * Math.ceil(B / (8 * t) / 2)));
  const job = { images: shared, out: sharedOut, counter, chunk, B, H, W, o };
  busy++;
  for (const w of pool) w.ref();
  try {
    const jobs = pool.slice(0, t - 1).map((w) => run(w, job));
    try {
      scatterSharedChunks({ id: 0, ...job });
    } catch (e) {
      await Promise.allSettled(jobs);
      throw e;
    }
    await Promise.all(jobs);
  } finally {
    if (--busy === 0) for (const w of pool) w.unref();
  }
  if (direct) return sharedOut;
  if (into) {
    into.set(sharedOut);
    return into;
  }
  return new Float32Array(sharedOut); // an ordinary (non-shared) buffer for callers
}

/** Stop the worker threads (they are also unref'd, so they never keep a process alive). */
export async function stopScatteringWorkers(): Promise<void> {
  const ws = pool;
  pool = [];
  await Promise.all(ws.map((w) => w.terminate()));
}
