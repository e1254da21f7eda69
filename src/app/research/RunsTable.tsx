/**
 * The kept runs side by side: trainable and fixed parameters, accuracy, time per
 * epoch, backend. Each run saves as a run-record file and can put its exact graph
 * back on the canvas.
 */
import { compareTable } from '../../research/compare';
import { saveRunRecords, type RunRecord } from '../../research/run-record';
import { download, stem } from './export';
import { PALETTE } from './LinePlot';
import type { KeptRun } from './useResearch';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
const num = (x: number) => x.toLocaleString('en-US');

export function RunsTable({
  runs,
  onRestore,
  onRemove,
  busy,
}: {
  runs: KeptRun[];
  onRestore(r: RunRecord): void;
  onRemove(runId: string): void;
  busy: boolean;
}) {
  if (!runs.length) return <p className="muted">No runs yet: pick a variant and press Run A/B, or open a run file.</p>;
  return (
    <table className="research-table" data-testid="ab-table">
      <thead>
        <tr>
          <th>run</th>
          <th>trainable</th>
          <th>fixed</th>
          <th>train acc</th>
          <th>test acc</th>
          <th>s / epoch</th>
          <th>backend</th>
          <th>seed · data</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {runs.map((r, i) => {
          const row = r.record ? compareTable([r.record])[0] : undefined;
          return (
            <tr key={r.runId} data-testid={`ab-row-${i}`}>
              <td>
                <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} /> {r.label}
                {!r.record && <span className="muted"> (training, step {r.steps.at(-1)?.step ?? 0})</span>}
                {r.record && r.record.metrics.status !== 'completed' && (
                  <span className="muted"> ({r.record.metrics.status})</span>
                )}
                {r.record && !r.trained && (
                  <span className="muted" title="Opened from a file: the record only, no weights">
                    {' '}
                    (file)
                  </span>
                )}
              </td>
              <td>{row ? num(row.trainable) : ''}</td>
              <td>{row ? num(row.fixed) : ''}</td>
              <td>{row ? pct(row.trainAcc) : ''}</td>
              <td data-testid={`ab-test-acc-${i}`}>{row ? pct(row.testAcc) : ''}</td>
              <td>
                {row && Number.isFinite(row.secondsPerEpoch) ? row.secondsPerEpoch.toFixed(2) : ''}
                {row?.frozenSeconds !== undefined ? (
                  <span className="muted"> (+{row.frozenSeconds.toFixed(1)} fixed)</span>
                ) : null}
              </td>
              <td>{row?.backend ?? ''}</td>
              <td className="muted">
                {r.record
                  ? `${r.record.settings.seed} · ${r.record.data.spec} ${r.record.data.train}/${r.record.data.test}`
                  : ''}
              </td>
              <td className="row-actions">
                {r.record && (
                  <>
                    <button
                      onClick={() => download(`${stem(r.label)}.run.json`, saveRunRecords(r.record!))}
                      title="Save this run as a run-record file"
                      data-testid={`ab-save-${i}`}
                    >
                      save
                    </button>
                    <button
                      onClick={() => onRestore(r.record!)}
                      title="Put this run's graph on the canvas"
                      data-testid={`ab-restore-${i}`}
                    >
                      to canvas
                    </button>
                  </>
                )}
                <button onClick={() => onRemove(r.runId)} disabled={busy && !r.record} title="Forget this run">
                  ×
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
