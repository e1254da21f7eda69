/** Reading a server's database from a test: what a room holds, and whether anything is stored twice. */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { yDocToDoc } from '../../src/collab/ydoc';

/** The room's document as the database holds it, and whether any Yjs item is stored in two rows. */
export function stored(file: string, room: string): { nodes: string[]; duplicated: boolean } {
  const db = new Database(file, { readonly: true });
  try {
    const blobs: Buffer[] = [];
    const state = db.prepare('SELECT state FROM documents WHERE room = ?').pluck().get(room) as Buffer | undefined;
    if (state) blobs.push(state);
    for (const row of db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY seq').pluck().all(room) as Buffer[])
      blobs.push(row);
    const seen = new Map<number, Array<[number, number]>>();
    let duplicated = false;
    const doc = new Y.Doc();
    for (const b of blobs) {
      Y.applyUpdate(doc, b);
      for (const s of Y.decodeUpdate(b).structs) {
        if (s.constructor.name === 'Skip') continue;
        const ranges = seen.get(s.id.client) ?? [];
        if (ranges.some(([from, to]) => s.id.clock < to && from < s.id.clock + s.length)) duplicated = true;
        ranges.push([s.id.clock, s.id.clock + s.length]);
        seen.set(s.id.client, ranges);
      }
    }
    return { nodes: yDocToDoc(doc).nodes.map((n) => n.id), duplicated };
  } finally {
    db.close();
  }
}
