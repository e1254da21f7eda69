/**
 * The Synthesis dock, shown when the graph is a statistics model (it ends in Moments):
 * target, Gaussian sample and maximum-entropy sample side by side, the last one moving
 * while the worker optimizes its pixels; the loss curve, the power spectra on log-log
 * axes and the value histograms; export as PNG and .npy.
 */
import { useEffect, useRef, useState } from 'react';
import type { GraphDocument } from '../../../compiler';
import { writeNpy } from '../../data/npy';
import { sideBySide } from '../../synthesis/figure';
import type { SynthesisMessage } from '../../synthesis/session';
import type { KsReport, ModelReport } from '../../synthesis/validation';
import { download } from '../research/export';
import { useEditor } from '../editor-context';
import { WorkBar } from '../layout/WorkBar';
import { drawField, drawLines, histogram } from './draw';
import { useIsStatisticsModel } from './statistics-model';
import { Correlations, type CorrelationFields } from './Correlations';

interface View {
  n: number;
  label: string;
  target: Float32Array;
  gaussian: Float32Array;
  sample?: Float32Array;
  losses: number[];
  status: 'running' | 'completed' | 'stopped' | 'failed';
  problems: string[];
  reports?: { gaussian: ModelReport; maxEntropy: ModelReport; targetSpectrum: number[] };
  correlations: CorrelationFields;
}

const COLOURS = { target: '#e6e6e6', gaussian: '#5aa9ff', maxEntropy: '#ff7a85' };

export function SynthesisDock() {
  const { doc } = useEditor();
  const isStatistics = useIsStatisticsModel(doc);
  if (!isStatistics) return null;
  return <SynthesisPanel doc={doc} />;
}

function SynthesisPanel({ doc }: { doc: GraphDocument }) {
  const [target, setTarget] = useState<'ising' | 'turbulence'>('ising');
  const [size, setSize] = useState(64);
  const [steps, setSteps] = useState(100);
  const [seed, setSeed] = useState(0);
  const [view, setView] = useState<View | null>(null);
  const [starting, setStarting] = useState(false);
  const worker = useRef<Worker | null>(null);
  // The run's step budget and when its optimization began, for the progress bar's time left.
  const run = useRef({ steps, since: { time: 0, done: 0 } });
  const canvases = {
    target: useRef<HTMLCanvasElement>(null),
    gaussian: useRef<HTMLCanvasElement>(null),
    sample: useRef<HTMLCanvasElement>(null),
  };
  const lossCanvas = useRef<HTMLCanvasElement>(null);
  const spectrumCanvas = useRef<HTMLCanvasElement>(null);
  const histCanvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => () => worker.current?.terminate(), []);

  const start = () => {
    worker.current?.terminate();
    const w = new Worker(new URL('../../worker/synthesis-worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setView(null);
    setStarting(true);
    run.current = { steps, since: { time: performance.now(), done: 0 } };
    w.onmessage = (e: MessageEvent<SynthesisMessage | { type: 'backend' }>) => {
      const m = e.data;
      if (m.type !== 'backend') setStarting(false);
      if (m.type === 'synthesis-target') run.current.since = { time: performance.now(), done: 0 };
      setView((v) => {
        if (m.type === 'synthesis-target')
          return {
            n: m.n,
            label: m.label,
            target: m.target,
            gaussian: m.gaussian,
            losses: [],
            status: 'running',
            problems: [],
            correlations: {},
          };
        if (!v)
          return m.type === 'synthesis-diagnostics'
            ? {
                n: 0,
                label: '',
                target: new Float32Array(0),
                gaussian: new Float32Array(0),
                losses: [],
                correlations: {},
                status: 'failed',
                problems: m.diagnostics.map((d) => `${d.message}${d.fix ? ` Fix: ${d.fix}` : ''}`),
              }
            : v;
        if (m.type === 'synthesis-correlations')
          return { ...v, correlations: { ...v.correlations, [m.field]: m.matrices } };
        if (m.type === 'synthesis-step') return { ...v, losses: [...v.losses, m.loss], sample: m.samples ?? v.sample };
        if (m.type === 'synthesis-diagnostics')
          return { ...v, problems: m.diagnostics.map((d) => `${d.message}${d.fix ? ` Fix: ${d.fix}` : ''}`) };
        if (m.type === 'synthesis-done')
          return { ...v, status: m.status, sample: m.samples ?? v.sample, reports: m.reports };
        return v;
      });
    };
    w.postMessage({
      type: 'synthesize',
      backend: 'auto',
      doc,
      target: { kind: target },
      size,
      samples: 1,
      steps,
      seed,
      frameEvery: 2,
    });
  };

  useEffect(() => {
    if (!view || !view.n) return;
    drawField(canvases.target.current, view.target, view.n, view.target);
    drawField(canvases.gaussian.current, view.gaussian, view.n, view.target);
    if (view.sample) drawField(canvases.sample.current, view.sample, view.n, view.target);
    drawLines(
      lossCanvas.current,
      [{ xs: view.losses.map((_, i) => i + 1), ys: view.losses, colour: COLOURS.maxEntropy }],
      false,
      true,
    );
    if (view.reports) {
      const r = view.reports;
      const ks = r.targetSpectrum.map((_, j) => 1.5 * 2 ** j);
      drawLines(
        spectrumCanvas.current,
        [
          { xs: ks, ys: r.targetSpectrum, colour: COLOURS.target },
          { xs: ks, ys: r.gaussian.spectrum, colour: COLOURS.gaussian },
          { xs: ks, ys: r.maxEntropy.spectrum, colour: COLOURS.maxEntropy },
        ],
        true,
        true,
      );
    }
    if (view.sample) {
      const h = (x: Float32Array, colour: string) => ({
        ...histogram(x.subarray(0, view.n * view.n), view.target),
        colour,
      });
      drawLines(
        histCanvas.current,
        [h(view.target, COLOURS.target), h(view.gaussian, COLOURS.gaussian), h(view.sample, COLOURS.maxEntropy)],
        false,
        false,
      );
    }
  });

  const exportPng = () => {
    if (!view?.sample) return;
    const f = sideBySide(
      [
        { data: view.target, size: view.n },
        { data: view.gaussian, size: view.n },
        { data: view.sample, size: view.n },
      ],
      2,
    );
    const c = document.createElement('canvas');
    c.width = f.width;
    c.height = f.height;
    const img = new ImageData(f.width, f.height);
    for (let i = 0; i < f.width * f.height; i++)
      img.data.set([f.rgb[3 * i], f.rgb[3 * i + 1], f.rgb[3 * i + 2], 255], 4 * i);
    c.getContext('2d')!.putImageData(img, 0, 0);
    c.toBlob((b) => b && download('synthesis.png', b));
  };
  const exportNpy = () =>
    view?.sample &&
    download(
      'samples.npy',
      new Blob([new Uint8Array(writeNpy(view.sample, [view.sample.length / (view.n * view.n), view.n, view.n]))]),
      'application/octet-stream',
    );

  return (
    <section className="dock synthesis" aria-label="Synthesis" data-testid="synthesis-dock">
      <div className="dock-bar">
        <span>Synthesis</span>
      </div>
      <div className="synthesis-controls">
        <label>
          Target{' '}
          <select
            value={target}
            onChange={(e) => setTarget(e.target.value as 'ising' | 'turbulence')}
            data-testid="synthesis-target"
          >
            <option value="ising">Ising at T_c</option>
            <option value="turbulence">2D turbulence</option>
          </select>
        </label>
        <label>
          Size{' '}
          <select value={size} onChange={(e) => setSize(Number(e.target.value))}>
            {[32, 64, 128].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Steps{' '}
          <input
            type="number"
            min={1}
            max={2000}
            value={steps}
            onChange={(e) => setSteps(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <label>
          Seed <input type="number" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} />
        </label>
        <button onClick={start} data-testid="synthesis-start">
          {view?.status === 'running' ? 'Restart' : 'Synthesize'}
        </button>
        <button onClick={() => worker.current?.postMessage({ type: 'stop' })} disabled={view?.status !== 'running'}>
          Stop
        </button>
        <button onClick={exportPng} disabled={!view?.sample}>
          PNG
        </button>
        <button onClick={exportNpy} disabled={!view?.sample}>
          .npy
        </button>
        <span data-testid="synthesis-status">
          {view
            ? `${view.label} · ${view.status} · step ${view.losses.length}${view.losses.length ? ` · loss ${view.losses.at(-1)!.toExponential(2)}` : ''}`
            : "Matches the graph's moments, starting from white noise."}
        </span>
      </div>
      {(starting || view?.status === 'running') && (
        <WorkBar
          work={
            view
              ? { what: 'Synthesizing', done: view.losses.length, total: run.current.steps, since: run.current.since }
              : undefined
          }
          message={`Drawing the ${target} target and building the statistics…`}
          onStop={() => worker.current?.postMessage({ type: 'stop' })}
          testId="synthesis-progress"
        />
      )}
      {view?.problems.map((p) => (
        <p key={p} className="synthesis-problem" role="alert">
          {p}
        </p>
      ))}
      <div className="synthesis-fields">
        {(['target', 'gaussian', 'sample'] as const).map((k) => (
          <figure key={k}>
            <canvas ref={canvases[k]} data-testid={`synthesis-${k}`} />
            <figcaption>{k === 'sample' ? 'maximum entropy' : k === 'gaussian' ? 'Gaussian' : 'target'}</figcaption>
          </figure>
        ))}
        <figure>
          <canvas ref={lossCanvas} width={200} height={120} />
          <figcaption>loss (log)</figcaption>
        </figure>
        <figure>
          <canvas ref={spectrumCanvas} width={200} height={120} />
          <figcaption>power per octave (log-log)</figcaption>
        </figure>
        <figure>
          <canvas ref={histCanvas} width={200} height={120} />
          <figcaption>values</figcaption>
        </figure>
      </div>
      {view && <Correlations fields={view.correlations} />}
      {view?.reports && (
        <KsTable
          testId="synthesis-report"
          title="KS distance to the target (raw histograms)"
          gaussian={view.reports.gaussian}
          maxEntropy={view.reports.maxEntropy}
        />
      )}
      {view?.reports?.maxEntropy.floor && view.reports.gaussian.quantized && view.reports.maxEntropy.quantized && (
        <>
          <p className="synthesis-note">
            The target takes a few discrete values: no sample with continuous values gets a raw distance below half its
            heaviest atom ({fmt(view.reports.maxEntropy.floor.ksValues)} on the values). The claim (max-entropy at most
            half the Gaussian&apos;s) reads both samples on the target&apos;s values, the bins of its histogram: each
            value rounded to the nearest.
          </p>
          <KsTable
            testId="synthesis-report-levels"
            title="KS distance on the target's values"
            gaussian={view.reports.gaussian.quantized}
            maxEntropy={view.reports.maxEntropy.quantized}
          />
        </>
      )}
    </section>
  );
}

const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(3));

/** KS distances of both models to the target: values, then increments by lag. */
function KsTable(props: { testId: string; title: string; gaussian: KsReport; maxEntropy: KsReport }) {
  const { gaussian, maxEntropy } = props;
  return (
    <table className="synthesis-table" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{props.title}</th>
          <th>Gaussian</th>
          <th>max-entropy</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>values</td>
          <td>{fmt(gaussian.ksValues)}</td>
          <td>{fmt(maxEntropy.ksValues)}</td>
        </tr>
        {Object.keys(gaussian.ksIncrements).map((lag) => (
          <tr key={lag}>
            <td>increments, lag {lag}</td>
            <td>{fmt(gaussian.ksIncrements[Number(lag)])}</td>
            <td>{fmt(maxEntropy.ksIncrements[Number(lag)])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
