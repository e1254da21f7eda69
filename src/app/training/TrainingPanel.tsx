/**
 * The training panel: settings, start / pause / stop, the backend in use, live
 * metrics and charts, and at each epoch's end a confusion matrix and the test images
 * with their predictions. The "inside" tab shows filters and feature maps. All tensor
 * work happens in the training worker; this component only draws what it reports.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GraphDocument } from '../../../document/graph';
import { formatDiagnostic } from '../../../document/diagnostics';
import { analyze } from '../../../compiler/index';
import type { GraphStore } from '../../../document/store';
import { listServerDatasets, type ServerDataset } from '../../data/browser';
import type { DatasetSpec } from '../../worker/protocol';
import { FeatureMaps } from '../inside/FeatureMaps';
import { BackendCheck } from '../inside/BackendCheck';
import { FilterGallery, filterModes } from '../inside/FilterGallery';
import { ResearchPanel } from '../research/ResearchPanel';
import { Charts } from './Charts';
import { ConfusionMatrix } from './ConfusionMatrix';
import { PredictionGrid } from './PredictionGrid';
import { parseSettings, SettingsForm, type PanelSettings, type Upload } from './SettingsForm';
import { Progress, Readout } from './Readout';
import { useTrainer, type TrainerState } from './useTrainer';
import { listen } from '../app-events';
import { FeatureStoreNote } from './FeatureStoreNote';
import { useGraphDataset } from './useGraphDataset';
import { loadedWeightsFor, useLoadedWeights } from '../export/loaded-weights';
import './training.css';

export interface TrainingPanelProps {
  store: GraphStore;
  doc: GraphDocument;
  selectedNodeId: string | null;
}

/** Filter snapshots every this many steps. */
const SNAPSHOT_EVERY = 10;

function settingsFrom(doc: GraphDocument, keep?: PanelSettings): PanelSettings {
  const t = doc.training ?? {};
  return {
    dataset: keep?.dataset ?? 'synthetic',
    optimizer: t.optimizer ?? 'adam',
    learningRate: String(t.learningRate ?? 0.001),
    schedule: t.schedule ?? 'constant',
    batchSize: String(t.batchSize ?? 64),
    epochs: String(t.epochs ?? 1),
    seed: String(t.seed ?? 1),
    samples: keep?.samples ?? '',
    backend: keep?.backend ?? 'auto',
  };
}

const RUNNING = new Set(['starting', 'loading-data', 'compiling', 'precomputing', 'training', 'paused']);

export function isRunning(s: TrainerState): boolean {
  return RUNNING.has(s.phase);
}

export function TrainingPanel({ store, doc, selectedNodeId }: TrainingPanelProps) {
  const trainer = useTrainer();
  const { state } = trainer;
  const [settings, setSettings] = useState(() => settingsFrom(doc));
  const [serverDatasets, setServerDatasets] = useState<ServerDataset[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [tab, setTab] = useState<'training' | 'inside'>('training');
  const [selectedImage, setSelectedImage] = useState<number | null>(null);
  const running = isRunning(state);
  // The research panel mounts on first use and then stays mounted (hidden), keeping its worker and results.
  const [area, setArea] = useState<'train' | 'research'>('train');
  const [researchOpened, setResearchOpened] = useState(false);
  // A lesson step that points at the Research tab (or back at training) shows it.
  useEffect(
    () =>
      listen('wavegraph:show-area', (a) => {
        setArea(a);
        if (a === 'research') setResearchOpened(true);
      }),
    [],
  );

  // A newly opened graph brings its own training settings.
  const training = doc.training;
  const firstTraining = useRef(training);
  useEffect(() => {
    if (training === firstTraining.current) return;
    firstTraining.current = training;
    setSettings((s) => settingsFrom({ ...doc, training }, s));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [training]);

  // The dataset the graph asks for is selected once the server's list is known, and again
  // whenever the graph asks for another; a set the user picks stays until then.
  const [listed, setListed] = useState(false);
  const { choice, userPicked } = useGraphDataset(doc, serverDatasets, listed, (value) =>
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

  const docRef = useRef(doc);
  docRef.current = doc;
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const onSettings = useCallback(
    (next: PanelSettings) => {
      if (next.dataset !== settingsRef.current.dataset) userPicked();
      setSettings(next);
    },
    [userPicked],
  );
  const uploadsRef = useRef(uploads);
  uploadsRef.current = uploads;

  // Weights loaded from Export > Load weights… for this graph: evaluated as they are, or trained on from.
  const loaded = useLoadedWeights(doc.name);
  const [fromLoaded, setFromLoaded] = useState(true);
  const fromLoadedRef = useRef(fromLoaded);
  fromLoadedRef.current = fromLoaded;

  const launch = useCallback(
    (evaluateOnly: boolean) => {
      const s = settingsRef.current;
      const p = parseSettings(s);
      if (!p.ok) return setProblem(p.problem);
      // Refused here, before the worker allocates anything: a graph over the memory budget would exhaust it.
      const tooBig = analyze(docRef.current, { batchSize: p.batch, partial: true }).diagnostics.find(
        (d) => d.code === 'memory-budget',
      );
      if (tooBig) return setProblem(`${tooBig.message} ${tooBig.fix ?? ''}`.trim());
      let dataset: DatasetSpec;
      if (s.dataset === 'synthetic') {
        // A small training set gets a test set in the dataset's own 6:1 proportion (at least 100), so a quick run evaluates quickly too.
        const train = p.samples === undefined ? undefined : Math.min(p.samples, 6000);
        dataset = {
          kind: 'synthetic',
          train,
          test: train === undefined ? undefined : Math.max(100, Math.min(1000, Math.ceil(train / 6))),
        };
      } else if (s.dataset.startsWith('server:'))
        dataset = { kind: 'server', name: s.dataset.slice(7), limit: p.samples };
      else {
        if (!uploadsRef.current.length)
          return setProblem('Pick the dataset files to upload first (four IDX files, or CIFAR-10 binary batches).');
        dataset = { kind: 'upload', files: uploadsRef.current, limit: p.samples };
      }
      setProblem(null);
      setSelectedImage(null);
      const weights = loadedWeightsFor(docRef.current.name);
      trainer.start({
        doc: docRef.current,
        weights: weights && (evaluateOnly || fromLoadedRef.current) ? weights.arrays : undefined,
        evaluateOnly,
        dataset,
        settings: {
          optimizer: s.optimizer,
          learningRate: p.lr,
          schedule: s.schedule,
          momentum: 0.9,
          batchSize: p.batch,
          epochs: p.epochs,
          seed: p.seed,
          logEvery: 1,
          // Lazy training's output scale has no field in the panel: it comes from the graph's settings.
          ...(docRef.current.training?.alpha !== undefined ? { alpha: docRef.current.training.alpha } : {}),
        },
        backend: s.backend,
        snapshotEvery: SNAPSHOT_EVERY,
      });
    },
    [trainer],
  );
  const start = useCallback(() => launch(false), [launch]);

  // Ctrl+Enter on the canvas: start, or resume a paused run.
  const stateRef = useRef(state);
  stateRef.current = state;
  useEffect(() => {
    const on = () => {
      const s = stateRef.current;
      if (s.phase === 'paused') trainer.resume();
      else if (!isRunning(s)) start();
    };
    return listen('wavegraph:train', on);
  }, [start, trainer]);

  // Clicking a node while a test image is picked shows that node's feature maps.
  const { requestFeatureMaps } = trainer;
  const haveModel = !!state.dataset;
  useEffect(() => {
    if (selectedNodeId && selectedImage !== null && haveModel) {
      requestFeatureMaps(selectedNodeId, selectedImage);
      setTab('inside');
    }
  }, [selectedNodeId, selectedImage, haveModel, requestFeatureMaps]);

  const onUpload = async (files: FileList) => {
    const list = await Promise.all([...files].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
    setUploads(list);
  };

  const modes = useMemo(() => filterModes(doc.nodes), [doc.nodes]);
  const lastEpoch = state.epochs.at(-1);
  const errors = state.diagnostics;

  return (
    <div className="training-panel" data-testid="training-panel">
      <div className="train-tabs" role="tablist">
        <button
          role="tab"
          aria-selected={area === 'train'}
          className={area === 'train' ? 'on' : ''}
          onClick={() => setArea('train')}
          data-testid="train-tab"
        >
          Train
        </button>
        <button
          role="tab"
          aria-selected={area === 'research'}
          className={area === 'research' ? 'on' : ''}
          onClick={() => {
            setArea('research');
            setResearchOpened(true);
          }}
          data-testid="research-tab"
        >
          Research
        </button>
      </div>
      {researchOpened && (
        <div hidden={area !== 'research'}>
          <ResearchPanel doc={doc} store={store} />
        </div>
      )}
      <div hidden={area !== 'train'} className="training-area">
        <div className="train-bar">
          <SettingsForm
            value={settings}
            onChange={onSettings}
            datasetNote={listed && settings.dataset === 'synthetic' ? choice.note : undefined}
            datasetsListed={listed}
            serverDatasets={serverDatasets}
            uploads={uploads}
            onUpload={(f) => void onUpload(f)}
            disabled={running}
          />
          <div className="train-buttons">
            <button
              className="primary"
              onClick={start}
              disabled={running}
              data-testid="train-button"
              title="Train (Ctrl+Enter)"
            >
              Train
            </button>
            <button
              onClick={state.phase === 'paused' ? trainer.resume : trainer.pause}
              disabled={!running || state.phase === 'starting'}
              data-testid="pause-button"
            >
              {state.phase === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <button onClick={trainer.stop} disabled={!running} data-testid="stop-button">
              Stop
            </button>
          </div>
        </div>
        {loaded && (
          <div className="train-loaded" data-testid="loaded-weights">
            <span>
              Loaded weights <b>{loaded.source}</b> ({loaded.arrays.length} arrays)
            </span>
            <button onClick={() => launch(true)} disabled={running} data-testid="evaluate-loaded">
              Evaluate them
            </button>
            <label>
              <input
                type="checkbox"
                checked={fromLoaded}
                onChange={(e) => setFromLoaded(e.target.checked)}
                disabled={running}
                data-testid="train-from-loaded"
              />{' '}
              Train starts from them
            </label>
          </div>
        )}
        <div className="train-status">
          <span
            className="train-backend"
            data-testid="training-backend"
            title={state.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n')}
          >
            backend <b>{state.backend ?? '—'}</b>
            {state.fallbacks.length > 0 && (
              <span className="muted">
                {' '}
                (skipped {state.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})
              </span>
            )}
          </span>
          <span
            className={`train-message ${state.outcome === 'diverged' || state.outcome === 'failed' ? 'bad' : ''}`}
            data-testid="training-status"
          >
            {state.message}
          </span>
          <FeatureStoreNote phase={state.phase} />
        </div>
        <Readout state={state} />
        <Progress state={state} onCancel={trainer.stop} />
        {(problem || errors.length > 0) && (
          <ul className="train-problems" data-testid="training-diagnostics" role="alert">
            {problem && <li>{problem}</li>}
            {errors.map((d, i) => (
              <li key={i} className={d.severity}>
                {formatDiagnostic(d).replace(/^(error|warning|info) \[[a-z-]+\] /, '')}
              </li>
            ))}
          </ul>
        )}
        <div className="train-tabs" role="tablist">
          <button
            role="tab"
            aria-selected={tab === 'training'}
            className={tab === 'training' ? 'on' : ''}
            onClick={() => setTab('training')}
            data-testid="tab-training"
          >
            Training
          </button>
          <button
            role="tab"
            aria-selected={tab === 'inside'}
            className={tab === 'inside' ? 'on' : ''}
            onClick={() => setTab('inside')}
            data-testid="tab-inside"
          >
            Inside the network
          </button>
        </div>
        {tab === 'training' ? (
          <div className="train-results">
            <Charts series={state.series} version={state.version} />
            {state.dataset && (
              <div className="epoch-results">
                {lastEpoch && <ConfusionMatrix confusion={lastEpoch.confusion} classNames={state.dataset.classNames} />}
                <PredictionGrid
                  samples={state.dataset.samples}
                  labels={state.dataset.sampleLabels}
                  predictions={lastEpoch?.samplePredictions}
                  classNames={state.dataset.classNames}
                  selected={selectedImage}
                  onSelect={setSelectedImage}
                />
              </div>
            )}
          </div>
        ) : (
          <div className="inside">
            {selectedImage === null ? (
              <p className="muted">
                Pick a test image in the Training tab, then click a node on the canvas to see its feature maps.
              </p>
            ) : state.featureMaps ? (
              <>
                <FeatureMaps reply={state.featureMaps} />
                <BackendCheck
                  reply={state.verify?.nodeId === state.featureMaps.nodeId ? state.verify : undefined}
                  onCheck={() => trainer.requestVerify(state.featureMaps!.nodeId)}
                />
              </>
            ) : (
              <p className="muted">
                Test image #{selectedImage} picked: click a node on the canvas to see its feature maps.
              </p>
            )}
            <FilterGallery filters={state.filters} modes={modes} selectedNodeId={selectedNodeId} />
          </div>
        )}
      </div>
    </div>
  );
}
