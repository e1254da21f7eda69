/** The header: graph name, file actions, share, undo/redo, layout, and the backend label area. */
import { useEffect, useRef, useState } from 'react';
import { useEditor } from './editor-context';
import { useCommands } from './commands';
import { useNotify } from './messages';
import { encodeShare } from './files/share';
import { useOpenDocument, replaceDocument } from './files/useOpenDocument';
import { emptyDocument } from '../../document/graph';
import { CollabBar } from './collab/CollabBar';
import { LiveRuns, useShareRunPublisher } from './collab/ShareRun';
import { listen } from './app-events';
import { ExportMenu } from './export/ExportMenu';
import { PresenterToggle } from './layout/PresenterToggle';
import { LessonToggle } from './lesson/LessonToggle';

export function Header({ onTemplates }: { onTemplates: () => void }) {
  const { store, doc } = useEditor();
  const commands = useCommands();
  const notify = useNotify();
  const { openFile } = useOpenDocument(store);
  const fileInput = useRef<HTMLInputElement>(null);
  const backend = useBackendLabel();
  useShareRunPublisher();

  const share = async () => {
    const url = `${location.origin}${location.pathname}${await encodeShare(doc)}`;
    try {
      await navigator.clipboard.writeText(url);
      notify(
        'success',
        'Share link copied to the clipboard.',
        `${Math.round(url.length / 1024)} kB; the whole graph is in the link.`,
      );
    } catch {
      notify('info', 'Share link ready: copy it from the address bar.');
    }
    history.replaceState(null, '', url);
  };

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">◈</span> Wavegraph
      </div>
      <input
        className="doc-name"
        aria-label="Graph name"
        data-testid="doc-name"
        value={doc.name ?? ''}
        placeholder="Untitled"
        onChange={(e) => store.transact((d) => void (d.name = e.target.value), 'rename')}
      />
      <nav className="actions">
        <button onClick={() => replaceDocument(store, emptyDocument(), 'New graph')} title="New empty graph">
          New
        </button>
        <button onClick={onTemplates} data-testid="templates-button">
          Templates
        </button>
        <button
          onClick={() => fileInput.current?.click()}
          data-testid="open-button"
          title="Open a graph file (or drop it on the canvas)"
        >
          Open
        </button>
        <button onClick={commands.save} data-testid="save-button" title="Save as a file (Ctrl+S)">
          Save
        </button>
        <button
          onClick={() => void share()}
          data-testid="share-button"
          title="Copy a link that carries the whole graph"
        >
          Share
        </button>
        <ExportMenu />
        <span className="sep" />
        <button onClick={commands.undo} disabled={!store.canUndo()} data-testid="undo-button" title="Undo (Ctrl+Z)">
          ↶
        </button>
        <button
          onClick={commands.redo}
          disabled={!store.canRedo()}
          data-testid="redo-button"
          title="Redo (Ctrl+Shift+Z)"
        >
          ↷
        </button>
        <button onClick={() => void commands.layout()} data-testid="layout-button" title="Auto-layout (Shift+L)">
          Layout
        </button>
        <button onClick={commands.fit} title="Fit the view (F)">
          Fit
        </button>
        <LessonToggle />
        <span className="sep" />
        <CollabBar />
        <LiveRuns />
      </nav>
      <div className="status">
        <PresenterToggle />
        <span
          className="backend-label"
          data-testid="backend-label"
          data-wasm-threaded={backend.threaded === undefined ? undefined : String(backend.threaded)}
          title={backend.reason}
        >
          {backend.name}
        </span>
      </div>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        data-testid="file-input"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openFile(f);
          e.target.value = '';
        }}
      />
    </header>
  );
}

/** The training side announces its backend with a 'wavegraph:backend' event. */
function useBackendLabel() {
  const [state, setState] = useState<{ name: string; reason: string; threaded?: boolean }>({
    name: 'backend: idle',
    reason: 'Chosen when training starts: WebGPU, WebGL, WASM, then CPU.',
  });
  useEffect(() => {
    return listen('wavegraph:backend', (d) => {
      if (!d?.backend) return;
      // WASM says how many threads it computes on (the threaded binary needs an isolated page).
      const w = d.backend === 'wasm' ? d.wasm : undefined;
      const name = w ? `wasm · ${w.threads} thread${w.threads === 1 ? '' : 's'}` : d.backend;
      const how = w
        ? w.threaded
          ? 'WASM with SIMD, threaded binary: TensorFlow.js sizes its thread pool from the logical cores (about half of them).'
          : 'WASM with SIMD on one thread: this page is not cross-origin isolated.'
        : '';
      setState({ name, reason: [how, d.reason ?? ''].filter(Boolean).join('\n'), threaded: w?.threaded });
    });
  }, []);
  return state;
}
