/**
 * Jamming (docs/science.md, Jamming): a graph ending in one score and a Quadratic hinge
 * loss, swept over a width at several training-set sizes P, each network trained to a
 * true minimum; the phase diagram, the test error against N/P and the ensemble error.
 * A report saved by `wavegraph jamming --json` opens here too.
 */
import { useMemo, useRef, useState } from 'react';
import { getNodeDefinition } from '../../../nodes/registry';
import type { JammingReport } from '../../research/jamming';
import { parseSweepValues } from '../../research/sweep';
import type { ViewProps } from './context';
import { download, toJson } from './export';
import { jammingCharts, readJammingReport } from './jamming-charts';
import { LinePlot } from './LinePlot';
import { tunables } from './VariantForm';

const pct = (x: number | null | undefined) =>
  typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—';

const FIELDS = [
  ['sizes', 'P', 'Training-set sizes P: a list (50,100) or a range start..end:count', 8],
  ['widths', 'widths', 'Widths of the swept layer: a list or a log-spaced range start..end:count', 8],
  ['ensemble', 'networks', 'Networks per point; with two or more, the error of their averaged output', 2],
  ['lr', 'rate', "Adam's starting learning rate, halved whenever the loss stops falling", 5],
  ['steps', 'step budget', 'Most full-batch steps per network; it also stops once every constraint is satisfied', 5],
] as const;

type Field = (typeof FIELDS)[number][0];

export function JammingView({ doc, research, resolve, busy }: ViewProps) {
  const ints = useMemo(() => tunables(doc).filter((t) => t.spec.kind === 'int'), [doc]);
  const widthOf = (t: { type: string; param: string }) => getNodeDefinition(t.type)?.widthParam === t.param;
  const [node, setNode] = useState('');
  const [form, setForm] = useState<Record<Field, string>>({
    sizes: '50,100,200',
    widths: '2..64:6',
    ensemble: '3',
    lr: '0.01',
    steps: '2000',
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [opened, setOpened] = useState<JammingReport | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const nodes = [...new Set(ints.filter(widthOf).map((t) => t.node))];
  const chosen = nodes.includes(node) ? node : (nodes[0] ?? '');
  const param = ints.find((t) => t.node === chosen && widthOf(t))?.param ?? '';
  const live = research.state.jamming;
  const report = opened ?? live?.report;
  const charts = useMemo(() => (report ? jammingCharts(report) : undefined), [report]);

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const sizes = parseSweepValues(form.sizes);
    const widths = parseSweepValues(form.widths);
    for (const r of [sizes, widths]) if (!r.ok) return setProblem(r.message);
    const ensemble = Number(form.ensemble);
    const lr = Number(form.lr);
    const steps = Number(form.steps);
    if (!Number.isInteger(ensemble) || ensemble < 1 || ensemble > 16)
      return setProblem(`Networks per point must be a whole number from 1 to 16, not "${form.ensemble}".`);
    if (!(lr > 0)) return setProblem(`The learning rate must be a positive number, not "${form.lr}".`);
    if (!Number.isInteger(steps) || steps < 1)
      return setProblem(`The step budget must be a positive whole number, not "${form.steps}".`);
    setProblem(null);
    setOpened(null);
    research.send({
      type: 'research-jamming',
      dataset: s.dataset,
      backend: s.backend,
      settings: s.settings,
      doc,
      node: chosen,
      param,
      sizes: sizes.ok ? sizes.values : [],
      widths: widths.ok ? widths.values : [],
      ensemble,
      learningRate: lr,
      maxSteps: steps,
    });
  };

  const open = async (f: File | undefined) => {
    if (!f) return;
    const r = readJammingReport(await f.text());
    if (typeof r === 'string') return setProblem(`${f.name}: ${r}`);
    setProblem(null);
    setOpened(r);
  };

  return (
    <div className="research-view" data-testid="jamming-view">
      <div className="train-bar">
        <div className="train-settings">
          <label title="The layer whose width is swept">
            node
            <select value={chosen} onChange={(e) => setNode(e.target.value)} disabled={busy} data-testid="jamming-node">
              {nodes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {FIELDS.map(([key, label, title, size]) => (
            <label key={key} title={title}>
              {label}
              <input
                value={form[key]}
                onChange={(e) => setForm({ ...form, [key]: e.target.value })}
                disabled={busy}
                size={size}
                data-testid={`jamming-${key}`}
              />
            </label>
          ))}
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy || !param} data-testid="jamming-button">
            Sweep
          </button>
          <button
            onClick={() => file.current?.click()}
            disabled={busy}
            title="Open a report from wavegraph jamming --json"
          >
            Open report…
          </button>
          <input
            ref={file}
            type="file"
            accept=".json,application/json"
            hidden
            onChange={(e) => void open(e.target.files?.[0]).finally(() => (e.target.value = ''))}
            data-testid="jamming-open"
          />
          <button
            onClick={() => report && download('jamming-report.json', toJson(report))}
            disabled={!report}
            data-testid="jamming-save"
          >
            Save report
          </button>
        </div>
      </div>
      {!param && (
        <p className="muted">
          This graph has no layer with a width to sweep. Open the Jamming perceptron template (one score and a Quadratic
          hinge loss) to start.
        </p>
      )}
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {!opened && live && live.progress.length > 0 && (
        <table className="research-table" data-testid="jamming-table">
          <thead>
            <tr>
              <th>P</th>
              <th>{param || 'width'}</th>
              <th>N</th>
              <th>unsatisfied</th>
              <th>test error</th>
              <th>steps</th>
              <th>end</th>
            </tr>
          </thead>
          <tbody>
            {live.progress.map((p, i) => (
              <tr key={i}>
                <td>{p.P}</td>
                <td>{p.width}</td>
                <td>{p.N.toLocaleString('en-US')}</td>
                <td>{p.net.unsatisfied}</td>
                <td>{pct(p.net.testError)}</td>
                <td>{p.net.steps}</td>
                <td>{p.net.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report && (
        <p className="muted" data-testid="jamming-summary">
          {report.thresholds
            .map((t) =>
              t.nStar !== null
                ? `P = ${t.P}: N* = ${t.nStar.toLocaleString('en-US')}`
                : `P = ${t.P}: still jammed at the widest`,
            )
            .join('; ')}
          {report.fit
            ? `. Fit: N* = ${report.fit.slope.toFixed(2)}·P ${report.fit.intercept >= 0 ? '+' : '−'} ${Math.abs(report.fit.intercept).toFixed(0)}.`
            : '.'}
        </p>
      )}
      {charts && (
        <>
          <LinePlot
            title="jamming phase diagram: N* against P"
            testId="jamming-phase-chart"
            xLabel="training-set size P"
            series={charts.phase}
          />
          <LinePlot
            title="test error against N/P"
            testId="jamming-error-chart"
            xLabel="parameters per example N/P"
            series={charts.error}
            logX
          />
          {charts.ensemble.length > 0 && (
            <>
              <LinePlot
                title="ensemble: test error of the averaged output"
                testId="jamming-ensemble-chart"
                xLabel="trainable parameters N"
                series={charts.ensemble}
                logX
              />
              <LinePlot
                title="ensemble: spread of the outputs"
                testId="jamming-spread-chart"
                xLabel="trainable parameters N"
                series={charts.spread}
                logX
                logY
              />
            </>
          )}
        </>
      )}
    </div>
  );
}
