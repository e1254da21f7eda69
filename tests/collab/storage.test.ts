/**
 * The SQLite storage on its own: compaction keeps rows it cannot apply in a quarantine
 * table, FULL sync by default, link epochs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Storage } from '../../src/server/storage';
import { emptyDocument } from '../../document/graph';
import { docToYDoc, yDocToDoc } from '../../src/collab/ydoc';
import { tempDir } from './helpers';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function open(): Storage {
  const d = tempDir();
  dirs.push(d);
  return new Storage(d.path);
}

describe('storage', () => {
  it('quarantines a row compaction cannot apply instead of deleting it', () => {
    const s = open();
    const doc = new Y.Doc();
    docToYDoc(
      { ...emptyDocument('r1'), nodes: [{ id: 'n1', type: 'Dense', position: { x: 0, y: 0 }, params: {} }] },
      doc,
    );
    s.appendUpdate('r1', Y.encodeStateAsUpdate(doc));
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]);
    s.appendUpdate('r1', garbage);
    s.compact('r1');
    expect(s.size('r1').rows).toBe(0);
    expect(s.quarantinedCount('r1')).toBe(1);
    const kept = s.db.prepare('SELECT data FROM quarantine WHERE room = ?').pluck().get('r1') as Buffer;
    expect([...kept]).toEqual([...garbage]);
    const back = new Y.Doc();
    Y.applyUpdate(back, s.readState('r1'));
    expect(yDocToDoc(back).nodes.map((n) => n.id)).toEqual(['n1']);
    s.close();
  });

  it('syncs fully by default and counts link epochs per room', () => {
    const s = open();
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    s.createRoom('r1', 'one');
    expect(s.epoch('r1')).toBe(0);
    expect(s.rotateEpoch('r1')).toBe(1);
    expect(s.rotateEpoch('r1')).toBe(2);
    expect(s.epoch('r2')).toBe(0);
    s.close();
  });
});
