/** The two controls of a view that replays a run's snapshots: which run, and which snapshot of it. */
import type { KeptRun } from './useResearch';

export function RunChoice({
  runs,
  value,
  onChange,
  testId,
}: {
  runs: KeptRun[];
  value: string;
  onChange(runId: string): void;
  testId: string;
}) {
  return (
    <label>
      run
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {runs.map((r) => (
          <option key={r.runId} value={r.runId}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Scrubber({
  steps,
  at,
  onChange,
  testId,
}: {
  /** The step of each snapshot, in order. */
  steps: number[];
  at: number;
  onChange(index: number): void;
  testId: string;
}) {
  return (
    <label className="scrubber">
      step {steps[at] ?? 0} ({at + 1} of {steps.length})
      <input
        type="range"
        min={0}
        max={Math.max(0, steps.length - 1)}
        value={at}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label="snapshot"
        data-testid={testId}
      />
    </label>
  );
}
