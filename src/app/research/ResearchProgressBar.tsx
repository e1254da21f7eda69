/** A research job's progress: what it is doing, how far it is, the time left, and Stop. */
import { timeLeft } from '../layout/time-left';
import type { ResearchProgress } from './useResearch';

function amount(w: ResearchProgress): string {
  // Counts of images read best whole; networks and layers go by fractions.
  if (w.total >= 100) return `${Math.floor(w.done).toLocaleString('en')} of ${w.total.toLocaleString('en')}`;
  return `${Math.round((100 * w.done) / Math.max(1e-9, w.total))}%`;
}

export function ResearchProgressBar({
  work,
  message,
  onStop,
}: {
  work?: ResearchProgress;
  message: string;
  onStop: () => void;
}) {
  const left = work ? timeLeft(work.since, work.done, work.total) : '';
  const label = work ? `${work.what}: ${amount(work)}${left ? ` · ${left}` : ''}` : message || 'Starting…';
  return (
    <div className="progress-row research-progress">
      <div
        className={`progress ${work ? '' : 'progress-busy'}`}
        data-testid="research-progress"
        role="progressbar"
        aria-label={work ? work.what : message || 'Starting'}
        aria-valuemin={0}
        aria-valuemax={work?.total}
        aria-valuenow={work?.done}
        aria-valuetext={label}
      >
        <div
          className="bar"
          data-testid="research-progress-bar"
          style={work ? { width: `${(100 * work.done) / Math.max(1e-9, work.total)}%` } : undefined}
        />
        <span>{label}</span>
      </div>
      <button onClick={onStop} data-testid="research-progress-stop" title="Stop this job">
        Stop
      </button>
    </div>
  );
}
