/** The node library: every registered type, grouped by category, searchable, draggable onto the canvas. */
import { useMemo, useState } from 'react';
import { KIND_COLOURS, kindColour } from '../kinds';
import { PALETTE_MIME } from '../canvas/Canvas';
import { paletteGroups } from './palette-data';

export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(query), [query]);
  return (
    <aside className="palette" aria-label="Node library">
      <input
        className="palette-search"
        aria-label="Search blocks"
        placeholder="Search blocks…"
        value={query}
        data-testid="palette-search"
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="palette-list">
        {groups.map(([cat, defs]) => (
          <section key={cat}>
            <h3>{cat}</h3>
            {defs.map((def) => (
              <div
                key={def.type}
                className="palette-entry"
                data-testid={`palette-${def.type}`}
                draggable
                tabIndex={0}
                role="button"
                aria-label={`${def.title}: ${def.doc.summary} Press Enter to add.`}
                onKeyDown={(e) => e.key === 'Enter' && onAdd(def.type)}
                title={`${def.doc.summary}\nDrag onto the canvas, or double-click (or Enter) to add.`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(PALETTE_MIME, def.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => onAdd(def.type)}
              >
                <span className="palette-ports">
                  {def.inputs.length > 0 && <i style={{ background: kindColour(def.inputs[0].kinds) }} />}
                  <i style={{ background: def.outputs[0] ? kindColour(def.outputs[0].kinds) : 'transparent' }} />
                </span>
                <span className="palette-title">{def.title}</span>
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted">No block matches “{query}”.</p>}
      </div>
      <div className="legend">
        {Object.entries(KIND_COLOURS).map(([k, c]) => (
          <span key={k}>
            <i data-kind={k} style={{ background: c }} />
            {k}
          </span>
        ))}
      </div>
    </aside>
  );
}
