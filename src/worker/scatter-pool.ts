/**
 * The frozen scattering front end on all cores of the browser: the training worker
 * splits each chunk of images between a pool of Web Workers (one per core) and waits
 * for their parts. Without shared memory (the page is not cross-origin isolated) each
 * part travels by transfer, which costs far less than the transform itself.
 */
import type { PrecomputeKernels } from '../../nodes/types';
import { scatteringForward, type ScatteringOptions } from '../../nodes/math/scattering-fast';

/** Below this many images per helper, a split costs more than it saves. */
const MIN_PER_WORKER = 16;

let pool: Worker[] | undefined;
let nextId = 1;
const pending = new Map<number, { resolve(out: Float32Array): void; reject(e: Error): void }>();

function workers(): Worker[] {
  if (pool) return pool;
  const n = Math.max(1, Math.min(16, navigator.hardwareConcurrency || 2));
  pool = [];
  for (let i = 0; i < n; i++) {
    const w = new Worker(new URL('./scatter-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ id: number; out?: Float32Array; error?: string }>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.out) p?.resolve(e.data.out);
      else p?.reject(new Error(e.data.error ?? 'a scattering helper failed'));
    };
    w.onerror = (e) => {
      // A helper that cannot start (or died): every waiting part fails, and the pool is rebuilt next time.
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new Error(e.message || 'a scattering helper failed'));
      }
      pool?.forEach((x) => x.terminate());
      pool = undefined;
    };
    pool.push(w);
  }
  return pool;
}

function part(
  w: Worker,
  images: Float32Array,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
): Promise<Float32Array> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, images, B, H, W, o }, [images.buffer]);
  });
}

/** scatteringForward split across the pool; the same numbers, in the same order. */
export async function scatterInPool(
  images: Float32Array,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
): Promise<Float32Array> {
  const ws = workers();
  const k = Math.min(ws.length, Math.floor(B / MIN_PER_WORKER));
  if (k < 2) return scatteringForward(images, B, H, W, o);
  const per = Math.ceil(B / k);
  const parts: Promise<Float32Array>[] = [];
  for (let i = 0; i < k; i++) {
    const first = i * per,
      count = Math.min(per, B - first);
    if (count <= 0) break;
    parts.push(part(ws[i], images.slice(first * H * W, (first + count) * H * W), count, H, W, o));
  }
  const outs = await Promise.all(parts);
  const out = new Float32Array(outs.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of outs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

/** The browser's faster transforms for frozen front ends: the scattering on a pool of Web Workers. */
export const browserKernels: PrecomputeKernels = { scattering: scatterInPool };
