/**
 * The deformation stability probe (docs/science.md, Stability to deformations): D_f, G_f and R_f = D_f / G_f
 * for the output and every layer, on test images, and a picture of images with their
 * deformation at the chosen T and the noise of the same norm.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { getNodeDefinition } from '../../../nodes/registry';
import { inputShape } from '../../research/compare';
import { temperatureRange, typicalDisplacement } from '../../research/deformation';
import { defaultTemperature } from '../../research/probe';
import { drawImage } from '../inside/draw';
import { BarChart } from './BarChart';
import { sourceOf, type ViewProps } from './context';
import { download, stem, toJson } from './export';
import { ModelPicker } from './ModelPicker';

function Picture({
  pixels,
  H,
  W,
  C,
  caption,
}: {
  pixels: Float32Array;
  H: number;
  W: number;
  C: number;
  caption: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawImage(ref.current, pixels, W, H, C);
  }, [pixels, H, W, C]);
  return (
    <figure className="tiles">
      <canvas ref={ref} style={{ width: 84, height: 84 }} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '—');

export function ProbeView({ doc, research, resolve, busy }: ViewProps) {
  const [pick, setPick] = useState('');
  const [c, setC] = useState('3');
  const n = useMemo(() => Math.max(...(inputShape(doc) ?? [28, 28]).slice(0, 2)), [doc]);
  const cNum = Number(c);
  const range = useMemo(() => (cNum > 1 ? temperatureRange(n, cNum) : undefined), [n, cNum]);
  const [T, setT] = useState(() => defaultTemperature(28, 3).toPrecision(2));
  const [problem, setProblem] = useState<string | null>(null);
  const result = research.state.probe;

  const run = () => {
    const s = resolve();
    if (!s.ok) return;
    const t = Number(T);
    if (!(cNum > 1) || !Number.isFinite(cNum))
      return setProblem(
        `The cut-off c must be a number above 1 (the deformation keeps modes with sqrt(i² + j²) < c + 1/2), not "${c}".`,
      );
    if (!(t >= 0) || !Number.isFinite(t)) return setProblem(`The temperature T must be a number ≥ 0, not "${T}".`);
    setProblem(null);
    research.send({
      type: 'research-probe',
      dataset: s.dataset,
      backend: s.backend,
      source: sourceOf(pick, doc, s.settings.seed),
      T: t,
      c: cNum,
      samples: 128,
      seed: s.settings.seed,
    });
  };

  const bars = useMemo(
    () =>
      result
        ? [
            ...result.report.layers.filter((l) => getNodeDefinition(l.type)?.role !== 'input' && Number.isFinite(l.R)),
            result.report.output,
          ].map((l) => ({ label: l === result.report.output ? 'output' : l.layer, value: l.R }))
        : [],
    [result],
  );
  const ex = result?.report.examples;

  return (
    <div className="research-view" data-testid="probe-view">
      <div className="train-bar">
        <div className="train-settings">
          <ModelPicker
            graph={doc.name}
            runs={research.state.runs}
            value={pick}
            onChange={setPick}
            disabled={busy}
            testId="probe-model"
          />
          <label title="Deformation temperature: the typical displacement grows as sqrt(T)">
            T
            <input value={T} onChange={(e) => setT(e.target.value)} disabled={busy} size={8} data-testid="probe-T" />
          </label>
          <label title="Cut-off: the highest spatial frequency of the displacement field">
            c
            <input value={c} onChange={(e) => setC(e.target.value)} disabled={busy} size={3} data-testid="probe-c" />
          </label>
          {range && (
            <span className="muted range" data-testid="probe-range">
              useful T for {n}×{n}: T_min {range.Tmin.toExponential(2)} (half a pixel) to T_max{' '}
              {range.Tmax.toExponential(2)}; at T = {T}: about {fmt(typicalDisplacement(n, Number(T), cNum))} px
            </span>
          )}
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy} data-testid="probe-button">
            Probe
          </button>
        </div>
      </div>
      {problem && (
        <p className="research-problem" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <div className="probe-result" data-testid="probe-result">
          <p className="muted">
            {result.source}, T = {fmt(result.report.T)}, c = {result.report.c}, {result.report.samples} test images;
            measured displacement {fmt(result.report.displacement)} px (formula {fmt(result.report.typicalDisplacement)}{' '}
            px). R_f &lt; 1: the layer is more stable to deformations than to noise of the same norm.
          </p>
          <div className="gallery-row">
            <BarChart title="R_f per layer" bars={bars} testId="probe-bars" />
            <table className="research-table" data-testid="probe-table">
              <thead>
                <tr>
                  <th>layer</th>
                  <th>type</th>
                  <th>D_f</th>
                  <th>G_f</th>
                  <th>R_f</th>
                </tr>
              </thead>
              <tbody>
                {[...result.report.layers, result.report.output].map((l) => (
                  <tr key={l.layer}>
                    <td>{l.layer === '@output' ? 'output' : l.layer}</td>
                    <td>{l.type}</td>
                    <td>{fmt(l.D)}</td>
                    <td>{fmt(l.G)}</td>
                    <td>{fmt(l.R)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {ex && (
            <div className="gallery-row" data-testid="probe-examples">
              {ex.original.map((x, i) => (
                <div key={i} className="example-triple">
                  <Picture pixels={x} H={ex.H} W={ex.W} C={ex.C} caption="image" />
                  <Picture
                    pixels={ex.deformed[i]}
                    H={ex.H}
                    W={ex.W}
                    C={ex.C}
                    caption={`deformed, T=${fmt(result.report.T)}`}
                  />
                  <Picture pixels={ex.noisy[i]} H={ex.H} W={ex.W} C={ex.C} caption="+ matched noise" />
                </div>
              ))}
            </div>
          )}
          <button
            onClick={() =>
              download(`probe-${stem(result.source)}.json`, toJson({ ...result.report, examples: undefined }))
            }
          >
            save probe JSON
          </button>
        </div>
      )}
    </div>
  );
}
