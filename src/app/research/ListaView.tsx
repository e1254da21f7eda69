/**
 * LISTA and ISTC read-outs: at each unrolled step, the fraction of active code entries
 * and the reconstruction error ||x - D z_k||^2 / ||x||^2 on test images.
 */
import { useState } from 'react';
import { sourceOf, type ViewProps } from './context';
import { LinePlot } from './LinePlot';
import { ModelPicker } from './ModelPicker';

export function ListaView({ doc, research, resolve, busy }: ViewProps) {
  const [pick, setPick] = useState('');
  const lista = research.state.lista;
  const run = () => {
    const s = resolve();
    if (s.ok)
      research.send({
        type: 'research-lista',
        dataset: s.dataset,
        backend: s.backend,
        source: sourceOf(pick, doc, s.settings.seed),
        samples: 64,
      });
  };
  return (
    <div className="research-view" data-testid="lista-view">
      <div className="train-bar">
        <div className="train-settings">
          <ModelPicker
            graph={doc.name}
            runs={research.state.runs}
            value={pick}
            onChange={setPick}
            disabled={busy}
            testId="lista-model"
          />
        </div>
        <div className="train-buttons">
          <button className="primary" onClick={run} disabled={busy} data-testid="lista-button">
            Read out
          </button>
        </div>
      </div>
      {lista && (
        <>
          <p className="muted">{lista.source}, 64 test images.</p>
          <div className="charts" data-testid="lista-result">
            {lista.rows.map((r) => {
              const x = r.steps.map((s) => s.step);
              return (
                <LinePlot
                  key={r.node}
                  title={`${r.node} (${r.type}) per unrolled step`}
                  testId={`lista-${r.node}`}
                  xLabel="step k"
                  yRange={[0, Math.max(1, ...r.steps.map((s) => s.reconstructionError))]}
                  series={[
                    { label: 'active fraction', x, y: r.steps.map((s) => s.active), points: true },
                    { label: 'reconstruction error', x, y: r.steps.map((s) => s.reconstructionError), points: true },
                  ]}
                />
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
