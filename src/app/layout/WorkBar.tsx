/**
 * A long job's progress bar (a research job, a synthesis): what it is doing, how far it
 * is, the time left at its pace, and Stop. Without a count it is a busy bar with a message.
 */
import { timeLeft } from './time-left';

export interface Work {
  what: string;
  done: number;
  total: number;
  /** Where the pace is measured from. */
  since: { time: number; done: number };
}

function amount(w: Work): string {
  // Counts of images read best whole; networks and layers go by fractions.
  if (w.total >= 100) return `${Math.floor(w.done).toLocaleString('en')} of ${w.total.toLocaleString('en')}`;
  return `${Math.round((100 * w.done) / Math.max(1e-9, w.total))}%`;
}

export function WorkBar({
  work,
  message,
  onStop,
  testId,
}: {
  work?: Work;
  message: string;
  onStop: () => void;
  /** research-progress gives research-progress, -bar and -stop. */
  testId: string;
}) {
  const left = work ? timeLeft(work.since, work.done, work.total) : '';
  const label = work ? `${work.what}: ${amount(work)}${left ? ` · ${left}` : ''}` : message || 'Starting…';
  return (
    <div className="progress-row work-bar">
      <div
        className={`progress ${work ? '' : 'progress-busy'}`}
        data-testid={testId}
        role="progressbar"
        aria-label={work ? work.what : message || 'Starting'}
        aria-valuemin={0}
        aria-valuemax={work?.total}
        aria-valuenow={work?.done}
        aria-valuetext={label}
      >
        <div
          className="bar"
          data-testid={`${testId}-bar`}
          style={work ? { width: `${(100 * work.done) / Math.max(1e-9, work.total)}%` } : undefined}
        />
        <span>{label}</span>
      </div>
      <button onClick={onStop} data-testid={`${testId}-stop`} title="Stop this job">
        Stop
      </button>
    </div>
  );
}
