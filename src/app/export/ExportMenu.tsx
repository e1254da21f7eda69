/**
 * Export menu of the header: the open graph as a PyTorch package (.zip: model.py,
 * train.py for torchrun, README, weights), an ONNX model, its JSON and its weights; and
 * weights brought back (trained by an exported train.py, say) for the open graph. Loaded
 * weights go to loaded-weights.ts, where the exports, the training panel and the research
 * instruments find them.
 */
import { useRef, useState } from 'react';
import './export.css';
import { useEditor } from '../editor-context';
import { downloadDocument } from '../files/file-io';
import { useNotify } from '../messages';
import { exportOnnx, exportPytorchZip, exportWeights, readWeightsFor } from './export-actions';
import { setLoadedWeights, useLoadedWeights } from './loaded-weights';

export function ExportMenu() {
  const { doc } = useEditor();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  // Weights loaded for another graph are not offered.
  const weights = useLoadedWeights(doc.name)?.arrays;

  const act = (what: string, f: () => Promise<void> | void) => async () => {
    menu.current?.removeAttribute('open');
    setBusy(true);
    try {
      await f();
    } catch (e) {
      notify('error', `Could not export the ${what}.`, e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const load = async (files: File[]) => {
    const r = await readWeightsFor(doc, files);
    if ('problems' in r) {
      notify(
        'error',
        'These weights do not belong to the open graph.',
        r.problems.slice(0, 8).join('; ') + (r.problems.length > 8 ? `; and ${r.problems.length - 8} more` : ''),
      );
      return;
    }
    const source = files.find((f) => f.name.endsWith('.json'))?.name ?? 'weights';
    setLoadedWeights({ graph: doc.name ?? '', source, arrays: r.arrays });
    notify(
      'success',
      `Loaded ${r.arrays.length} weights for this graph.`,
      'The PyTorch, ONNX and weights exports now carry them; the training panel can evaluate them or start from them, and the Research tab offers them as a model.',
    );
  };

  return (
    <details className="export-menu" ref={menu} data-testid="export-menu">
      <summary title="Take the graph out of the browser: PyTorch, ONNX, files">
        {busy ? 'Exporting…' : 'Export'}
      </summary>
      <div className="export-items" role="menu">
        <button
          role="menuitem"
          data-testid="export-pytorch"
          onClick={act('PyTorch package', () => exportPytorchZip(doc, weights))}
        >
          PyTorch package (.zip)
        </button>
        <button role="menuitem" data-testid="export-onnx" onClick={act('ONNX model', () => exportOnnx(doc, weights))}>
          ONNX model (.onnx)
        </button>
        <button role="menuitem" onClick={act('graph', () => downloadDocument(doc))}>
          Graph (.json)
        </button>
        <button role="menuitem" onClick={act('weights', () => exportWeights(doc, weights))}>
          Weights{weights ? ' (loaded)' : ' (initial)'}
        </button>
        <button role="menuitem" data-testid="load-weights" onClick={() => picker.current?.click()}>
          Load weights for this graph…
        </button>
      </div>
      <input
        ref={picker}
        type="file"
        multiple
        accept=".json,.bin"
        hidden
        data-testid="weights-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          menu.current?.removeAttribute('open');
          if (files.length) void load(files);
        }}
      />
    </details>
  );
}
