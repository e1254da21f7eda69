/** The template gallery: every graph in templates/ with the one line that says what it teaches. */
import { templates, type Template } from './templates';
import { KIND_COLOURS } from '../kinds';
import { getNodeDefinition } from '../../../nodes/registry';

export function Gallery({
  onPick,
  onClose,
  onEmpty,
}: {
  onPick: (t: Template) => void;
  onClose: () => void;
  onEmpty: () => void;
}) {
  return (
    <div className="modal-backdrop" onMouseDown={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div
        className="gallery"
        role="dialog"
        aria-modal
        aria-label="Templates"
        data-testid="gallery"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <header>
          <h2>Start from a template</h2>
          <button className="ghost" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        <div className="gallery-grid">
          {templates.map((t, i) => (
            // The first card takes the focus, so the gallery works from the keyboard at once (Escape closes it).
            <button
              key={t.name}
              className="gallery-card"
              data-testid={`template-${t.name}`}
              onClick={() => onPick(t)}
              autoFocus={i === 0}
            >
              <Strip t={t} />
              <b>{t.title}</b>
              <span>{t.summary}</span>
              <small className="muted">
                {t.doc.nodes.length} nodes · ?template={t.name}
              </small>
            </button>
          ))}
          <button className="gallery-card gallery-empty" data-testid="template-empty" onClick={onEmpty}>
            <b>Empty canvas</b>
            <span>Build a network yourself from the palette.</span>
          </button>
        </div>
      </div>
    </div>
  );
}

/** A row of dots, one per node in flow order, coloured by what each node outputs. */
function Strip({ t }: { t: Template }) {
  const nodes = [...t.doc.nodes].sort((a, b) => a.position.x - b.position.x).slice(0, 24);
  return (
    <span className="gallery-strip">
      {nodes.map((n) => {
        const k = getNodeDefinition(n.type)?.outputs[0]?.kinds[0];
        return <i key={n.id} style={{ background: k ? KIND_COLOURS[k] : '#555' }} />;
      })}
    </span>
  );
}
