/**
 * The canvas. React Flow's nodes and edges are derived from the document; React Flow
 * only reports gestures (drag, select, connect), and each finished gesture becomes one
 * store transaction.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Controls,
  ReactFlow,
  applyNodeChanges,
  useNodesInitialized,
  useReactFlow,
  useStore as useFlowStore,
  useStoreApi,
  type Connection,
  type NodePositionChange,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { useEditor } from '../editor-context';
import { useCommands } from '../commands';
import { useNotify } from '../messages';
import { addNode, connect, moveNodes } from '../graph/ops';
import { checkConnection, outputKinds } from '../graph/connection-check';
import { useOpenDocument } from '../files/useOpenDocument';
import { deriveEdges, deriveViews, reconcileNodes, type FlowEdge, type FlowNode, type NodeView } from './derive';
import { GraphNodeComponent } from './GraphNode';
import { ShapeEdge } from './ShapeEdge';
import { FarEdges } from './FarEdges';
import { DotGrid } from './DotGrid';
import { OverviewMap } from './OverviewMap';
import { AddNodeSearch, type SearchRequest } from './AddNodeSearch';
import { ConnectionHint, connectionEnds } from './ConnectionHint';
import { FarContext, NodeActionsContext, isFar } from './store-context';
import { useShortcuts } from './useShortcuts';
import { PresenceLayer } from '../collab/PresenceLayer';
import { LessonHighlight } from '../lesson/LessonHighlight';
import { usePresencePublishing } from '../collab/usePresencePublishing';
import { useReadOnly } from '../collab/context';
import { useLegibleFit } from './legible-fit';
import { useLayoutPrefs } from '../layout/prefs';
import { LaserPointer } from '../layout/LaserPointer';
import './port-shapes.css';
import { ConnectDialog } from './ConnectDialog';
import { focusNode, useKeyboardEditing } from './useKeyboardEditing';

const nodeTypes = { graph: GraphNodeComponent };
/** Zoomed far out on a big graph the edges are drawn by FarEdges, not by React Flow. */
const NO_EDGES: FlowEdge[] = [];
const edgeTypes = { shape: ShapeEdge };
export const PALETTE_MIME = 'application/x-wavegraph-node';

export function Canvas() {
  const { store, doc, analysis, selected, setSelected } = useEditor();
  const flow = useReactFlow();
  const flowStore = useStoreApi<FlowNode>();
  const far = useFlowStore(isFar);
  const notify = useNotify();
  const { openFile } = useOpenDocument(store);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState<SearchRequest | null>(null);
  const [connectFor, setConnectFor] = useState<string | null>(null);
  const commands = useCommands(selectedEdges);
  const presence = usePresencePublishing(selected);
  const readOnly = useReadOnly();
  const viewCache = useRef(new Map<string, NodeView>());
  const views = useMemo(() => (viewCache.current = deriveViews(doc, analysis, viewCache.current)), [doc, analysis]);
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  // Fit once when opening a graph; an empty canvas must not jump when its first node lands.
  const [fitOnOpen] = useState(() => doc.nodes.length > 0);
  const legibleFit = useLegibleFit();
  const measured = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!fitOnOpen || fitted.current || !measured) return;
    fitted.current = true;
    legibleFit();
  }, [fitOnOpen, measured, legibleFit]);
  const { mapOpen, presenter } = useLayoutPrefs();
  // Positions of the nodes being dragged, applied straight to React Flow's store: one store
  // update per pointer move, without re-rendering the canvas. They reach the React state
  // (and, when the drag ends, the document) with the next change that goes through it.
  const dragMoves = useRef(new Map<string, NodePositionChange>());
  const withDragMoves = (next: FlowNode[]) =>
    dragMoves.current.size ? applyNodeChanges([...dragMoves.current.values()], next) : next;
  // A document change during a drag (a collaborator's edit) keeps the dragged nodes under the pointer.
  useLayoutEffect(
    () => setNodes((prev) => withDragMoves(reconcileNodes(prev, doc, views, selected))),
    [doc, views, selected],
  );
  const edges = useMemo(() => deriveEdges(doc, analysis, selectedEdges), [doc, analysis, selectedEdges]);

  const onEscape = useCallback(() => {
    setSearch(null);
    setSelected(new Set());
    setSelectedEdges(new Set());
  }, [setSelected]);
  useShortcuts(commands, onEscape);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const moves = changes.filter((c): c is NodePositionChange => c.type === 'position' && !!c.dragging);
      if (moves.length === changes.length) {
        for (const c of moves) dragMoves.current.set(c.id, c);
        const rf = flowStore.getState();
        rf.setNodes(applyNodeChanges(moves, rf.nodes));
        return;
      }
      const pending = [...dragMoves.current.values()];
      dragMoves.current.clear();
      setNodes((prev) => applyNodeChanges([...pending, ...changes], prev));
      const sel = changes.filter((c) => c.type === 'select');
      if (sel.length) {
        const next = new Set(selected);
        for (const c of sel) c.selected ? next.add(c.id) : next.delete(c.id);
        setSelected(next);
      }
    },
    [selected, setSelected, flowStore],
  );
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const sel = changes.filter((c) => c.type === 'select');
    if (!sel.length) return;
    setSelectedEdges((prev) => {
      const next = new Set(prev);
      for (const c of sel) c.selected ? next.add(c.id) : next.delete(c.id);
      return next;
    });
  }, []);

  // While a node is dragged its element captures the pointer: every move then goes to it
  // without a hit test of the whole canvas (about 2 ms per move with 300 nodes in view).
  // A press that never becomes a drag (a click on a button in the node) is left alone.
  const pressed = useRef<{ el: Element; pointerId: number } | null>(null);
  const onPointerDownCapture = useCallback((e: React.PointerEvent) => {
    const el = e.button === 0 ? (e.target as Element).closest('.react-flow__node') : null;
    pressed.current = el ? { el, pointerId: e.pointerId } : null;
  }, []);
  const canvasRef = useRef<HTMLDivElement>(null);
  const onNodeDragStart = useCallback(() => {
    canvasRef.current?.classList.add('canvas-dragging');
    const p = pressed.current;
    if (!p) return;
    try {
      p.el.setPointerCapture(p.pointerId);
    } catch {
      // The pointer was released already: nothing to capture.
    }
  }, []);

  const onNodeDragStop = useCallback(
    (_: unknown, _node: FlowNode, dragged: FlowNode[]) => {
      canvasRef.current?.classList.remove('canvas-dragging');
      const moved = new Map(dragged.map((n) => [n.id, n.position]));
      store.transact((d) => moveNodes(d, moved), 'Move');
      store.stopCapturing();
      presence.onNodeDragStop();
    },
    [store, presence],
  );

  const isValidConnection = useCallback<IsValidConnection>(
    (c) =>
      checkConnection(
        doc,
        analysis,
        { node: c.source, port: c.sourceHandle ?? 'out' },
        { node: c.target, port: c.targetHandle ?? 'in' },
      ).ok,
    [doc, analysis],
  );
  const onConnect = useCallback(
    (c: Connection) =>
      store.transact(
        (d) =>
          void connect(
            d,
            { node: c.source, port: c.sourceHandle ?? 'out' },
            { node: c.target, port: c.targetHandle ?? 'in' },
          ),
        'Connect',
      ),
    [store],
  );
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromHandle) return;
      if (state.toHandle) {
        const { src, dst } = connectionEnds(state.fromHandle, state.toHandle);
        const verdict = checkConnection(doc, analysis, src, dst);
        if (!verdict.ok) notify('error', 'Connection refused.', verdict.reason);
        return;
      }
      const pt = 'changedTouches' in event ? event.changedTouches[0] : event;
      // Only a drop on empty canvas (or on an edge) opens the search; not one on a node.
      const under = document.elementFromPoint(pt.clientX, pt.clientY);
      if (
        state.fromHandle.type !== 'source' ||
        !under?.closest('.react-flow') ||
        under.closest('.react-flow__node, .react-flow__panel')
      )
        return;
      const from = doc.nodes.find((n) => n.id === state.fromHandle!.nodeId);
      if (!from) return;
      const port = state.fromHandle.id ?? 'out';
      setSearch({
        screen: { x: pt.clientX, y: pt.clientY },
        flow: flow.screenToFlowPosition({ x: pt.clientX, y: pt.clientY }),
        from: { node: from.id, port, kinds: outputKinds(analysis, from.id, from.type, port) },
      });
    },
    [doc, analysis, flow, notify],
  );

  const placeNode = useCallback(
    (type: string, at: { x: number; y: number }, wire?: { node: string; port: string; inPort: string }) => {
      let id = '';
      store.transact((d) => {
        id = addNode(d, type, at);
        if (wire) connect(d, { node: wire.node, port: wire.port }, { node: id, port: wire.inPort });
      }, `Add ${type}`);
      setSelected(new Set([id]));
      return id;
    },
    [store, setSelected],
  );

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      e.preventDefault();
      if (readOnly) return;
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (type) return placeNode(type, flow.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 20 }));
      const file = e.dataTransfer.files?.[0];
      if (file) void openFile(file);
    },
    [flow, placeNode, openFile, readOnly],
  );
  const onDoubleClick = useCallback(
    (e: React.MouseEvent) => {
      if (readOnly || !(e.target as Element).classList.contains('react-flow__pane')) return;
      setSearch({
        screen: { x: e.clientX, y: e.clientY },
        flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }),
      });
    },
    [flow, readOnly],
  );
  useKeyboardEditing({
    enabled: !readOnly,
    add() {
      // Right of the selected node, else in the middle of the view.
      const one = selected.size === 1 ? flow.getInternalNode([...selected][0]) : undefined;
      const r = canvasRef.current!.getBoundingClientRect();
      const at = one
        ? {
            x: one.internals.positionAbsolute.x + (one.measured.width ?? 180) + 60,
            y: one.internals.positionAbsolute.y,
          }
        : flow.screenToFlowPosition({ x: r.left + r.width / 2 - 90, y: r.top + r.height / 2 - 40 });
      setSearch({ screen: { x: r.left + r.width / 2 - 150, y: r.top + 60 }, flow: at });
    },
    connect() {
      if (selected.size === 1) setConnectFor([...selected][0]);
      else notify('info', 'Select one node first (Tab to it, then Enter), then press C to connect it.');
    },
  });
  const actions = useMemo(() => ({ expand: commands.expand, collapse: commands.collapse }), [commands]);
  // The overlays keep their identity while a node is dragged (only `nodes` changes then),
  // so React skips them on every drag frame.
  const overlays = useMemo(
    () => (
      <>
        <DotGrid gap={22} radius={0.65} colour="#2c3340" />
        <OverviewMap open={mapOpen} />
        <Controls showInteractive={false} onFitView={() => legibleFit({ duration: 200 })} />
        <ConnectionHint doc={doc} analysis={analysis} />
        <PresenceLayer />
        <LessonHighlight />
      </>
    ),
    [doc, analysis, mapOpen, legibleFit],
  );

  return (
    <div
      ref={canvasRef}
      className={`canvas${readOnly ? ' canvas-readonly' : ''}`}
      data-testid="canvas"
      data-readonly={readOnly || undefined}
      onPointerMove={presence.onPointerMove}
      onPointerLeave={presence.onPointerLeave}
      onPointerDownCapture={onPointerDownCapture}
      onDoubleClick={onDoubleClick}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <NodeActionsContext.Provider value={actions}>
        <FarContext.Provider value={far}>
          <ReactFlow<FlowNode>
            nodes={nodes}
            edges={far ? NO_EDGES : edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStart={onNodeDragStart}
            onNodeDrag={presence.onNodeDrag}
            onNodeDragStop={onNodeDragStop}
            onMove={presence.onMove}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            deleteKeyCode={null}
            zoomOnDoubleClick={false}
            minZoom={0.1}
            maxZoom={2.5}
            proOptions={{ hideAttribution: true }}
            colorMode="dark"
            // Zoomed in on a big graph, only what is in view is mounted. Zoomed far out every
            // node is small and cheap, and most are in view: mounting them all spares React
            // Flow a visibility test of every node and edge on each store update (each pointer
            // move of a drag).
            onlyRenderVisibleElements={nodes.length > 120 && !far}
          >
            {overlays}
            {far && <FarEdges edges={edges} />}
          </ReactFlow>
        </FarContext.Provider>
      </NodeActionsContext.Provider>
      {presenter && <LaserPointer />}
      {doc.nodes.length === 0 && (
        <div className="canvas-empty">Drag a block from the palette, or double-click here to search.</div>
      )}
      {search && (
        <AddNodeSearch
          request={search}
          onClose={() => setSearch(null)}
          onPick={(type, inPort) => {
            const id = placeNode(
              type,
              search.flow,
              search.from && inPort ? { node: search.from.node, port: search.from.port, inPort } : undefined,
            );
            setSearch(null);
            focusNode(id);
          }}
        />
      )}
      {connectFor && (
        <ConnectDialog
          doc={doc}
          analysis={analysis}
          nodeId={connectFor}
          onClose={() => setConnectFor(null)}
          onPick={(c) => {
            store.transact((d) => void connect(d, c.from, c.to), 'Connect');
            setConnectFor(null);
            focusNode(connectFor);
          }}
        />
      )}
    </div>
  );
}
