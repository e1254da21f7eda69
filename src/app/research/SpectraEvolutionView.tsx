/**
 * Spectra through training: for a run of the A/B view, a scrubber over the snapshots
 * taken while it trained, drawing one learned layer's weight-covariance eigenvalues at
 * that step against the white-noise (Marchenko-Pastur) law, and beside it the effective
 * rank and the eigenvalues above the noise band over the whole run.
 */
import { useMemo, useState } from 'react';
import type { ViewProps } from './context';
import { RunChoice, Scrubber } from './RunScrubber';
import { download, stem, toJson } from './export';
import { LinePlot, type XY } from './LinePlot';

export function SpectraEvolutionView({ research }: ViewProps) {
  const runs = research.state.runs.filter((r) => r.spectra && r.spectra.layers.length && r.spectra.snapshots.length);
  const [runId, setRunId] = useState('');
  const run = runs.find((r) => r.runId === runId) ?? runs.at(-1);
  const [node, setNode] = useState('');
  const evo = run?.spectra;
  const layer = evo?.layers.find((l) => l.node === node) ?? evo?.layers[0];
  const [index, setIndex] = useState<number | null>(null);
  const snaps = useMemo(() => [...(evo?.snapshots ?? [])].sort((a, b) => a.step - b.step), [evo]);
  const at = Math.min(index ?? snaps.length - 1, snaps.length - 1);
  const snap = snaps[at]?.layers.find((l) => l.node === layer?.node);
  const first = snaps[0]?.layers.find((l) => l.node === layer?.node);

  const spectrum = useMemo((): { series: XY[]; zeros: number } | undefined => {
    if (!snap) return undefined;
    // Zero eigenvalues (D > N) have no place on a log axis: they are counted under the chart.
    const keep = Array.from(snap.eigenvalues.keys()).filter((i) => snap.eigenvalues[i] > 0);
    const rank = keep.map((i) => i + 1);
    const series: XY[] = [
      { label: `step ${snaps[at].step}`, x: rank, y: keep.map((i) => snap.eigenvalues[i]) },
      {
        label: 'white noise (same shape)',
        x: rank,
        y: keep.map((i) => (snap.whiteNoise[i] > 0 ? snap.whiteNoise[i] : null)),
        dash: [4, 3],
        color: '#8a93a6',
      },
    ];
    if (first && at > 0)
      series.push({
        label: `step ${snaps[0].step}`,
        x: rank,
        y: keep.map((i) => (first.eigenvalues[i] > 0 ? first.eigenvalues[i] : null)),
        color: '#5aa9ff',
      });
    return { series, zeros: snap.eigenvalues.length - keep.length };
  }, [snap, first, snaps, at]);

  const trace = useMemo((): { rank: XY[]; outliers: XY[] } | undefined => {
    if (!layer) return undefined;
    const rows = snaps.map((s) => ({ step: s.step, l: s.layers.find((x) => x.node === layer.node) }));
    const steps = rows.map((r) => r.step);
    return {
      rank: [
        { label: 'entropy', x: steps, y: rows.map((r) => r.l?.effectiveRank.entropy ?? null), points: true },
        {
          label: 'participation',
          x: steps,
          y: rows.map((r) => r.l?.effectiveRank.participation ?? null),
          points: true,
        },
      ],
      outliers: [
        { label: 'above the band', x: steps, y: rows.map((r) => r.l?.outliers ?? null), points: true },
        { label: 'KS to the law', x: steps, y: rows.map((r) => r.l?.ks ?? null), points: true, color: '#c49bff' },
      ],
    };
  }, [layer, snaps]);

  if (!run || !evo || !layer)
    return (
      <p className="muted" data-testid="spectra-evolution-view">
        Spectra through training appear after an A/B run of a graph with learned Dense, Conv2D or RandomFeature layers
        (try the learned-scattering or mlp template): every snapshot holds each layer&apos;s weight-covariance
        eigenvalues.
      </p>
    );

  return (
    <div className="research-view" data-testid="spectra-evolution-view">
      <div className="train-settings">
        <RunChoice
          runs={runs}
          value={run.runId}
          onChange={(id) => {
            setRunId(id);
            setIndex(null);
          }}
          testId="spevo-run"
        />
        <label>
          layer
          <select value={layer.node} onChange={(e) => setNode(e.target.value)} data-testid="spevo-layer">
            {evo.layers.map((l) => (
              <option key={l.node} value={l.node}>
                {l.node} ({l.type}, N {l.neurons} × D {l.inputs})
              </option>
            ))}
          </select>
        </label>
        <Scrubber steps={snaps.map((x) => x.step)} at={at} onChange={setIndex} testId="spevo-scrubber" />
        <button
          onClick={() =>
            download(
              `spectra-${stem(run.label)}-${layer.node}.json`,
              toJson({
                layer,
                snapshots: snaps.map((s) => ({
                  step: s.step,
                  epoch: s.epoch,
                  layer: s.layers.find((x) => x.node === layer.node),
                })),
              }),
            )
          }
        >
          save JSON
        </button>
      </div>
      {snap && (
        <p className="muted" data-testid="spevo-caption">
          {layer.node} at step {snaps[at].step}: effective rank {snap.effectiveRank.entropy.toFixed(1)} (entropy),{' '}
          {snap.effectiveRank.participation.toFixed(1)} (participation) of {layer.inputs}; {snap.outliers} eigenvalues
          above the white-noise band [{snap.lo.toExponential(2)}, {snap.hi.toExponential(2)}]; KS distance to the law{' '}
          {snap.ks.toFixed(3)}. A Gaussian initialization sits on the dashed law; learning pulls a few directions out of
          the band and lowers the effective rank.
        </p>
      )}
      <div className="charts two">
        {spectrum && (
          <div>
            <LinePlot
              title={`eigenvalues of ${layer.node}'s weight covariance, largest first`}
              testId="spevo-spectrum"
              xLabel="rank"
              series={spectrum.series}
              logY
            />
            {spectrum.zeros > 0 && <p className="muted small">{spectrum.zeros} zero eigenvalues not drawn</p>}
          </div>
        )}
        {trace && (
          <div>
            <LinePlot title="effective rank over training" testId="spevo-rank" xLabel="step" series={trace.rank} />
            <LinePlot
              title="directions above the noise band, and KS distance"
              testId="spevo-outliers"
              xLabel="step"
              series={trace.outliers}
            />
          </div>
        )}
      </div>
    </div>
  );
}
