/**
 * The room's history, for its owner: the server's snapshots (taken on an interval
 * while the room changes, and on demand here), each restorable. A restore reaches
 * everyone in the room as an ordinary edit; the document it replaces is saved as a
 * snapshot first, so a restore can itself be undone from this list.
 */
import { useCallback, useEffect, useState } from 'react';
import { useNotify } from '../messages';
import { listSnapshots, restoreSnapshot, takeSnapshot, type SnapshotEntry } from './api';

const REASON: Record<string, string> = {
  interval: 'automatic',
  manual: 'taken by hand',
  'before-restore': 'before a restore',
};

export function HistoryPanel({ roomId, token }: { roomId: string; token: string }) {
  const notify = useNotify();
  const [snapshots, setSnapshots] = useState<SnapshotEntry[] | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(
    () =>
      listSnapshots(roomId, token).then(
        (r) => setSnapshots(r.snapshots),
        (e: Error) => (setSnapshots([]), notify('error', 'Could not list the snapshots.', e.message)),
      ),
    [roomId, token, notify],
  );
  useEffect(() => void reload(), [reload]);
  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      notify('success', done);
      await reload();
    } catch (e) {
      notify('error', 'The server refused.', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const restore = (s: SnapshotEntry) => {
    const when = new Date(s.createdAt).toLocaleString();
    if (
      !window.confirm(
        `Make the room's graph what it was at ${when}, for everyone in it? The current graph is kept as a snapshot.`,
      )
    )
      return;
    void act(() => restoreSnapshot(roomId, token, s.id), `Restored the graph of ${when}.`);
  };
  return (
    <section data-testid="room-history">
      <h3>History</h3>
      <button
        disabled={busy}
        data-testid="take-snapshot"
        onClick={() => void act(() => takeSnapshot(roomId, token), 'Snapshot taken.')}
      >
        Take a snapshot now
      </button>
      {snapshots === null ? (
        <p>Loading…</p>
      ) : snapshots.length === 0 ? (
        <p className="muted">No snapshots yet: the server takes one every few minutes while the room changes.</p>
      ) : (
        <ul className="snapshot-list" data-testid="snapshot-list">
          {snapshots.map((s) => (
            <li key={s.id}>
              {new Date(s.createdAt).toLocaleString()} <span className="muted">({REASON[s.reason] ?? s.reason})</span>{' '}
              <button disabled={busy} data-testid={`restore-${s.id}`} onClick={() => restore(s)}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
