/** Shown when no single node is selected: the graph's totals and every problem, each a link to its node. */
import { useReactFlow } from '@xyflow/react';
import { useEditor } from '../editor-context';
import { formatCount } from '../kinds';
import { formatBytes } from '../../../compiler/memory';

export function GraphSummary() {
  const { doc, analysis, setSelected, store } = useEditor();
  const flow = useReactFlow();
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const others = analysis.diagnostics.filter((d) => d.severity !== 'error');
  const { trainable, fixed } = analysis.shapes.total;
  const memory = analysis.shapes.memory;
  const over = memory.totalBytes > memory.budgetBytes;
  return (
    <div className="summary" data-testid="graph-summary">
      <div className="inspector-kicker">Graph</div>
      <h2>{doc.name ?? 'Untitled'}</h2>
      <textarea
        className="summary-description"
        placeholder="What does this graph show?"
        value={doc.description ?? ''}
        onChange={(e) => store.transact((d) => void (d.description = e.target.value), 'description')}
      />
      <div className="summary-stats">
        <div>
          <b>{doc.nodes.length}</b> nodes
        </div>
        <div>
          <b>{doc.edges.length}</b> edges
        </div>
        <div>
          <b>{formatCount(trainable)}</b> trainable
        </div>
        <div>
          <b>{formatCount(fixed)}</b> fixed
        </div>
        <div
          className={`summary-memory ${over ? 'over' : ''}`}
          data-testid="memory-estimate"
          title={`Weights, gradients and Adam's moments, plus every node's output kept for the backward pass, for one batch of ${memory.batchSize} as float32. Training refuses above ${formatBytes(memory.budgetBytes)}.`}
        >
          <b>{formatBytes(memory.totalBytes)}</b> to train at batch {memory.batchSize} (limit{' '}
          {formatBytes(memory.budgetBytes)})
        </div>
      </div>
      <h4>{errors.length ? `${errors.length} problem${errors.length === 1 ? '' : 's'}` : 'No problems'}</h4>
      <ul className="inspector-diags" data-testid="diagnostics">
        {[...errors, ...others].slice(0, 40).map((d, i) => (
          <li
            key={i}
            className={`diag-${d.severity} ${d.nodeId ? 'clickable' : ''}`}
            onClick={() => {
              if (!d.nodeId) return;
              setSelected(new Set([d.nodeId]));
              void flow.fitView({ nodes: [{ id: d.nodeId }], duration: 250, maxZoom: 1.2 });
            }}
          >
            {d.nodeId && <b>{d.nodeId}: </b>}
            {d.message}
          </li>
        ))}
      </ul>
      <p className="muted tips">
        Double-click the canvas to add a block. Shift-drag to box-select. Ctrl+Z / Ctrl+Shift+Z undo and redo, Ctrl+C /
        Ctrl+V copy, Ctrl+D duplicate, Delete removes, F fits the view, Shift+L lays the graph out, Ctrl+S saves a file,
        Ctrl+Enter trains.
      </p>
    </div>
  );
}
