/**
 * Covariance spectra (docs/science.md, Rainbow networks): for each RandomFeature, Dense and Conv2D
 * layer, the eigenvalues of its weight covariance against the Marchenko-Pastur
 * quantiles of white noise of the same shape, with the effective rank; and the
 * resampling experiment on a trained run.
 */
import { useMemo, useState } from 'react';
import { sourceOf, type ViewProps } from './context';
import { download, toJson } from './export';
import { LinePlot, type XY } from './LinePlot';
import { ModelPicker } from './ModelPicker';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function SpectraView({ doc, research, resolve, busy }: ViewProps) {
  const [pick, setPick] = useState('');
  const [draws, setDraws] = useState('3');
  const [retrain, setRetrain] = useState(false);
  const [everyLayer, setEveryLayer] = useState(false);
  const [factor, setFactor] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const { spectra, resample } = research.state;

  const show = () => {
    const s = resolve();
    if (s.ok)
      research.send({
        type: 'research-spectra',
        dataset: s.dataset,
        backend: s.backend,
        source: sourceOf(pick, doc, s.settings.seed),
      });
  };
  const redraw = () => {
    const s = resolve();
    if (!s.ok) return;
    if (!pick)
      return setProblem(
        'Resampling redraws a trained network from its learned covariances: pick a trained run as the model (train one in A/B runs first).',
      );
    const k = Number(draws);
    if (!Number.isInteger(k) || k < 1 || k > 20)
      return setProblem(`Draws must be a whole number from 1 to 20, not "${draws}".`);
    const f = Number(factor);
    if (!(f > 0 && f <= 8))
      return setProblem(`The width factor must be a number above 0 and at most 8, not "${factor}".`);
    setProblem(null);
    research.send({
      type: 'research-resample',
      dataset: s.dataset,
      backend: s.backend,
      runId: pick,
      draws: k,
      retrainHead: retrain,
      everyLayer,
      widthFactor: f,
    });
  };

  const plots = useMemo(
    () =>
      spectra?.layers.map((l) => {
        const idx = Array.from(l.eigenvalues, (_, i) => i + 1);
        // Zero eigenvalues (a wide layer) cannot sit on a log axis; they are counted in the caption.
        const pos = (v: number) => (v > 0 ? v : null);
        const series: XY[] = [
          { label: 'eigenvalues', x: idx, y: Array.from(l.eigenvalues, pos) },
          {
            label: 'white noise (Marchenko-Pastur)',
            x: idx,
            y: Array.from(l.whiteNoise, pos),
            dash: [4, 3],
            color: '#8a93a6',
          },
        ];
        return { l, series, zeros: l.eigenvalues.filter((v) => v <= 0).length };
      }) ?? [],
    [spectra],
  );

  return (
    <div className="research-view" data-testid="spectra-view">
      <div className="train-bar">
        <div className="train-settings">
          <ModelPicker
            graph={doc.name}
            runs={research.state.runs}
            value={pick}
            onChange={setPick}
            disabled={busy}
            testId="spectra-model"
          />
          <label>
            draws
            <input
              value={draws}
              onChange={(e) => setDraws(e.target.value)}
              disabled={busy}
              size={3}
              data-testid="resample-draws"
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={retrain} onChange={(e) => setRetrain(e.target.checked)} disabled={busy} />
            retrain the classifier
          </label>
          <label
            className="check"
            title="Redraw convolutions too (covariance over input channels x kernel positions), each aligned to the redrawn layer before it"
          >
            <input
              type="checkbox"
              checked={everyLayer}
              onChange={(e) => setEveryLayer(e.target.checked)}
              disabled={busy}
              data-testid="resample-every-layer"
            />
            every layer
          </label>
          <label title="Width of each redrawn layer, as a multiple of its trained width">
            width ×
            <input
              value={factor}
              onChange={(e) => setFactor(e.target.value)}
              disabled={busy}
              size={3}
              data-testid="resample-width-factor"
            />
          </label>
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={show} disabled={busy} data-testid="spectra-button">
            Spectra
          </button>
          <button
            onClick={redraw}
            disabled={busy}
            data-testid="resample-button"
            title="Redraw RandomFeature and hidden Dense layers (every layer: convolutions too) from their learned covariance, align the next layer, and measure"
          >
            Resample
          </button>
        </div>
      </div>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {resample && (
        <div className="resample-result" data-testid="resample-result">
          <span>
            <b>Resampling {research.state.runs.find((r) => r.runId === resample.runId)?.label ?? resample.runId}</b>:
            trained {pct(resample.report.trained)}; redrawn from the covariances {pct(resample.report.reused.mean)} ±{' '}
            {pct(resample.report.reused.std)} (min {pct(resample.report.reused.min)}, max{' '}
            {pct(resample.report.reused.max)})
            {resample.report.retrained && (
              <>
                {' '}
                ; with a retrained classifier {pct(resample.report.retrained.mean)} ±{' '}
                {pct(resample.report.retrained.std)}
              </>
            )}
            <span className="muted">
              {' '}
              — layers {resample.report.layers.map((l) => `${l.node} (${l.width}→${l.newWidth})`).join(', ')},{' '}
              {resample.report.draws.length} draws.
            </span>
            {resample.report.notes?.map((n) => (
              <span key={n} className="muted" data-testid="resample-note">
                {' '}
                Note: {n}
              </span>
            ))}
          </span>
          <button onClick={() => download('resample.json', toJson(resample))}>JSON</button>
        </div>
      )}
      {spectra && (
        <>
          <p className="muted">
            {spectra.source}: eigenvalues of C = WᵀW / N (QᵀQ for RandomFeature), largest first, against white noise of
            the same shape and mean eigenvalue. Learning shows as a few eigenvalues far above the noise band and a lower
            effective rank.
          </p>
          <div className="charts" data-testid="spectra-result">
            {plots.map(({ l, series, zeros }) => (
              <div key={l.node}>
                <LinePlot
                  title={`${l.node} (${l.type}, N ${l.neurons} × D ${l.inputs})`}
                  testId={`spectrum-${l.node}`}
                  xLabel="rank"
                  series={series}
                  logY
                />
                <p className="muted small">
                  effective rank {l.effectiveRank.entropy.toFixed(1)} (entropy),{' '}
                  {l.effectiveRank.participation.toFixed(1)} (participation) of {l.inputs}; noise band [
                  {l.lo.toExponential(2)}, {l.hi.toExponential(2)}]
                  {zeros ? `; ${zeros} zero eigenvalues not drawn` : ''}
                </p>
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
