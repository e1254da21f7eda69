/**
 * A/B runs: the current graph and a variant trained with the same seed, data order
 * and hyper-parameters in the worker, overlaid with every run kept so far, a table
 * of the runs, and run-record files to save and re-open.
 */
import { useMemo, useRef, useState } from 'react';
import type { GraphDocument } from '../../../document/graph';
import { withParam } from '../../research/compare';
import { loadRunRecords, saveRunRecords, type RunRecord } from '../../research/run-record';
import type { ViewProps } from './context';
import { download } from './export';
import { LinePlot, PALETTE, type XY } from './LinePlot';
import { RunsTable } from './RunsTable';
import { tunables, VariantForm, variantValue, type Variant } from './VariantForm';

/** Filter snapshots every this many steps (rounded to the logging interval by the worker). */
const SNAPSHOT_EVERY = 5;

export function AbView({ doc, store, research, resolve, busy }: ViewProps) {
  const [variant, setVariant] = useState<Variant>({ node: '', param: '', value: '' });
  const [baseline, setBaseline] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const counter = useRef(0);
  const { runs } = research.state;

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const graphs: { doc: GraphDocument; label: string; runId: string }[] = [];
    const next = () => `run-${++counter.current}`;
    if (baseline || !variant.node)
      graphs.push({ doc, label: `#${counter.current + 1} ${doc.name ?? 'graph'}`, runId: next() });
    if (variant.node) {
      const t = tunables(doc).find((x) => x.node === variant.node && x.param === variant.param);
      if (!t) return setProblem(`The graph has no ${variant.node}.${variant.param} any more: pick the variant again.`);
      const v = variantValue(t, variant.value.trim());
      if (!v.ok) return setProblem(v.problem);
      graphs.push({
        doc: withParam(doc, variant.node, variant.param, v.value),
        label: `#${counter.current + 1} ${variant.node}.${variant.param}=${String(v.value)}`,
        runId: next(),
      });
    }
    setProblem(null);
    research.send(
      {
        type: 'research-ab',
        dataset: s.dataset,
        backend: s.backend,
        settings: s.settings,
        graphs,
        snapshotEvery: SNAPSHOT_EVERY,
      },
      graphs,
    );
  };

  const open = async (files: FileList | null) => {
    if (!files?.length) return;
    const all: RunRecord[] = [];
    for (const f of files) {
      const r = loadRunRecords(await f.text());
      if (r.diagnostics.length) return setProblem(`${f.name}: ${r.diagnostics.map((d) => d.message).join(' ')}`);
      all.push(...r.records);
    }
    setProblem(null);
    research.addRecords(all);
  };

  const restore = (r: RunRecord) => {
    const g = structuredClone(r.graph);
    store.transact((draft) => {
      draft.nodes = g.nodes;
      draft.edges = g.edges;
      draft.groups = g.groups;
      if (g.name !== undefined) draft.name = g.name;
      if (g.training !== undefined) draft.training = g.training;
    }, `open run "${r.label}"`);
  };

  const charts = useMemo(() => {
    const color = (i: number) => PALETTE[i % PALETTE.length];
    const loss: XY[] = runs.map((r, i) => ({
      label: r.label,
      x: r.steps.map((s) => s.step),
      y: r.steps.map((s) => s.loss),
      color: color(i),
    }));
    const trainAcc: XY[] = runs.map((r, i) => ({
      label: r.label,
      x: r.steps.map((s) => s.step),
      y: r.steps.map((s) => s.trainAcc),
      color: color(i),
    }));
    const testAcc: XY[] = runs.map((r, i) => ({
      label: r.label,
      x: r.epochs.map((e) => e.epoch),
      y: r.epochs.map((e) => e.testAcc),
      color: color(i),
      points: true,
    }));
    return { loss, trainAcc, testAcc };
  }, [runs]);
  const records = runs.flatMap((r) => (r.record ? [r.record] : []));

  return (
    <div className="research-view" data-testid="ab-view">
      <div className="train-bar">
        <VariantForm doc={doc} value={variant} onChange={setVariant} disabled={busy} />
        <label className="check">
          <input
            type="checkbox"
            checked={baseline}
            onChange={(e) => setBaseline(e.target.checked)}
            disabled={busy}
            data-testid="ab-baseline"
          />
          also train the graph as it is
        </label>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy} data-testid="ab-run-button">
            Run A/B
          </button>
          <label className="file-button" title="Open run-record files (or drop them on this panel)">
            open runs…
            <input
              type="file"
              accept=".json,application/json"
              multiple
              onChange={(e) => void open(e.target.files)}
              data-testid="ab-open"
            />
          </label>
          <button
            onClick={() => download('runs.run.json', saveRunRecords(records))}
            disabled={!records.length}
            data-testid="ab-save-all"
          >
            save all runs
          </button>
        </div>
      </div>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      <div
        className="drop-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void open(e.dataTransfer.files);
        }}
      >
        <RunsTable runs={runs} onRestore={restore} onRemove={research.removeRun} busy={busy} />
      </div>
      {runs.length > 0 && (
        <div className="charts">
          <LinePlot title="loss" testId="ab-chart-loss" xLabel="step" series={charts.loss} />
          <LinePlot
            title="train accuracy (running)"
            testId="ab-chart-train-acc"
            xLabel="step"
            series={charts.trainAcc}
            yRange={[0, 1]}
          />
          <LinePlot
            title="test accuracy"
            testId="ab-chart-test-acc"
            xLabel="epoch"
            series={charts.testAcc}
            yRange={[0, 1]}
          />
        </div>
      )}
    </div>
  );
}
