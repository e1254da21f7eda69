/**
 * The dock under the canvas where the training panel mounts. It folds to its bar and
 * resizes by its top edge; both are remembered per browser (layout/prefs.ts). A
 * statistics model has nothing to train: the dock hides and the Synthesis dock takes
 * its place, so the canvas keeps its room.
 */
import { useEffect } from 'react';
import { TrainingPanel } from './training/TrainingPanel';
import { useEditor } from './editor-context';
import { LIMITS, setPrefs, useLayoutPrefs } from './layout/prefs';
import { Splitter } from './layout/Splitter';
import { useIsStatisticsModel } from './synthesis/statistics-model';
import { useNotify } from './messages';

export function TrainingDock() {
  const { store, doc, selected } = useEditor();
  const selectedNodeId = selected.size === 1 ? [...selected][0] : null;
  const { dockOpen: open, dockHeight } = useLayoutPrefs();
  const statistics = useIsStatisticsModel(doc);
  const notify = useNotify();
  // Asked to train with the dock folded (Ctrl+Enter, the bar's button): show what happens.
  useEffect(() => {
    const on = () => {
      if (!statistics) return setPrefs({ dockOpen: true });
      notify(
        'info',
        'This graph is a statistics model: it ends in Moments, with no loss, so there is nothing to train.',
        'Press Synthesize in the Synthesis panel to draw fields whose moments match a target.',
      );
    };
    window.addEventListener('wavegraph:train', on);
    return () => window.removeEventListener('wavegraph:train', on);
  }, [statistics, notify]);
  const max = Math.max(LIMITS.dockHeight[0], Math.min(LIMITS.dockHeight[1], Math.round(window.innerHeight * 0.75)));
  return (
    <section
      className={`dock ${open ? 'dock-open' : 'dock-collapsed'}`}
      aria-label="Training"
      data-testid="dock"
      hidden={statistics}
      style={open ? { height: Math.min(dockHeight, max) } : undefined}
    >
      {open && (
        <Splitter
          label="Height of the training panel"
          axis="y"
          grow={-1}
          value={Math.min(dockHeight, max)}
          min={LIMITS.dockHeight[0]}
          max={max}
          onChange={(h) => setPrefs({ dockHeight: h })}
          testId="dock-splitter"
        />
      )}
      <div className="dock-bar">
        <span>Training</span>
        <button
          onClick={() => setPrefs({ dockOpen: !open })}
          aria-expanded={open}
          aria-label={open ? 'Hide the training panel' : 'Show the training panel'}
          data-testid="dock-toggle"
          title={open ? 'Hide the training panel' : 'Show the training panel'}
        >
          {open ? '▾' : '▸'}
        </button>
        {!open && (
          <button
            onClick={() => window.dispatchEvent(new CustomEvent('wavegraph:train'))}
            title="Train the graph (Ctrl+Enter)"
            data-testid="dock-train"
          >
            Train
          </button>
        )}
      </div>
      {/* Kept mounted while folded, so a running training keeps its state. */}
      <div className="dock-body">
        <TrainingPanel store={store} doc={doc} selectedNodeId={selectedNodeId} />
      </div>
    </section>
  );
}
