/** The editor page: header, palette, canvas, inspector, training dock, messages. */
import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { stillFitted, useLegibleFit } from './canvas/legible-fit';
import type { GraphStore } from '../../document/store';
import { EditorProvider, useEditor } from './editor-context';
import { MessageArea, MessagesProvider, useNotify } from './messages';
import { StoreContext } from './canvas/store-context';
import { Canvas } from './canvas/Canvas';
import { Header } from './Header';
import { Palette } from './panels/Palette';
import { Inspector } from './panels/Inspector';
import { TrainingDock } from './TrainingDock';
import { PanelBoundary } from './PanelBoundary';
import { SynthesisDock } from './synthesis/SynthesisDock';
import { Gallery } from './files/Gallery';
import { replaceDocument } from './files/useOpenDocument';
import { addNode } from './graph/ops';
import { emptyDocument } from '../../document/graph';
import type { Startup } from './startup';
import { LIMITS, setPrefs, useLayoutPrefs } from './layout/prefs';
import { RAIL_WIDTH, SidePanel } from './layout/SidePanel';
import './layout/layout.css';
import { useShareLinks, fitSoonRef } from './files/useShareLinks';
import { LessonPanel } from './lesson/LessonPanel';
import { useCurrentStep } from './lesson/useCurrentStep';
import { useLessonState } from './lesson/lesson-state';

export function App({ store, start }: { store: GraphStore; start: Startup }) {
  return (
    <StoreContext.Provider value={store}>
      <MessagesProvider>
        <EditorProvider store={store}>
          <ReactFlowProvider>
            <PanelBoundary name="editor" className="app">
              <Layout start={start} />
            </PanelBoundary>
          </ReactFlowProvider>
        </EditorProvider>
      </MessagesProvider>
    </StoreContext.Provider>
  );
}

function Layout({ start }: { start: Startup }) {
  const { store, setSelected } = useEditor();
  const notify = useNotify();
  const flow = useReactFlow();
  const [gallery, setGallery] = useState(start.showGallery);
  const prefs = useLayoutPrefs();
  const { step } = useCurrentStep();
  const lessonPanel = step?.target && 'panel' in step.target ? step.target.panel : undefined;
  useEffect(() => {
    for (const m of start.messages) notify(m.kind, m.text, m.detail);
    performance.mark('wavegraph:interactive');
  }, [start, notify]);
  const legibleFit = useLegibleFit();
  const fitSoon = useMemo(() => fitSoonRef(legibleFit), [legibleFit]);
  // Folding or opening the lesson card changes the room beside and below it: fit again,
  // unless the user has moved the view since the last fit.
  const lessonOpen = useLessonState().open;
  useEffect(() => {
    if (!stillFitted(flow.getViewport())) return;
    const t = setTimeout(() => legibleFit({ duration: 200 }), 50); // after the card's layout
    return () => clearTimeout(t);
  }, [lessonOpen, flow, legibleFit]);
  useShareLinks(store, fitSoon);
  const addAtCentre = (type: string) => {
    const el = document.querySelector('.canvas')?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({
      x: (el?.left ?? 0) + (el?.width ?? 800) / 2,
      y: (el?.top ?? 0) + (el?.height ?? 600) / 2,
    });
    let id = '';
    store.transact((d) => void (id = addNode(d, type, at)), `Add ${type}`);
    setSelected(new Set([id]));
  };
  return (
    <div className={`app${prefs.presenter ? ' presenter' : ''}`} data-lesson-panel={lessonPanel}>
      <PanelBoundary name="header" className="topbar">
        <Header onTemplates={() => setGallery(true)} />
      </PanelBoundary>
      <main className="workspace" style={{ gridTemplateColumns: columns(prefs) }}>
        {!prefs.presenter && (
          <SidePanel
            side="left"
            title="Palette"
            open={prefs.paletteOpen}
            width={prefs.paletteWidth}
            limits={LIMITS.paletteWidth}
            onOpen={(o) => setPrefs({ paletteOpen: o })}
            onResize={(w) => setPrefs({ paletteWidth: w })}
            testId="palette-panel"
          >
            <PanelBoundary name="palette" className="palette">
              <Palette onAdd={addAtCentre} />
            </PanelBoundary>
          </SidePanel>
        )}
        <div className="centre">
          {/* The lesson card floats over the canvas, never over the dock below it. */}
          <div className="canvas-area">
            <PanelBoundary name="canvas" className="canvas">
              <Canvas />
            </PanelBoundary>
            <PanelBoundary name="lesson">
              <LessonPanel />
            </PanelBoundary>
          </div>
          <PanelBoundary name="training panel" className="dock">
            <TrainingDock />
          </PanelBoundary>
          <PanelBoundary name="synthesis panel" className="dock">
            <SynthesisDock />
          </PanelBoundary>
        </div>
        {!prefs.presenter && (
          <SidePanel
            side="right"
            title="Inspector"
            open={prefs.inspectorOpen}
            width={prefs.inspectorWidth}
            limits={LIMITS.inspectorWidth}
            onOpen={(o) => setPrefs({ inspectorOpen: o })}
            onResize={(w) => setPrefs({ inspectorWidth: w })}
            testId="inspector-panel"
          >
            <PanelBoundary name="inspector" className="inspector">
              <Inspector />
            </PanelBoundary>
          </SidePanel>
        )}
      </main>
      <MessageArea />
      {gallery && (
        <PanelBoundary name="template gallery">
          <Gallery
            onClose={() => setGallery(false)}
            onEmpty={() => {
              replaceDocument(store, emptyDocument(), 'New graph');
              setGallery(false);
            }}
            onPick={(t) => {
              replaceDocument(store, t.doc, `Open template ${t.name}`);
              setGallery(false);
              fitSoon();
            }}
          />
        </PanelBoundary>
      )}
    </div>
  );
}

/** The workspace's columns: a folded panel keeps a narrow rail; presenter mode gives the canvas everything. */
function columns(p: ReturnType<typeof useLayoutPrefs>): string {
  if (p.presenter) return 'minmax(0, 1fr)';
  const side = (open: boolean, width: number) => `${open ? width : RAIL_WIDTH}px`;
  return `${side(p.paletteOpen, p.paletteWidth)} minmax(0, 1fr) ${side(p.inspectorOpen, p.inspectorWidth)}`;
}
