/**
 * The research instruments: A/B runs, filter evolution, covariance spectra and
 * resampling, the deformation stability probe, width sweeps and LISTA read-outs.
 * Every computation runs in a worker; this panel posts requests and draws results,
 * so the canvas stays responsive while an instrument works.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GraphDocument } from '../../../document/graph';
import { formatDiagnostic } from '../../../document/diagnostics';
import type { GraphStore } from '../../../document/store';
import { listServerDatasets, type ServerDataset } from '../../data/browser';
import { AbView } from './AbView';
import type { ViewProps } from './context';
import { EvolutionView } from './EvolutionView';
import { LazyView } from './LazyView';
import { ListaView } from './ListaView';
import { ProbeView } from './ProbeView';
import { DEFAULT_SETTINGS, resolveSettings, ResearchSettings } from './ResearchSettings';
import { SpectraView } from './SpectraView';
import { SpectraEvolutionView } from './SpectraEvolutionView';
import { GaussianityView } from './GaussianityView';
import { StabilityErrorView } from './StabilityErrorView';
import { SweepView } from './SweepView';
import { JammingView } from './JammingView';
import { useResearch } from './useResearch';
import { WorkBar } from '../layout/WorkBar';
import { useGraphDataset } from '../training/useGraphDataset';
import './research.css';

const VIEWS = [
  { id: 'ab', title: 'A/B runs', View: AbView },
  { id: 'filters', title: 'Filter evolution', View: EvolutionView },
  { id: 'spectra', title: 'Spectra', View: SpectraView },
  { id: 'spectra-evolution', title: 'Spectra in training', View: SpectraEvolutionView },
  { id: 'gaussianity', title: 'Gaussian weights?', View: GaussianityView },
  { id: 'probe', title: 'Stability probe', View: ProbeView },
  { id: 'sweep', title: 'Width sweep', View: SweepView },
  { id: 'lista', title: 'LISTA read-outs', View: ListaView },
  { id: 'jamming', title: 'Jamming', View: JammingView },
  { id: 'lazy', title: 'Lazy', View: LazyView },
  { id: 'stability-error', title: 'Stability vs error', View: StabilityErrorView },
] as const;

export function ResearchPanel({ doc, store }: { doc: GraphDocument; store: GraphStore }) {
  const research = useResearch();
  const { state } = research;
  const [settings, setSettings] = useState(DEFAULT_SETTINGS);
  const [view, setView] = useState<(typeof VIEWS)[number]['id']>('ab');
  const [problem, setProblem] = useState<string | null>(null);
  const [serverDatasets, setServerDatasets] = useState<ServerDataset[]>([]);
  const [listed, setListed] = useState(false);
  const busy = !!state.busy;
  const { userPicked } = useGraphDataset(doc, serverDatasets, listed, (value) =>
    setSettings((s) => (s.dataset === value ? s : { ...s, dataset: value })),
  );

  useEffect(() => {
    let live = true;
    void listServerDatasets().then((list) => {
      if (!live) return;
      setServerDatasets(list);
      setListed(true);
    });
    return () => {
      live = false;
    };
  }, []);

  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const resolve = useCallback(() => {
    const r = resolveSettings(settingsRef.current);
    setProblem(r.ok ? null : r.problem);
    return r;
  }, []);

  const props: ViewProps = { doc, store, research, resolve, busy };
  return (
    <div className="research-panel" data-testid="research-panel">
      <div className="train-bar">
        <ResearchSettings
          value={settings}
          onChange={(next) => {
            if (next.dataset !== settings.dataset) userPicked();
            setSettings(next);
          }}
          serverDatasets={serverDatasets}
          disabled={busy}
        />
        <div className="train-buttons">
          <button onClick={research.stop} disabled={!busy} data-testid="research-stop">
            Stop
          </button>
        </div>
      </div>
      {busy && <WorkBar work={state.work} message={state.message} onStop={research.stop} testId="research-progress" />}
      <div className="train-status">
        <span
          className={`train-message ${state.diagnostics.some((d) => d.severity === 'error') ? 'bad' : ''}`}
          data-testid="research-status"
          data-finished={state.finished}
        >
          {busy ? '⏳ ' : ''}
          {state.message}
        </span>
      </div>
      {(problem || state.diagnostics.length > 0) && (
        <ul className="train-problems" data-testid="research-diagnostics" role="alert">
          {problem && <li>{problem}</li>}
          {state.diagnostics.map((d, i) => (
            <li key={i} className={d.severity}>
              {formatDiagnostic(d).replace(/^(error|warning|info) \[[a-z-]+\] /, '')}
            </li>
          ))}
        </ul>
      )}
      <div className="train-tabs" role="tablist">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            role="tab"
            aria-selected={view === v.id}
            className={view === v.id ? 'on' : ''}
            onClick={() => setView(v.id)}
            data-testid={`research-view-${v.id}`}
          >
            {v.title}
          </button>
        ))}
      </div>
      {VIEWS.filter((v) => v.id === view).map(({ id, View }) => (
        <View key={id} {...props} />
      ))}
    </div>
  );
}
