/** The dock under the canvas where the training panel mounts; it can be folded away. */
import { useState } from 'react';
import { TrainingPanel } from './training/TrainingPanel';
import { useEditor } from './editor-context';

export function TrainingDock() {
  const { store, doc, selected } = useEditor();
  const selectedNodeId = selected.size === 1 ? [...selected][0] : null;
  const [open, setOpen] = useState(true);
  return (
    <section className={`dock ${open ? '' : 'dock-collapsed'}`} aria-label="Training">
      <div className="dock-bar">
        <span>Training</span>
        <button onClick={() => setOpen(!open)} data-testid="dock-toggle" title={open ? 'Hide the training panel' : 'Show the training panel'}>{open ? '▾' : '▸'}</button>
      </div>
      {/* Kept mounted while folded, so a running training keeps its state. */}
      <div className="dock-body">
        <TrainingPanel store={store} doc={doc} selectedNodeId={selectedNodeId} />
      </div>
    </section>
  );
}
