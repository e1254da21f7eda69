/**
 * The editing commands, shared by keyboard shortcuts, the header and the context of
 * the canvas. Each document change is one store transaction, hence one undo step.
 */
import { useMemo, useRef } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useLegibleFit } from './canvas/legible-fit';
import { copySelection, moveNodes, pasteClip, removeElements, type Clip } from './graph/ops';
import { collapseGroup, expandGroup } from './graph/groups';
import { autoLayout } from './graph/layout';
import { downloadDocument } from './files/file-io';
import { useEditor } from './editor-context';
import { useNotify } from './messages';
import { confirmDeleteEdited, useCollab } from './collab/context';
import { emit } from './app-events';

declare global {
  interface WindowEventMap {
    /** Start or resume training (the training panel listens). */
    'wavegraph:train': CustomEvent<undefined>;
  }
}

let clipboard: Clip | undefined;

export interface Commands {
  deleteSelection(edgeIds?: Iterable<string>): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  undo(): void;
  redo(): void;
  /** Fit the view, never below legible node titles (F). */
  fit(): void;
  /** Show the whole graph however small it gets (Shift+F): an overview, not for reading. */
  fitAll(): void;
  layout(): Promise<void>;
  save(): void;
  train(): void;
  expand(nodeId: string): void;
  collapse(groupId: string): void;
}

export function useCommands(selectedEdges: ReadonlySet<string> = new Set()): Commands {
  const editor = useEditor();
  const flow = useReactFlow();
  const notify = useNotify();
  const collab = useCollab();
  const legibleFit = useLegibleFit();
  // Commands are called from event handlers; reading the latest editor state through a ref keeps them stable.
  const ref = useRef({ editor, selectedEdges, collab });
  ref.current = { editor, selectedEdges, collab };
  return useMemo<Commands>(() => {
    const paste = (clip: Clip, offset: number) => {
      const { store, setSelected } = ref.current.editor;
      let ids: string[] = [];
      store.transact((d) => {
        ids = pasteClip(d, clip, { x: offset, y: offset });
      }, 'Paste');
      setSelected(new Set(ids));
    };
    return {
      deleteSelection(edgeIds) {
        const { store, selected, setSelected } = ref.current.editor;
        const edges = [...(edgeIds ?? ref.current.selectedEdges)];
        if (!selected.size && !edges.length) return;
        if (!confirmDeleteEdited(ref.current.collab.room, selected)) return;
        store.transact((d) => removeElements(d, selected, edges), 'Delete');
        setSelected(new Set());
      },
      copy() {
        const { doc, selected } = ref.current.editor;
        if (!selected.size) return;
        clipboard = copySelection(doc, selected);
        notify('info', `Copied ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}.`);
      },
      paste() {
        if (clipboard?.nodes.length) paste(clipboard, 40);
      },
      duplicate() {
        const { doc, selected } = ref.current.editor;
        if (selected.size) paste(copySelection(doc, selected), 40);
      },
      undo: () => ref.current.editor.store.undo(),
      redo: () => ref.current.editor.store.redo(),
      fit: () => legibleFit({ duration: 200 }),
      fitAll: () => void flow.fitView({ padding: 0.15, duration: 200 }),
      async layout() {
        const { store, doc } = ref.current.editor;
        const sizes = new Map<string, { width: number; height: number }>();
        for (const n of flow.getNodes())
          sizes.set(n.id, { width: n.measured?.width ?? 190, height: n.measured?.height ?? 110 });
        const positions = await autoLayout(doc, sizes);
        store.transact((d) => moveNodes(d, positions), 'Auto-layout');
        requestAnimationFrame(() => legibleFit({ duration: 200 }));
      },
      save() {
        downloadDocument(ref.current.editor.doc);
        notify('success', 'Graph saved as a file.');
      },
      train() {
        emit('wavegraph:train', undefined);
      },
      expand(nodeId) {
        const { store, doc, analysis } = ref.current.editor;
        const edge = doc.edges.find((e) => e.target === nodeId);
        const spec = edge ? analysis.shapes.edges.get(edge.id) : undefined;
        store.transact((d) => void expandGroup(d, nodeId, spec), 'Expand block');
      },
      collapse(groupId) {
        ref.current.editor.store.transact((d) => void collapseGroup(d, groupId), 'Collapse block');
        ref.current.editor.setSelected(new Set([groupId]));
      },
    };
  }, [flow, notify, legibleFit]);
}
