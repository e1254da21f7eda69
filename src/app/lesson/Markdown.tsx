/** A lesson step's text as React elements (markdown.ts parses it; nothing becomes raw HTML). */
import { Fragment, useMemo, type ReactNode } from 'react';
import { parseMarkdown, texParts, type Inline } from './markdown';

/** Math as text, with the scripts Unicode cannot write drawn as <sub>/<sup>. */
function math(tex: string): ReactNode[] {
  return texParts(tex).map((p, i) =>
    p.t === 'sub' ? (
      <sub key={i}>{p.v}</sub>
    ) : p.t === 'sup' ? (
      <sup key={i}>{p.v}</sup>
    ) : (
      <Fragment key={i}>{p.v}</Fragment>
    ),
  );
}

function inline(spans: Inline[]): ReactNode[] {
  return spans.map((s, i) => {
    switch (s.t) {
      case 'text':
        return <Fragment key={i}>{s.v}</Fragment>;
      case 'strong':
        return <strong key={i}>{inline(s.c)}</strong>;
      case 'em':
        return <em key={i}>{inline(s.c)}</em>;
      case 'code':
        return <code key={i}>{s.v}</code>;
      case 'math':
        return (
          <span key={i} className="md-math" title={s.tex}>
            {math(s.tex)}
          </span>
        );
      case 'link':
        return (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">
            {inline(s.c)}
          </a>
        );
    }
  });
}

export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className="md">
      {blocks.map((b, i) => {
        switch (b.t) {
          case 'p':
            return <p key={i}>{inline(b.c)}</p>;
          case 'h':
            return b.level === 1 ? (
              <h3 key={i}>{inline(b.c)}</h3>
            ) : b.level === 2 ? (
              <h4 key={i}>{inline(b.c)}</h4>
            ) : (
              <h5 key={i}>{inline(b.c)}</h5>
            );
          case 'ul':
          case 'ol': {
            const items = b.items.map((it, j) => <li key={j}>{inline(it)}</li>);
            return b.t === 'ul' ? <ul key={i}>{items}</ul> : <ol key={i}>{items}</ol>;
          }
          case 'quote':
            return <blockquote key={i}>{inline(b.c)}</blockquote>;
          case 'math':
            return (
              <div key={i} className="md-math md-math-block" title={b.tex}>
                {math(b.tex)}
              </div>
            );
        }
      })}
    </div>
  );
}
