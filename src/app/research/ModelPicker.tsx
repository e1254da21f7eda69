/**
 * Which model an instrument reads: a trained run the worker kept, the current graph with
 * weights loaded in the app, or the current graph at initialization.
 */
import { useLoadedWeights } from '../export/loaded-weights';
import { LOADED_PICK } from './context';
import type { KeptRun } from './useResearch';

export function ModelPicker({
  runs,
  value,
  onChange,
  disabled,
  testId,
  graph,
}: {
  /** Name of the open graph: weights loaded for it are offered. */
  graph: string | undefined;
  runs: KeptRun[];
  value: string;
  onChange(v: string): void;
  disabled: boolean;
  testId: string;
}) {
  const trained = runs.filter((r) => r.trained);
  const loaded = useLoadedWeights(graph);
  const known = value === '' || (value === LOADED_PICK && !!loaded) || trained.some((r) => r.runId === value);
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
        {loaded && <option value={LOADED_PICK}>current graph with loaded weights ({loaded.source})</option>}
        {trained.map((r) => (
          <option key={r.runId} value={r.runId}>
            {r.label} (trained)
          </option>
        ))}
      </select>
    </label>
  );
}
