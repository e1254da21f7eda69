/**
 * Search-to-add: opened by a double-click on the empty canvas, or by dropping a dragged
 * edge there (then only node types that can take that edge are listed, and the new
 * node is wired in).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { allNodeDefinitions } from '../../../nodes/registry';
import type { AnyNodeDefinition, PortKind } from '../../../nodes/types';
import { KIND_COLOURS } from '../kinds';
import { matches } from '../panels/palette-data';

export interface SearchRequest {
  screen: { x: number; y: number };
  flow: { x: number; y: number };
  /** Set when opened by dropping an edge from this output. */
  from?: { node: string; port: string; kinds: PortKind[] };
}

export function AddNodeSearch({
  request,
  onPick,
  onClose,
}: {
  request: SearchRequest;
  onPick: (type: string, inPort?: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const results = useMemo(() => {
    const out: { def: AnyNodeDefinition; port?: string }[] = [];
    for (const def of allNodeDefinitions()) {
      if (!matches(def, query)) continue;
      if (request.from) {
        const port = def.inputs.find((p) => p.kinds.some((k) => request.from!.kinds.includes(k)));
        if (port) out.push({ def, port: port.name });
      } else out.push({ def });
    }
    return out;
  }, [query, request]);
  const pick = (i: number) => results[i] && onPick(results[i].def.type, results[i].port);
  return (
    <div
      className="add-search"
      style={{ left: request.screen.x, top: request.screen.y }}
      data-testid="add-search"
      onMouseDown={(e) => e.stopPropagation()}
    >
      <input
        ref={input}
        placeholder={request.from ? 'Add a node that takes this edge…' : 'Add a node…'}
        value={query}
        data-testid="add-search-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(active);
          e.stopPropagation();
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul>
        {results.map((r, i) => (
          <li
            key={r.def.type}
            className={i === active ? 'active' : ''}
            data-testid={`add-search-${r.def.type}`}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(i);
            }}
          >
            <span className="dot" style={{ background: KIND_COLOURS[r.def.outputs[0]?.kinds[0] ?? 'map'] }} />
            <span className="add-search-title">{r.def.title}</span>
            <span className="add-search-cat">{r.def.category}</span>
          </li>
        ))}
        {results.length === 0 && <li className="empty">No node type matches.</li>}
      </ul>
    </div>
  );
}
