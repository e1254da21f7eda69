/**
 * The one node component: everything it shows comes from the node type's declaration
 * (title, ports, params, docs) and the analysis (shapes, param count, problems).
 */
import { memo, useContext, useState } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { PortDef, TensorSpec } from '../../../nodes/types';
import { setParam } from '../graph/ops';
import { canExpand, unrolledSteps } from '../graph/groups';
import { ParamField } from '../params/ParamField';
import { KIND_COLOURS, KIND_LABELS, formatCount, kindColour, shapeLabel } from '../kinds';
import type { FlowNode } from './derive';
import { FarContext, NodeActionsContext, useStore } from './store-context';

function portColour(port: PortDef, spec: TensorSpec | undefined): string {
  return spec ? KIND_COLOURS[spec.kind] : kindColour(port.kinds);
}

function Port({ nodeId, port, side, spec }: { nodeId: string; port: PortDef; side: 'in' | 'out'; spec?: TensorSpec }) {
  const colour = portColour(port, spec);
  const complex = spec ? spec.kind === 'complex' : port.kinds.length === 1 && port.kinds[0] === 'complex';
  const tip = `${port.name}: ${spec ? `${spec.kind} [${spec.shape.join(', ')}]` : port.kinds.join(' | ')}${spec ? '' : ' (shape unknown until connected)'} — ${
    spec ? KIND_LABELS[spec.kind] : port.doc
  }`;
  return (
    <div className={`port-row port-row-${side}`}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={port.name}
        data-testid={`port-${nodeId}-${side}-${port.name}`}
        data-kind={spec?.kind ?? port.kinds.join(' ')}
        className={`port ${complex ? 'port-complex' : ''} ${port.multi ? 'port-multi' : ''}`}
        style={{ '--port': colour } as React.CSSProperties}
      >
        <span className="port-tip" role="tooltip">
          {tip}
        </span>
      </Handle>
      <span className="port-name">{port.name}</span>
    </div>
  );
}

function GraphNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const store = useStore();
  const actions = useContext(NodeActionsContext);
  const [open, setOpen] = useState(false);
  // Zoomed far out, a node shows only its title and ports: far less to lay out and paint.
  const far = useContext(FarContext);
  const { node, def, inputs, outputs, paramCount, diagnostics } = data.view;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity !== 'error');

  if (!def) {
    return (
      <div className="gnode gnode-error" data-testid={`node-${id}`}>
        <div className="gnode-title">{node.label ?? node.type}</div>
        <div className="gnode-diag">Unknown node type “{node.type}”.</div>
      </div>
    );
  }
  // Parts of an expanded block take their params from the block, so they stay compact.
  const main = node.group ? [] : Object.entries(def.params).filter(([, s]) => s.main);
  const firstOut = def.outputs[0] ? outputs?.[def.outputs[0].name] : undefined;
  const steps = open ? unrolledSteps(node.type, node.params) : [];
  // A block with unrolled steps opens in place; a composite is replaced by its parts.
  const unrolls = !!def.unrolledSteps;
  const expandable = canExpand(node.type) || unrolls;
  return (
    <div
      className={`gnode ${errors.length ? 'gnode-error' : warnings.length ? 'gnode-warning' : ''} ${selected ? 'gnode-selected' : ''} ${node.group ? 'gnode-grouped' : ''} ${far ? 'gnode-far' : ''}`}
      data-testid={`node-${id}`}
      data-type={node.type}
      style={
        {
          '--accent': firstOut ? KIND_COLOURS[firstOut.kind] : kindColour(def.outputs[0]?.kinds ?? []),
        } as React.CSSProperties
      }
    >
      <div className="gnode-title" title={def.doc.summary}>
        <span className="gnode-name">
          {far ? shorten(node.label ?? def.title, 24) : (node.label ?? def.title)}
          {!far && <span className="gnode-id">{id}</span>}
        </span>
        {expandable && (
          <button
            className="gnode-expand nodrag"
            title={unrolls ? 'Show the unrolled steps' : 'Expand into its parts'}
            data-testid={`expand-${id}`}
            onClick={() => (unrolls ? setOpen(!open) : actions.expand(id))}
          >
            {unrolls && open ? '▾' : '▸'}
          </button>
        )}
        {node.group && (
          <button
            className="gnode-expand nodrag"
            title="Collapse the block"
            data-testid={`collapse-${node.group}`}
            onClick={() => actions.collapse(node.group!)}
          >
            ⤡
          </button>
        )}
      </div>
      <div className="gnode-ports">
        <div className="gnode-col">
          {def.inputs.map((p) => (
            <Port key={p.name} nodeId={id} port={p} side="in" spec={inputs[p.name]} />
          ))}
        </div>
        <div className="gnode-col gnode-col-out">
          {def.outputs.map((p) => (
            <Port key={p.name} nodeId={id} port={p} side="out" spec={outputs?.[p.name]} />
          ))}
        </div>
      </div>
      {!far && main.length > 0 && (
        <div className="gnode-params">
          {main.map(([name, spec]) => (
            <ParamField
              key={name}
              compact
              name={name}
              spec={spec}
              value={node.params[name]}
              testId={`param-${id}-${name}`}
              onChange={(v) => store.transact((d) => setParam(d, id, name, v), `param ${id}.${name}`)}
            />
          ))}
        </div>
      )}
      {!far && steps.length > 0 && (
        <ol className="gnode-steps" data-testid={`steps-${id}`}>
          {steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      )}
      {!far && (
        <div className="gnode-footer">
          <span className="gnode-shape" data-testid={`shape-${id}`}>
            {firstOut ? `→ ${shapeLabel(firstOut)}` : def.outputs.length ? '→ ?' : ''}
          </span>
          {paramCount && paramCount.trainable + paramCount.fixed > 0 && (
            <span className="gnode-count" title={`${paramCount.trainable} trainable, ${paramCount.fixed} fixed`}>
              {paramCount.trainable ? `${formatCount(paramCount.trainable)} params` : ''}
              {paramCount.trainable && paramCount.fixed ? ' + ' : ''}
              {paramCount.fixed ? `${formatCount(paramCount.fixed)} fixed` : ''}
            </span>
          )}
        </div>
      )}
      {!far && diagnostics.length > 0 && (
        <div className="gnode-diags" data-testid={`diag-${id}`}>
          {diagnostics.slice(0, 2).map((d, i) => (
            <div key={i} className={`gnode-diag gnode-diag-${d.severity}`} title={d.fix}>
              {d.port ? <b>{d.port}: </b> : null}
              {d.message}
            </div>
          ))}
          {diagnostics.length > 2 && <div className="gnode-diag">…and {diagnostics.length - 2} more</div>}
        </div>
      )}
    </div>
  );
}

/** Zoomed far out the title is cut here rather than clipped by CSS: a clip per node makes every frame slower to composite. */
function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * React Flow passes a node its absolute position too, which changes on every pointer move
 * of a drag; the node draws nothing from it (its wrapper does the moving), so only what it
 * shows decides whether it renders again.
 */
export const GraphNodeComponent = memo(
  GraphNodeView,
  (a, b) => a.id === b.id && a.data === b.data && a.selected === b.selected,
);
