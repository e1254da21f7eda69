/**
 * The browser's store of computed frozen front ends (FeatureCache over IndexedDB), so a
 * reload does not compute a wired scattering of 70,000 images again. Keyed by the frozen
 * subgraph and a fingerprint of the data (FeatureBank makes the keys). The store keeps at
 * most a size cap, forgetting the least recently used entries first; the training panel
 * shows what it holds and clears it. Usable from the worker and from the page (same origin).
 *
 * A front end is large (Fashion-MNIST's scattering: 950 MB for the training split), more
 * than one IndexedDB value should hold, so each entry is written as fixed-size chunks and
 * a small record of its size and last use; the record is written last, so an entry whose
 * writing failed half-way (quota, a closed tab) is never read. Listing and evicting read
 * the records only, never the data.
 */
import type { FeatureCache } from '../../compiler/feature-bank';

const DB = 'wavegraph-features';
const META = 'meta';
const CHUNKS = 'chunks';
/** Upper bound on what is kept; the browser's own quota may lower it (see capBytes). */
export const FEATURE_STORE_CAP = 2 * 1024 ** 3;
/** Bytes per stored chunk (a multiple of 4). */
export const CHUNK_BYTES = 32 * 1024 ** 2;

interface Meta {
  key: string;
  bytes: number;
  chunks: number;
  chunkBytes: number;
  used: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      // Version 1 kept each entry as one value; its entries are dropped (they are recomputed once).
      for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
      db.createObjectStore(META, { keyPath: 'key' });
      db.createObjectStore(CHUNKS);
    };
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

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const chunkRange = (key: string) => IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]);

async function records(db: IDBDatabase): Promise<Meta[]> {
  return (await done(db.transaction(META, 'readonly').objectStore(META).getAll())) as Meta[];
}

async function remove(db: IDBDatabase, key: string): Promise<void> {
  const tx = db.transaction([META, CHUNKS], 'readwrite');
  tx.objectStore(META).delete(key);
  tx.objectStore(CHUNKS).delete(chunkRange(key));
  await finished(tx);
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
export function featureStore(opts: { chunkBytes?: number } = {}): FeatureCache {
  const chunkBytes = Math.max(4, Math.floor((opts.chunkBytes ?? CHUNK_BYTES) / 4) * 4);
  return {
    async get(key) {
      let out: Float32Array | undefined;
      const ok = await this.readInto!(
        key,
        (length) => (out = new Float32Array(length)),
        () => undefined,
      );
      return ok ? out : undefined;
    },
    async readInto(key, begin, filled) {
      try {
        const db = await open();
        const meta = (await done(db.transaction(META, 'readonly').objectStore(META).get(key))) as Meta | undefined;
        if (!meta) return false;
        const out = begin(meta.bytes / 4);
        if (!out) return false;
        for (let i = 0; i < meta.chunks; i++) {
          const chunk = (await done(db.transaction(CHUNKS, 'readonly').objectStore(CHUNKS).get([key, i]))) as
            ArrayBuffer | undefined;
          const offset = i * meta.chunkBytes;
          const expected = Math.min(meta.chunkBytes, meta.bytes - offset);
          if (!chunk || chunk.byteLength !== expected) {
            await remove(db, key); // damaged: forget it, the caller computes it again
            return false;
          }
          out.set(new Float32Array(chunk), offset / 4);
          filled((offset + expected) / 4);
        }
        void done(
          db
            .transaction(META, 'readwrite')
            .objectStore(META)
            .put({ ...meta, used: Date.now() }),
        ).catch(() => undefined);
        return true;
      } catch {
        return false;
      }
    },
    async set(key, data) {
      let db: IDBDatabase | undefined;
      try {
        const cap = await capBytes();
        if (data.byteLength > cap) return;
        db = await open();
        // An older entry under this key stops being readable before its chunks are replaced.
        await remove(db, key);
        // Make room first: the least recently used entries go until the new one fits under the cap.
        const others = (await records(db)).sort((a, b) => a.used - b.used);
        let total = others.reduce((s, e) => s + e.bytes, 0) + data.byteLength;
        for (const e of others) {
          if (total <= cap) break;
          await remove(db, e.key);
          total -= e.bytes;
        }
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const chunks = Math.ceil(data.byteLength / chunkBytes);
        // One transaction per chunk: the copy each put makes stays one chunk large.
        for (let i = 0; i < chunks; i++) {
          const tx = db.transaction(CHUNKS, 'readwrite');
          tx.objectStore(CHUNKS).put(bytes.slice(i * chunkBytes, (i + 1) * chunkBytes).buffer, [key, i]);
          await finished(tx);
        }
        const meta: Meta = { key, bytes: data.byteLength, chunks, chunkBytes, used: Date.now() };
        const tx = db.transaction(META, 'readwrite');
        tx.objectStore(META).put(meta);
        await finished(tx);
      } catch {
        // Not kept (quota, private mode): the chunks written so far go, the next run computes it again.
        if (db) await remove(db, key).catch(() => undefined);
      }
    },
  };
}

/** How much the store holds: entries and bytes (read from the records, not the data). */
export async function featureStoreUsage(): Promise<{ entries: number; bytes: number }> {
  try {
    const list = await records(await open());
    return { entries: list.length, bytes: list.reduce((s, e) => s + e.bytes, 0) };
  } catch {
    return { entries: 0, bytes: 0 };
  }
}

export async function clearFeatureStore(): Promise<void> {
  const db = await open();
  const tx = db.transaction([META, CHUNKS], 'readwrite');
  tx.objectStore(META).clear();
  tx.objectStore(CHUNKS).clear();
  await finished(tx);
}
