/** The right panel: the selected node's params, problems and help; or the graph's summary. */
import type { TensorSpec } from '../../../nodes/types';
import { useEditor } from '../editor-context';
import { setParam } from '../graph/ops';
import { ParamField } from '../params/ParamField';
import { formatCount } from '../kinds';
import { HelpPanel } from './HelpPanel';
import { GraphSummary } from './GraphSummary';
import { useReadOnly } from '../collab/context';

export function Inspector() {
  const { store, doc, analysis, selected } = useEditor();
  const readOnly = useReadOnly();
  const id = selected.size === 1 ? [...selected][0] : undefined;
  const node = id ? doc.nodes.find((n) => n.id === id) : undefined;
  const v = node ? analysis.validation.nodes.get(node.id) : undefined;
  if (!node || !v)
    return (
      <aside className="inspector">
        <GraphSummary />
      </aside>
    );
  const def = v.def;
  const diags = analysis.diagnostics.filter((d) => d.nodeId === node.id);
  const count = analysis.shapes.paramCounts.get(node.id);
  const inputs: Record<string, TensorSpec | undefined> = {};
  for (const [port, edges] of Object.entries(v.inputs))
    inputs[port] = edges[0] ? analysis.shapes.edges.get(edges[0].id) : undefined;
  const group = node.group ? doc.groups?.find((g) => g.id === node.group) : undefined;
  return (
    <aside className="inspector" data-testid="inspector">
      <header>
        <div className="inspector-kicker">{def.category}</div>
        <h2>{def.title}</h2>
        <input
          className="inspector-label"
          disabled={readOnly}
          value={node.label ?? ''}
          placeholder={`Label (id: ${node.id})`}
          onChange={(e) => {
            const label = e.target.value;
            store.transact((d) => {
              const n = d.nodes.find((x) => x.id === node.id);
              if (n) label ? (n.label = label) : delete n.label;
            }, `label ${node.id}`);
          }}
        />
        {count && (
          <div className="muted">
            {formatCount(count.trainable)} trainable, {formatCount(count.fixed)} fixed parameters
          </div>
        )}
        {group && (
          <div className="muted">
            Part of the {group.type} block “{group.id}”.
          </div>
        )}
      </header>
      {diags.length > 0 && (
        <ul className="inspector-diags">
          {diags.map((d, i) => (
            <li key={i} className={`diag-${d.severity}`}>
              {d.port && <b>{d.port}: </b>}
              {d.message}
              {d.fix && <div className="muted">{d.fix}</div>}
            </li>
          ))}
        </ul>
      )}
      {Object.keys(def.params).length > 0 && (
        // A read-only room: the fieldset disables every field in it, so they look as they are.
        <fieldset className="inspector-params" disabled={readOnly} data-testid="inspector-params">
          <h4>Parameters{readOnly ? ' (read-only)' : ''}</h4>
          {Object.entries(def.params).map(([name, spec]) => (
            <ParamField
              key={`${node.id}.${name}`}
              name={name}
              spec={spec}
              value={node.params[name]}
              testId={`inspector-${name}`}
              onChange={(val) => store.transact((d) => setParam(d, node.id, name, val), `param ${node.id}.${name}`)}
            />
          ))}
        </fieldset>
      )}
      <HelpPanel def={def} inputs={inputs} outputs={analysis.shapes.outputs.get(node.id)} />
    </aside>
  );
}
