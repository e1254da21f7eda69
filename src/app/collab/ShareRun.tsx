/**
 * "Share run live": while on, this person's training metrics travel as presence
 * (field `run`, at most twice a second, the last RUN_POINTS steps), tagged with a hash
 * of the document that was trained. Others see the charts read-only.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { saveDocument } from '../../../document/graph';
import { RUN_POINTS, type Peer, type SharedRun } from '../../collab/presence';
import type { Series, TrainerState } from '../training/useTrainer';
import { Charts } from '../training/Charts';
import { useCollab, usePeers } from './context';
import { listen } from '../app-events';

export { RUN_POINTS };
const PUBLISH_MS = 500;

let sharing = false;
const listeners = new Set<() => void>();
export function setSharingRun(on: boolean): void {
  sharing = on;
  for (const l of listeners) l();
}
const useSharing = () =>
  useSyncExternalStore(
    (l) => (listeners.add(l), () => void listeners.delete(l)),
    () => sharing,
  );

/** FNV-1a, 32 bits: short, stable, enough to tell two versions of a graph apart. */
export function documentHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The last RUN_POINTS steps at 4 significant digits: presence is resent whole to everyone on each change. */
function tail(s: Series): Series {
  const from = Math.max(0, s.step.length - RUN_POINTS);
  const cut = <T extends number | null>(xs: T[]) =>
    xs.slice(from).map((v) => (v === null ? v : (Number(v.toPrecision(4)) as T)));
  return {
    step: s.step.slice(from),
    loss: cut(s.loss),
    trainAcc: cut(s.trainAcc),
    testAcc: cut(s.testAcc),
    samplesPerSec: cut(s.samplesPerSec),
  };
}

/** Publishes this person's run while sharing is on; mounted once per room. */
export function useShareRunPublisher(): void {
  const { room } = useCollab();
  const on = useSharing();
  const version = useRef<string | null>(null);
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!room || !on) {
      room?.presence.update({ run: null });
      return;
    }
    let latest: TrainerState | null = null;
    const publish = () => {
      pending.current = null;
      last.current = Date.now();
      if (!latest) return;
      const doc = room.store.getSnapshot();
      if (!version.current || latest.phase === 'starting') version.current = documentHash(saveDocument(doc));
      const run: SharedRun = {
        label: doc.name || 'Untitled',
        docVersion: version.current,
        phase: latest.phase,
        series: tail(latest.series),
      };
      room.presence.update({ run });
    };
    const onTraining = (state: TrainerState) => {
      latest = state;
      if (pending.current) return;
      pending.current = setTimeout(publish, Math.max(0, last.current + PUBLISH_MS - Date.now()));
    };
    const unlisten = listen('wavegraph:training', onTraining);
    return () => {
      unlisten();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [room, on]);
}

export function ShareRunToggle() {
  const on = useSharing();
  return (
    <label className="share-run">
      <input
        type="checkbox"
        checked={on}
        data-testid="share-run-toggle"
        onChange={(e) => setSharingRun(e.target.checked)}
      />{' '}
      Share my training run live with the room
    </label>
  );
}

// Peers come checked against the presence schema (collab/presence.ts): `run` is well-formed or absent.
const runOf = (p: Peer): SharedRun | null => p.run ?? null;

/** Others' shared runs: a button in the header, charts in a floating panel. */
export function LiveRuns() {
  const peers = usePeers();
  const [open, setOpen] = useState(false);
  const runs = peers.flatMap((p) => (runOf(p) ? [{ peer: p, run: runOf(p)! }] : []));
  if (!runs.length) return null;
  return (
    <>
      <button
        onClick={() => setOpen(!open)}
        data-testid="live-runs-button"
        title="Training runs others share with the room"
      >
        ▶ {runs.length} live run{runs.length === 1 ? '' : 's'}
      </button>
      {open && (
        <div className="live-runs" data-testid="live-runs">
          {runs.map(({ peer, run }) => (
            <section key={peer.clientId} className="live-run">
              <h3 style={{ color: peer.user.color }}>
                {peer.user.name}: {run.label}{' '}
                <span className="muted">
                  · document {run.docVersion} · {run.phase}
                </span>
              </h3>
              <Charts
                series={run.series as Series}
                version={run.series.step.length ? run.series.step[run.series.step.length - 1] : 0}
              />
            </section>
          ))}
        </div>
      )}
    </>
  );
}
