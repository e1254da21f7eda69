/**
 * Width sweep (docs/science.md, Width sweeps): one whole-number param over log-spaced values,
 * each network trained to zero training error or a step budget; train and test error
 * against the number of parameters, where the jamming threshold shows.
 */
import { useMemo, useState } from 'react';
import { getNodeDefinition } from '../../../nodes/registry';
import { parseSweepValues } from '../../research/sweep';
import type { ViewProps } from './context';
import { LinePlot, type XY } from './LinePlot';
import { tunables } from './VariantForm';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');

export function SweepView({ doc, research, resolve, busy }: ViewProps) {
  const ints = useMemo(() => tunables(doc).filter((t) => t.spec.kind === 'int'), [doc]);
  const [node, setNode] = useState('');
  const [param, setParam] = useState('');
  const [values, setValues] = useState('4..64:5');
  const [budget, setBudget] = useState('200');
  const [problem, setProblem] = useState<string | null>(null);
  const nodes = [...new Set(ints.map((t) => t.node))];
  // By default, the first node with a width: what a width sweep is for.
  const widthOf = (t: { type: string; param: string }) => getNodeDefinition(t.type)?.widthParam === t.param;
  const chosenNode = nodes.includes(node) ? node : (ints.find(widthOf)?.node ?? nodes[0] ?? '');
  const params = ints.filter((t) => t.node === chosenNode);
  const chosenParam = params.some((p) => p.param === param)
    ? param
    : ((params.find(widthOf) ?? params[0])?.param ?? '');
  const sweep = research.state.sweep;

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const v = parseSweepValues(values);
    if (!v.ok) return setProblem(v.message);
    const steps = Number(budget);
    if (!Number.isInteger(steps) || steps < 1)
      return setProblem(`The step budget must be a positive whole number, not "${budget}".`);
    setProblem(null);
    // The step budget and a fitted training set end each network, not the epoch count.
    research.send({
      type: 'research-sweep',
      dataset: s.dataset,
      backend: s.backend,
      settings: { ...s.settings, epochs: 1000 },
      doc,
      node: chosenNode,
      param: chosenParam,
      values: v.values,
      maxSteps: steps,
    });
  };

  const chart = useMemo((): XY[] | undefined => {
    const rows = sweep?.report?.rows;
    if (!rows?.length) return undefined;
    const x = rows.map((r) => r.trainable);
    return [
      { label: 'train error', x, y: rows.map((r) => r.trainError), points: true },
      { label: 'test error', x, y: rows.map((r) => r.testError), points: true },
    ];
  }, [sweep?.report]);

  return (
    <div className="research-view" data-testid="sweep-view">
      <div className="train-bar">
        <div className="train-settings">
          <label>
            node
            <select
              value={chosenNode}
              onChange={(e) => setNode(e.target.value)}
              disabled={busy}
              data-testid="sweep-node"
            >
              {nodes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            param
            <select
              value={chosenParam}
              onChange={(e) => setParam(e.target.value)}
              disabled={busy}
              data-testid="sweep-param"
            >
              {params.map((p) => (
                <option key={p.param} value={p.param}>
                  {p.param} (now {String(p.current)})
                </option>
              ))}
            </select>
          </label>
          <label title="A list (8,16,32) or a log-spaced range start..end:count">
            values
            <input
              value={values}
              onChange={(e) => setValues(e.target.value)}
              disabled={busy}
              size={10}
              data-testid="sweep-values"
            />
          </label>
          <label title="Most training steps per network; a network also stops once it fits the training set">
            step budget
            <input
              value={budget}
              onChange={(e) => setBudget(e.target.value)}
              disabled={busy}
              size={5}
              data-testid="sweep-budget"
            />
          </label>
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy || !chosenParam} data-testid="sweep-button">
            Sweep
          </button>
        </div>
      </div>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {sweep && sweep.progress.length > 0 && (
        <table className="research-table" data-testid="sweep-table">
          <thead>
            <tr>
              <th>{sweep.report?.param ?? chosenParam}</th>
              <th>trainable params</th>
              <th>train error</th>
              <th>test error</th>
              <th>steps</th>
            </tr>
          </thead>
          <tbody>
            {sweep.progress.map((p, i) => (
              <tr key={i}>
                <td>{p.value}</td>
                <td>
                  {sweep.report?.points.find((x) => x.value === p.value)?.params.trainable.toLocaleString('en-US') ??
                    ''}
                </td>
                <td>{pct(p.trainError)}</td>
                <td>{pct(p.testError)}</td>
                <td>{p.steps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sweep?.report && (
        <p className="muted">
          {sweep.report.threshold
            ? `Training error reaches ${pct(0)} from ${sweep.report.param} = ${sweep.report.threshold.value} (${sweep.report.threshold.trainable.toLocaleString('en-US')} parameters): the jamming threshold N* on this training set.`
            : 'No width fitted the training set within the budget: raise the step budget or the widths.'}
        </p>
      )}
      {chart && (
        <LinePlot
          title="error against number of parameters"
          testId="sweep-chart"
          xLabel="trainable parameters"
          series={chart}
          logX
          yRange={[0, 1]}
        />
      )}
    </div>
  );
}
