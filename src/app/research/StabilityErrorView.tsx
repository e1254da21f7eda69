/**
 * Test error against relative stability (Petrini, Favero, Geiger & Wyart 2021): the
 * current graph and the templates that take the same images, trained with the shared
 * settings and probed with the same deformations and noise; error against R_f in
 * log-log with the fitted slope, and D_f of each network against the temperature T.
 */
import { useMemo, useState } from 'react';
import { analyze } from '../../../compiler';
import { inputShape } from '../../research/compare';
import { lineAt } from '../../research/loglog';
import { defaultTemperature } from '../../research/probe';
import { templates } from '../files/templates';
import type { ViewProps } from './context';
import { download, toJson } from './export';
import { LinePlot, PALETTE, type XY } from './LinePlot';

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '—');
const CURRENT = '@current';

export function StabilityErrorView({ doc, research, resolve, busy }: ViewProps) {
  const shape = useMemo(() => inputShape(doc)?.join(), [doc]);
  // Templates that read the same images and can be trained (not statistics models).
  const candidates = useMemo(
    () => templates.filter((t) => inputShape(t.doc)?.join() === shape && !analyze(t.doc).validation.momentsNode),
    [shape],
  );
  const [off, setOff] = useState<Set<string>>(new Set());
  const [T, setT] = useState(() => defaultTemperature(28, 3).toPrecision(2));
  const [c, setC] = useState('3');
  const [samples, setSamples] = useState('128');
  const [problem, setProblem] = useState<string | null>(null);
  const result = research.state.stabilityError;
  const toggle = (name: string) =>
    setOff((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const graphs = [
      ...(off.has(CURRENT) ? [] : [{ doc, label: `${doc.name ?? 'this graph'} (open)` }]),
      ...candidates.filter((t) => !off.has(t.name)).map((t) => ({ doc: t.doc, label: t.title })),
    ];
    const t = Number(T);
    const cNum = Number(c);
    const n = Number(samples);
    if (graphs.length < 2) return setProblem('Choose at least two graphs: one point does not make a slope.');
    if (!(t > 0)) return setProblem(`The temperature T must be a positive number, not "${T}".`);
    if (!(cNum >= 1)) return setProblem(`The cut-off c must be a number of at least 1, not "${c}".`);
    if (!(Number.isInteger(n) && n >= 2)) return setProblem(`Probe at least 2 test images, not "${samples}".`);
    setProblem(null);
    research.send({
      type: 'research-stability-error',
      dataset: s.dataset,
      backend: s.backend,
      settings: s.settings,
      graphs,
      T: t,
      c: cNum,
      samples: n,
    });
  };

  const points = useMemo(() => result?.report?.points ?? result?.progress ?? [], [result?.report, result?.progress]);
  const charts = useMemo(() => {
    if (!points.length) return undefined;
    const scatter: XY[] = points.map((p, i) => ({
      label: p.label,
      x: [p.R],
      y: [p.testError],
      points: true,
      line: false,
      color: PALETTE[i % PALETTE.length],
    }));
    const fit = result?.report?.fit;
    if (fit) {
      const rs = points.map((p) => p.R).filter((r) => r > 0);
      const x = [Math.min(...rs), Math.max(...rs)];
      scatter.push({
        label: `fit, slope ${fit.slope.toFixed(2)}`,
        x,
        y: x.map((r) => lineAt(fit, r)),
        dash: [4, 4],
        color: '#b0b8c8',
      });
    }
    const curves: XY[] = points.map((p, i) => ({
      label: `${p.label}${p.curveSlope ? ` (slope ${p.curveSlope.slope.toFixed(2)})` : ''}`,
      x: p.curve.T,
      y: p.curve.D,
      points: true,
      color: PALETTE[i % PALETTE.length],
    }));
    return { scatter, curves };
  }, [points, result?.report]);

  const fit = result?.report?.fit;
  return (
    <div className="research-view" data-testid="stability-error-view">
      <div className="train-bar">
        <div className="train-settings">
          <fieldset className="graph-choice" disabled={busy} data-testid="stability-error-graphs">
            <legend>graphs (same input as this one)</legend>
            <label>
              <input type="checkbox" checked={!off.has(CURRENT)} onChange={() => toggle(CURRENT)} />
              this graph
            </label>
            {candidates.map((t) => (
              <label key={t.name} title={t.summary}>
                <input type="checkbox" checked={!off.has(t.name)} onChange={() => toggle(t.name)} />
                {t.title}
              </label>
            ))}
          </fieldset>
          <label title="Deformation temperature of the R_f compared across networks">
            T
            <input
              value={T}
              onChange={(e) => setT(e.target.value)}
              disabled={busy}
              size={7}
              data-testid="stability-error-T"
            />
          </label>
          <label title="Cut-off: the highest spatial frequency of the displacement field">
            c
            <input value={c} onChange={(e) => setC(e.target.value)} disabled={busy} size={3} />
          </label>
          <label title="Test images probed per network">
            images
            <input
              value={samples}
              onChange={(e) => setSamples(e.target.value)}
              disabled={busy}
              size={4}
              data-testid="stability-error-samples"
            />
          </label>
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy} data-testid="stability-error-button">
            Train and probe
          </button>
        </div>
      </div>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {points.length > 0 && (
        <table className="research-table" data-testid="stability-error-table">
          <thead>
            <tr>
              <th>network</th>
              <th>trainable</th>
              <th>test error</th>
              <th>R_f</th>
              <th>D_f</th>
              <th>G_f</th>
              <th>D_f ~ T^</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <td>{p.label}</td>
                <td>{p.trainable.toLocaleString('en-US')}</td>
                <td>{(100 * p.testError).toFixed(1)}%</td>
                <td>{fmt(p.R)}</td>
                <td>{fmt(p.D)}</td>
                <td>{fmt(p.G)}</td>
                <td>{p.curveSlope ? p.curveSlope.slope.toFixed(2) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result?.report && (
        <p className="muted" data-testid="stability-error-summary">
          {fit
            ? `Fitted slope of log(test error) against log(R_f): ${fit.slope.toFixed(2)} ± ${fmt(fit.slopeStdErr)} over ${fit.n} networks (r² = ${fit.r2.toFixed(2)}); ${fit.slope > 0 ? 'positive: networks more stable to deformations than to noise err less' : 'not positive here'}.`
            : 'Too few networks with a positive error to fit a slope.'}
        </p>
      )}
      {charts && (
        <div className="gallery-row">
          <LinePlot
            title="test error against R_f"
            testId="stability-error-chart"
            xLabel="R_f"
            series={charts.scatter}
            logX
            logY
          />
          <LinePlot
            title="D_f of the output against T"
            testId="stability-error-curves"
            xLabel="T"
            series={charts.curves}
            logX
            logY
          />
        </div>
      )}
      {result?.report && (
        <button onClick={() => download('stability-vs-error.json', toJson(result.report))}>save comparison JSON</button>
      )}
    </div>
  );
}
