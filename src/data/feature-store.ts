/**
 * The browser's store of computed frozen front ends (FeatureCache over IndexedDB), so a
 * reload does not compute a wired scattering of 70,000 images again. Keyed by the frozen
 * subgraph and a fingerprint of the data (FeatureBank makes the keys). The store keeps at
 * most a size cap, forgetting the least recently used entries first; the training panel
 * shows what it holds and clears it. Usable from the worker and from the page (same origin).
 */
import type { FeatureCache } from '../../compiler/feature-bank';

const DB = 'wavegraph-features';
const STORE = 'entries';
/** Upper bound on what is kept; the browser's own quota may lower it (see capBytes). */
export const FEATURE_STORE_CAP = 2 * 1024 ** 3;

interface Entry {
  key: string;
  data: ArrayBuffer;
  bytes: number;
  used: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Entries without their data: key, size and last use (a cursor over the whole store). */
async function index(db: IDBDatabase): Promise<{ key: string; bytes: number; used: number }[]> {
  const out: { key: string; bytes: number; used: number }[] = [];
  return new Promise((resolve, reject) => {
    const req = db.transaction(STORE, 'readonly').objectStore(STORE).openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve(out);
      const e = c.value as Entry;
      out.push({ key: e.key, bytes: e.bytes, used: e.used });
      c.continue();
    };
    req.onerror = () => reject(req.error);
  });
}

async function capBytes(): Promise<number> {
  try {
    const est = await navigator.storage?.estimate?.();
    if (est?.quota) return Math.min(FEATURE_STORE_CAP, est.quota * 0.5);
  } catch {
    // No estimate: the fixed cap holds.
  }
  return FEATURE_STORE_CAP;
}

/** A FeatureCache in IndexedDB; every failure (no IndexedDB, quota) reads as a miss, never as an error. */
export function featureStore(): FeatureCache {
  return {
    async get(key) {
      try {
        const db = await open();
        const e = (await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(key))) as Entry | undefined;
        if (e)
          void done(
            db
              .transaction(STORE, 'readwrite')
              .objectStore(STORE)
              .put({ ...e, used: Date.now() }),
          ).catch(() => undefined);
        return e ? new Float32Array(e.data) : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, data) {
      try {
        const cap = await capBytes();
        if (data.byteLength > cap) return;
        const db = await open();
        // Make room first: the oldest entries go until the new one fits under the cap.
        const entries = (await index(db)).filter((e) => e.key !== key).sort((a, b) => a.used - b.used);
        let total = entries.reduce((s, e) => s + e.bytes, 0) + data.byteLength;
        const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
        for (const e of entries) {
          if (total <= cap) break;
          store.delete(e.key);
          total -= e.bytes;
        }
        const copy = (
          data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer
        ) as ArrayBuffer;
        await done(
          db
            .transaction(STORE, 'readwrite')
            .objectStore(STORE)
            .put({ key, data: copy, bytes: data.byteLength, used: Date.now() } satisfies Entry),
        );
      } catch {
        // Not kept (quota, private mode): the next run computes it again.
      }
    },
  };
}

/** How much the store holds: entries and bytes. */
export async function featureStoreUsage(): Promise<{ entries: number; bytes: number }> {
  try {
    const list = await index(await open());
    return { entries: list.length, bytes: list.reduce((s, e) => s + e.bytes, 0) };
  } catch {
    return { entries: 0, bytes: 0 };
  }
}

export async function clearFeatureStore(): Promise<void> {
  const db = await open();
  await done(db.transaction(STORE, 'readwrite').objectStore(STORE).clear());
}
