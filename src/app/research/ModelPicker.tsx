/** Which model an instrument reads: a trained run the worker kept, or the current graph at initialization. */
import type { KeptRun } from './useResearch';

export function ModelPicker({
  runs,
  value,
  onChange,
  disabled,
  testId,
}: {
  runs: KeptRun[];
  value: string;
  onChange(v: string): void;
  disabled: boolean;
  testId: string;
}) {
  const trained = runs.filter((r) => r.trained);
  const known = value === '' || trained.some((r) => r.runId === value);
  return (
    <label>
      model
      <select
        value={known ? value : ''}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        data-testid={testId}
      >
        <option value="">current graph (initialized)</option>
        {trained.map((r) => (
          <option key={r.runId} value={r.runId}>
            {r.label} (trained)
          </option>
        ))}
      </select>
    </label>
  );
}
