/** The metrics line and the progress bar with an estimate of the time left. */
import type { TrainerState } from './useTrainer';
import { duration, timeLeft } from '../layout/time-left';
import { WorkBar } from '../layout/WorkBar';

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

export function Readout({ state }: { state: TrainerState }) {
  const m = state.last;
  const ds = state.dataset;
  const test = state.epochs.at(-1)?.testAcc;
  return (
    <div className="metrics" data-testid="metrics">
      <span>
        epoch <b data-testid="metric-epoch">{m ? m.epoch : '—'}</b>
        {ds ? `/${ds.epochs}` : ''}
      </span>
      <span>
        step <b data-testid="metric-step">{m ? m.step : '—'}</b>
        {m ? `/${m.stepsPerEpoch}` : ''}
      </span>
      <span>
        loss <b data-testid="metric-loss">{m ? m.loss.toPrecision(4) : '—'}</b>
      </span>
      <span>
        train acc <b data-testid="metric-train-acc">{pct(m?.trainAcc)}</b>
      </span>
      <span>
        test acc <b data-testid="metric-test-acc">{pct(test)}</b>
      </span>
      <span>
        <b data-testid="metric-speed">{m ? Math.round(m.samplesPerSec) : '—'}</b> samples/s
      </span>
    </div>
  );
}

const WAITS = new Set(['starting', 'loading-data', 'compiling', 'precomputing']);

export function Progress({ state, onCancel }: { state: TrainerState; onCancel?: () => void }) {
  const ds = state.dataset;
  const m = state.last;
  const w = state.work;
  if (!m && WAITS.has(state.phase)) {
    // Before the first step: what the run is doing, how far, and a way out.
    const counted = (state.phase === 'precomputing' || state.phase === 'loading-data') && w;
    return (
      <WorkBar
        work={counted ? { ...w, unit: w.unit ?? 'images' } : undefined}
        message={state.message}
        onStop={onCancel}
        testId="progress"
        stop={{ label: 'Cancel', title: 'Stop this run', testId: 'progress-cancel' }}
      />
    );
  }
  if (!ds || !m) return <div className="progress idle" data-testid="progress" />;
  const total = ds.stepsPerEpoch * ds.epochs;
  const done = Math.min(total, m.globalStep);
  const since = state.trainingSince;
  const finished = state.phase === 'done';
  let left = '';
  if (!finished && since && done > since.step) {
    const perStep = (performance.now() - since.time) / 1000 / (done - since.step);
    left = `about ${duration(perStep * (total - done))} left`;
  }
  const steps = (
    <div className="progress" data-testid="progress" title={`${done} of ${total} steps`}>
      <div className="bar" style={{ width: `${(100 * done) / Math.max(1, total)}%` }} />
      <span>
        {done}/{total} steps {left && `· ${left}`}
      </span>
    </div>
  );
  // Training started on the first images while the front end is still being computed: show both.
  if (!w || w.done >= w.total || finished) return steps;
  const wLeft = timeLeft(w.since, w.done, w.total);
  return (
    <>
      <div
        className="progress progress-work"
        data-testid="progress-work"
        role="progressbar"
        aria-label={w.what}
        aria-valuemin={0}
        aria-valuemax={w.total}
        aria-valuenow={w.done}
      >
        <div className="bar" style={{ width: `${(100 * w.done) / Math.max(1, w.total)}%` }} />
        <span>{`${w.what}: ${w.done.toLocaleString('en')} of ${w.total.toLocaleString('en')} images${wLeft ? ` · ${wLeft}` : ''}`}</span>
      </div>
      {steps}
    </>
  );
}
