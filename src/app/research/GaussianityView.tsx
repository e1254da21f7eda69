/**
 * Are the learned weights Gaussian? For each learned Dense or Conv2D layer of a model,
 * its weights projected on their covariance's eigenvectors and whitened: the pooled
 * excess kurtosis, the KS distance to the normal, a QQ plot and the kurtosis of each
 * direction. The previous result stays beside the latest, so a network trained on
 * wavelets can be read against one trained without them (the cnn template).
 */
import { useMemo, useState } from 'react';
import type { LayerGaussianity } from '../../research/gaussianity';
import { sourceOf, type ViewProps } from './context';
import { download, toJson } from './export';
import { LinePlot, PALETTE, type XY } from './LinePlot';
import { ModelPicker } from './ModelPicker';

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

function Table({ layers, testId }: { layers: LayerGaussianity[]; testId: string }) {
  return (
    <table className="research-table" data-testid={testId}>
      <thead>
        <tr>
          <th>layer</th>
          <th>N × D</th>
          <th title="excess kurtosis of the whitened weights, pooled over directions (0 for a Gaussian)">kurtosis</th>
          <th title="median and largest kurtosis over directions">median / max</th>
          <th title="Kolmogorov-Smirnov distance of the whitened weights to the normal law">KS</th>
          <th title="entropy effective rank of the weight covariance">eff. rank</th>
          <th>Gaussian?</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => {
          const k = Array.from(l.gaussianity.kurtosis).sort((a, b) => a - b);
          return (
            <tr key={l.node}>
              <td>
                {l.node} <span className="muted">({l.type})</span>
              </td>
              <td>
                {l.neurons} × {l.inputs}
              </td>
              <td>
                {f2(l.gaussianity.pooledKurtosis)} ± {f2(l.gaussianity.kurtosisError)}
              </td>
              <td>
                {f2(k[Math.floor(k.length / 2)] ?? NaN)} / {f2(k.at(-1) ?? NaN)}
              </td>
              <td>
                {l.gaussianity.ks.toFixed(3)} <span className="muted">(limit {l.gaussianity.ksLimit.toFixed(3)})</span>
              </td>
              <td>
                {l.spectrum.effectiveRank.entropy.toFixed(1)} of {l.inputs}
              </td>
              <td>{l.gaussianity.gaussian ? 'yes' : 'no'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function GaussianityView({ doc, research, resolve, busy }: ViewProps) {
  const [pick, setPick] = useState('');
  const results = research.state.gaussianity;
  const latest = results.at(-1);
  const [node, setNode] = useState('');
  const layer = latest?.layers.find((l) => l.node === node) ?? latest?.layers[0];

  const test = () => {
    const s = resolve();
    if (s.ok)
      research.send({
        type: 'research-gaussianity',
        dataset: s.dataset,
        backend: s.backend,
        source: sourceOf(pick, doc, s.settings.seed),
      });
  };

  // The chosen layer of the latest result, and of the previous result the layer at the same depth (the contrast).
  const plots = useMemo((): { qq: XY[]; kurtosis: XY[] } | undefined => {
    if (!latest || !layer) return undefined;
    const depth = latest.layers.indexOf(layer);
    const shown = results.map((r, i) => ({
      label: i === results.length - 1 ? `${layer.node} (${r.source})` : undefined,
      r,
      l: i === results.length - 1 ? layer : r.layers[Math.min(depth, r.layers.length - 1)],
    }));
    const qq: XY[] = [];
    const kurtosis: XY[] = [];
    let lo = Infinity;
    let hi = -Infinity;
    shown.forEach(({ label, r, l }, i) => {
      if (!l) return;
      const name = label ?? `${l.node} (${r.source})`;
      const color = PALETTE[(results.length - 1 - i) % PALETTE.length];
      qq.push({
        label: name,
        x: l.gaussianity.qq.normal,
        y: l.gaussianity.qq.sample,
        points: true,
        line: false,
        color,
      });
      kurtosis.push({
        label: name,
        x: Array.from(l.gaussianity.kurtosis, (_, j) => j + 1),
        y: Array.from(l.gaussianity.kurtosis),
        color,
      });
      for (const v of l.gaussianity.qq.normal) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    });
    qq.push({ label: 'normal', x: [lo, hi], y: [lo, hi], dash: [4, 3], color: '#8a93a6' });
    return { qq, kurtosis };
  }, [latest, layer, results]);

  return (
    <div className="research-view" data-testid="gaussianity-view">
      <div className="train-settings">
        <ModelPicker
          graph={doc.name}
          runs={research.state.runs}
          value={pick}
          onChange={setPick}
          disabled={busy}
          testId="gaussianity-model"
        />
        <div className="train-buttons">
          <button className="primary" onClick={test} disabled={busy} data-testid="gaussianity-button">
            Test the weights
          </button>
        </div>
      </div>
      {!latest && (
        <p className="muted">
          Whitens each learned layer&apos;s weights on its covariance and asks whether what is left is Gaussian (excess
          kurtosis 0, a straight QQ plot). Test a trained run of this graph, then one of the cnn template: the previous
          result stays drawn beside the latest for contrast.
        </p>
      )}
      {results.map((r, i) => (
        <div key={r.source} data-testid={i === results.length - 1 ? 'gaussianity-latest' : 'gaussianity-previous'}>
          <p className="muted">
            <b>{r.source}</b>
            {i < results.length - 1 ? ' (previous result, for contrast)' : ''}{' '}
            <button onClick={() => download('gaussianity.json', toJson(r))}>JSON</button>
          </p>
          <Table
            layers={r.layers}
            testId={i === results.length - 1 ? 'gaussianity-table' : 'gaussianity-table-previous'}
          />
        </div>
      ))}
      {latest && layer && plots && (
        <>
          <label>
            layer{' '}
            <select value={layer.node} onChange={(e) => setNode(e.target.value)} data-testid="gaussianity-layer">
              {latest.layers.map((l) => (
                <option key={l.node} value={l.node}>
                  {l.node}
                </option>
              ))}
            </select>
          </label>
          <div className="charts two">
            <LinePlot
              title="QQ: whitened weights against the normal"
              testId="gaussianity-qq"
              xLabel="normal quantile"
              series={plots.qq}
            />
            <LinePlot
              title="excess kurtosis per direction, largest eigenvalue first"
              testId="gaussianity-kurtosis"
              xLabel="direction"
              series={plots.kurtosis}
            />
          </div>
        </>
      )}
    </div>
  );
}
