/**
 * A long job's progress bar (the wait before training, a research job, a synthesis):
 * what it is doing, how far it is, the time left at its pace, and a way out. Without a
 * count it is a busy bar with a message.
 */
import { timeLeft } from './time-left';

export interface Work {
  what: string;
  done: number;
  total: number;
  /** What is counted ("images", "MB"): the bar then says "done of total unit". */
  unit?: string;
  /** Where the pace is measured from. */
  since: { time: number; done: number };
}

function amount(w: Work): string {
  if (w.unit) return `${w.done.toLocaleString('en')} of ${w.total.toLocaleString('en')} ${w.unit}`;
  // Counts of images read best whole; networks and layers go by fractions.
  if (w.total >= 100) return `${Math.floor(w.done).toLocaleString('en')} of ${w.total.toLocaleString('en')}`;
  return `${Math.round((100 * w.done) / Math.max(1e-9, w.total))}%`;
}

export function WorkBar({
  work,
  message,
  onStop,
  testId,
  stop = { label: 'Stop', title: 'Stop this job', testId: `${testId}-stop` },
}: {
  work?: Work;
  message: string;
  /** Without it the bar has no button. */
  onStop?: () => void;
  /** research-progress gives research-progress, -bar and (by default) -stop. */
  testId: string;
  stop?: { label: string; title: string; testId: string };
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
      {onStop && (
        <button onClick={onStop} data-testid={stop.testId} title={stop.title}>
          {stop.label}
        </button>
      )}
    </div>
  );
}
