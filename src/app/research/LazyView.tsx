/**
 * Feature against lazy training (Geiger, Spigler, Jacot & Wyart 2020): the graph trained
 * at several output scales alpha with the shared settings; the relative weight change
 * against alpha in log-log (slope -1 in the lazy regime) and the test error against
 * alpha, with the tangent-kernel limit as the alpha -> infinity reference.
 */
import { useMemo, useState } from 'react';
import { parseAlphas } from '../../research/lazy-sweep';
import { lineAt } from '../../research/loglog';
import type { ViewProps } from './context';
import { download, stem, toJson } from './export';
import { LinePlot, type XY } from './LinePlot';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');

export function LazyView({ doc, research, resolve, busy }: ViewProps) {
  const [alphas, setAlphas] = useState('0.01..1000:6');
  const [kernel, setKernel] = useState(false);
  const [kernelImages, setKernelImages] = useState('100');
  const [problem, setProblem] = useState<string | null>(null);
  const lazy = research.state.lazy;

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const a = parseAlphas(alphas);
    if (!a.ok) return setProblem(a.message);
    const bad = a.values.find((v) => !(v > 0));
    if (bad !== undefined)
      return setProblem(`Every alpha must be positive (alpha = ${bad} would erase or flip the output).`);
    const k = Number(kernelImages);
    if (kernel && !(Number.isInteger(k) && k >= 2))
      return setProblem(`The tangent kernel needs a whole number of images (2 or more), not "${kernelImages}".`);
    setProblem(null);
    research.send({
      type: 'research-lazy',
      dataset: s.dataset,
      backend: s.backend,
      settings: s.settings,
      doc,
      alphas: a.values,
      ...(kernel ? { tangentKernel: { train: k, test: k } } : {}),
    });
  };

  const points = useMemo(() => lazy?.report?.points ?? lazy?.progress ?? [], [lazy?.report, lazy?.progress]);
  const charts = useMemo(() => {
    if (!points.length) return undefined;
    const x = points.map((p) => p.alpha);
    const moved: XY[] = [{ label: '||w - w0|| / ||w0||', x, y: points.map((p) => p.weightChange), points: true }];
    const fit = lazy?.report?.lazySlope;
    if (fit)
      moved.push({
        label: `lazy fit, slope ${fit.slope.toFixed(2)}`,
        x,
        y: x.map((a) => lineAt(fit, a)),
        dash: [4, 4],
      });
    const errors: XY[] = [
      { label: 'test error', x, y: points.map((p) => p.testError), points: true },
      { label: 'train error', x, y: points.map((p) => p.trainError), points: true },
    ];
    const k = lazy?.tangentKernel;
    if (k) errors.push({ label: 'tangent-kernel limit', x, y: x.map(() => k.testError), dash: [6, 3] });
    return { moved, errors };
  }, [points, lazy?.report, lazy?.tangentKernel]);

  const r = lazy?.report;
  return (
    <div className="research-view" data-testid="lazy-view">
      <div className="train-bar">
        <div className="train-settings">
          <label title="A list (0.01,1,100) or a log-spaced range start..end:count">
            alphas
            <input
              value={alphas}
              onChange={(e) => setAlphas(e.target.value)}
              disabled={busy}
              size={12}
              data-testid="lazy-alphas"
            />
          </label>
          <label title="Kernel regression with the tangent kernel at initialization (small networks only)">
            <input
              type="checkbox"
              checked={kernel}
              onChange={(e) => setKernel(e.target.checked)}
              disabled={busy}
              data-testid="lazy-kernel"
            />
            tangent-kernel limit on
            <input
              value={kernelImages}
              onChange={(e) => setKernelImages(e.target.value)}
              disabled={busy || !kernel}
              size={4}
            />
            images
          </label>
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy} data-testid="lazy-button">
            Sweep alpha
          </button>
        </div>
      </div>
      <p className="muted small">
        Output alpha (f_w − f_w0), loss divided by alpha²; the shared settings&apos; epochs are the budget of each
        alpha. Large alpha: lazy training, weights move as 1/alpha. Small alpha: feature training.
      </p>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {points.length > 0 && (
        <table className="research-table" data-testid="lazy-table">
          <thead>
            <tr>
              <th>alpha</th>
              <th>test error</th>
              <th>train error</th>
              <th>||w − w0|| / ||w0||</th>
              <th>steps</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.alpha}>
                <td>{p.alpha}</td>
                <td>{pct(p.testError)}</td>
                <td>{pct(p.trainError)}</td>
                <td title={p.diverged}>{p.diverged ? 'diverged' : p.weightChange.toExponential(2)}</td>
                <td>{p.steps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r && (
        <p className="muted" data-testid="lazy-summary">
          {r.lazySlope
            ? `Weight change ~ alpha^${r.lazySlope.slope.toFixed(2)} at the largest alphas (lazy: −1). `
            : ''}
          {r.crossover !== null
            ? `Crossover at alpha* ≈ ${r.crossover.toPrecision(3)}: feature training below, lazy above.`
            : 'No crossover in this range: widen it.'}
          {lazy?.tangentKernel &&
            ` Tangent-kernel limit on ${lazy.tangentKernel.train} images: test error ${pct(lazy.tangentKernel.testError)}.`}
        </p>
      )}
      {charts && (
        <div className="gallery-row">
          <LinePlot
            title="relative weight change against alpha"
            testId="lazy-weights-chart"
            xLabel="alpha"
            series={charts.moved}
            logX
            logY
          />
          <LinePlot
            title="error against alpha"
            testId="lazy-error-chart"
            xLabel="alpha"
            series={charts.errors}
            logX
            yRange={[0, 1]}
          />
        </div>
      )}
      {r && (
        <button
          onClick={() =>
            download(`lazy-${stem(doc.name ?? 'graph')}.json`, toJson({ ...r, tangentKernel: lazy?.tangentKernel }))
          }
        >
          save sweep JSON
        </button>
      )}
    </div>
  );
}
