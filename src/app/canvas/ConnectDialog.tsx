/**
 * Connecting ports from the keyboard: with a node selected, C lists every edge that may
 * be drawn from or to it (only those the connection check accepts), filtered as you
 * type; arrows choose, Enter connects, Escape closes. Each entry reads as a sentence, so
 * a screen reader says what will be wired to what.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Analysis } from '../../../compiler/index';
import type { GraphDocument } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import { checkConnection } from '../graph/connection-check';

export interface Candidate {
  from: { node: string; port: string };
  to: { node: string; port: string };
  label: string;
}

const title = (doc: GraphDocument, id: string) => {
  const n = doc.nodes.find((x) => x.id === id);
  return n?.label ?? getNodeDefinition(n?.type ?? '')?.title ?? id;
};

/** Every edge the check accepts between `nodeId` and another node, outputs of `nodeId` first. */
export function candidates(doc: GraphDocument, analysis: Analysis, nodeId: string): Candidate[] {
  const self = doc.nodes.find((n) => n.id === nodeId);
  const def = self && getNodeDefinition(self.type);
  if (!self || !def) return [];
  const out: Candidate[] = [];
  const add = (from: { node: string; port: string }, to: { node: string; port: string }) => {
    if (!checkConnection(doc, analysis, from, to).ok) return;
    out.push({ from, to, label: `${title(doc, from.node)} “${from.port}” → ${title(doc, to.node)} “${to.port}”` });
  };
  for (const other of doc.nodes) {
    if (other.id === nodeId) continue;
    const od = getNodeDefinition(other.type);
    if (!od) continue;
    for (const o of def.outputs)
      for (const i of od.inputs) add({ node: nodeId, port: o.name }, { node: other.id, port: i.name });
  }
  for (const other of doc.nodes) {
    if (other.id === nodeId) continue;
    const od = getNodeDefinition(other.type);
    if (!od) continue;
    for (const o of od.outputs)
      for (const i of def.inputs) add({ node: other.id, port: o.name }, { node: nodeId, port: i.name });
  }
  return out;
}

export function ConnectDialog(props: {
  doc: GraphDocument;
  analysis: Analysis;
  nodeId: string;
  onPick(c: Candidate): void;
  onClose(): void;
}) {
  const { doc, analysis, nodeId, onPick, onClose } = props;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const all = useMemo(() => candidates(doc, analysis, nodeId), [doc, analysis, nodeId]);
  const shown = useMemo(() => {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((c) => words.every((w) => `${c.label} ${c.from.node} ${c.to.node}`.toLowerCase().includes(w)));
  }, [all, query]);
  const listId = 'connect-options';
  return (
    <div
      className="add-search connect-dialog"
      role="dialog"
      aria-label={`Connect ${title(doc, nodeId)}`}
      data-testid="connect-dialog"
    >
      <input
        ref={input}
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={shown[active] ? `connect-${active}` : undefined}
        aria-label={`Connect ${title(doc, nodeId)} to…`}
        placeholder={`Connect ${title(doc, nodeId)} to…`}
        value={query}
        data-testid="connect-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && shown[active]) onPick(shown[active]);
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul id={listId} role="listbox" aria-label="Possible connections">
        {shown.map((c, i) => (
          <li
            key={`${c.from.node}.${c.from.port}>${c.to.node}.${c.to.port}`}
            id={`connect-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            data-testid={`connect-${c.from.node}.${c.from.port}-${c.to.node}.${c.to.port}`}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(c);
            }}
          >
            {c.label}
          </li>
        ))}
        {shown.length === 0 && (
          <li className="empty">
            {all.length ? 'No connection matches.' : 'Nothing can be connected to this node yet.'}
          </li>
        )}
      </ul>
    </div>
  );
}
