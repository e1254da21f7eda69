/** What a node computes, in the words of its declaration: formula, intuition, reference, ports. */
import type { AnyNodeDefinition, TensorSpec } from '../../../nodes/types';
import { KIND_COLOURS, kindColour } from '../kinds';

export function HelpPanel({
  def,
  inputs,
  outputs,
}: {
  def: AnyNodeDefinition;
  inputs?: Record<string, TensorSpec | undefined>;
  outputs?: Record<string, TensorSpec>;
}) {
  return (
    <section className="help" data-testid="help-panel">
      <p className="help-summary">{def.doc.summary}</p>
      <h4>Formula</h4>
      <pre className="help-formula">{def.doc.formula}</pre>
      <h4>Intuition</h4>
      <p>{def.doc.intuition}</p>
      {def.doc.reference && (
        <>
          <h4>Reference</h4>
          <p className="help-ref">{def.doc.reference}</p>
        </>
      )}
      <h4>Ports</h4>
      <ul className="help-ports">
        {def.inputs.map((p) => (
          <PortLine key={`i${p.name}`} dir="in" name={p.name} kinds={p.kinds} doc={p.doc} spec={inputs?.[p.name]} />
        ))}
        {def.outputs.map((p) => (
          <PortLine key={`o${p.name}`} dir="out" name={p.name} kinds={p.kinds} doc={p.doc} spec={outputs?.[p.name]} />
        ))}
      </ul>
    </section>
  );
}

function PortLine({
  dir,
  name,
  kinds,
  doc,
  spec,
}: {
  dir: string;
  name: string;
  kinds: string[];
  doc: string;
  spec?: TensorSpec;
}) {
  const colour = spec ? KIND_COLOURS[spec.kind] : kindColour(kinds as never);
  return (
    <li>
      <i style={{ background: colour }} />
      <b>
        {dir} {name}
      </b>{' '}
      <span className="muted">{spec ? `${spec.kind} [${spec.shape.join(', ')}]` : kinds.join(' | ')}</span>
      <div className="muted">{doc}</div>
    </li>
  );
}
