/**
 * What every panel of the editor shares: the store, the current document and its
 * analysis (recomputed on every edit; analyze is pure and fast), and the selection,
 * which is local UI state and never written into the document.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { analyze, type Analysis } from '../../compiler/index';
import type { GraphDocument } from '../../document/graph';
import type { GraphStore } from '../../document/store';
import { useGraph } from './store/useGraph';

export interface Editor {
  store: GraphStore;
  doc: GraphDocument;
  analysis: Analysis;
  selected: ReadonlySet<string>;
  setSelected: (ids: ReadonlySet<string>) => void;
}

const Ctx = createContext<Editor | null>(null);

export function EditorProvider({ store, children }: { store: GraphStore; children: ReactNode }) {
  const doc = useGraph(store);
  const analysis = useMemo(() => analyze(doc, { partial: true }), [doc]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const value = useMemo(() => ({ store, doc, analysis, selected, setSelected }), [store, doc, analysis, selected]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useEditor(): Editor {
  const e = useContext(Ctx);
  if (!e) throw new Error('useEditor outside EditorProvider');
  return e;
}
