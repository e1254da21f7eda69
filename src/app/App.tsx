/** The editor page: header, palette, canvas, inspector, training dock, messages. */
import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
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
import { useShareLinks, fitSoonRef } from './files/useShareLinks';

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
  useEffect(() => {
    for (const m of start.messages) notify(m.kind, m.text, m.detail);
    performance.mark('wavegraph:interactive');
  }, [start, notify]);
  const fitSoon = useMemo(() => fitSoonRef(flow), [flow]);
  useShareLinks(store, fitSoon);
  const addAtCentre = (type: string) => {
    const el = document.querySelector('.canvas')?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({ x: (el?.left ?? 0) + (el?.width ?? 800) / 2, y: (el?.top ?? 0) + (el?.height ?? 600) / 2 });
    let id = '';
    store.transact((d) => void (id = addNode(d, type, at)), `Add ${type}`);
    setSelected(new Set([id]));
  };
  return (
    <div className="app">
      <PanelBoundary name="header" className="topbar">
        <Header onTemplates={() => setGallery(true)} />
      </PanelBoundary>
      <main className="workspace">
        <PanelBoundary name="palette" className="palette">
          <Palette onAdd={addAtCentre} />
        </PanelBoundary>
        <div className="centre">
          <PanelBoundary name="canvas" className="canvas">
            <Canvas />
          </PanelBoundary>
          <PanelBoundary name="training panel" className="dock">
            <TrainingDock />
          </PanelBoundary>
          <PanelBoundary name="synthesis panel" className="dock">
            <SynthesisDock />
          </PanelBoundary>
        </div>
        <PanelBoundary name="inspector" className="inspector">
          <Inspector />
        </PanelBoundary>
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
