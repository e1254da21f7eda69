/**
 * Make a variant of the current graph: one node, one whole-number or choice param,
 * a new value (flip a WaveletConv between wired and learned, change LISTA's K, a width).
 */
import { useMemo } from 'react';
import type { GraphDocument, ParamValue } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import type { ParamSpec } from '../../../nodes/types';

export interface Variant {
  node: string;
  param: string;
  value: string;
}

export interface Tunable {
  node: string;
  type: string;
  param: string;
  spec: Extract<ParamSpec, { kind: 'int' | 'enum' }>;
  current: ParamValue;
}

/** Every int and enum param of the graph's nodes, the Input's excepted (variants must read the same images). */
export function tunables(doc: GraphDocument): Tunable[] {
  const out: Tunable[] = [];
  for (const n of doc.nodes) {
    const def = getNodeDefinition(n.type);
    if (!def || def.role === 'input') continue;
    for (const [param, spec] of Object.entries(def.params)) {
      if (spec.kind === 'int' || spec.kind === 'enum')
        out.push({ node: n.id, type: n.type, param, spec, current: n.params[param] ?? spec.default });
    }
  }
  return out;
}

/** The value typed for a param, checked against its spec. */
export function variantValue(
  t: Tunable,
  text: string,
): { ok: true; value: ParamValue } | { ok: false; problem: string } {
  if (t.spec.kind === 'enum')
    return t.spec.options.includes(text)
      ? { ok: true, value: text }
      : { ok: false, problem: `${t.node}.${t.param} is one of ${t.spec.options.join(', ')}.` };
  const v = Number(text);
  if (!Number.isInteger(v) || v < t.spec.min || v > t.spec.max)
    return {
      ok: false,
      problem: `${t.node}.${t.param} takes a whole number from ${t.spec.min} to ${t.spec.max}, not "${text}".`,
    };
  return { ok: true, value: v };
}

export function VariantForm({
  doc,
  value,
  onChange,
  disabled,
}: {
  doc: GraphDocument;
  value: Variant;
  onChange(v: Variant): void;
  disabled: boolean;
}) {
  const list = useMemo(() => tunables(doc), [doc]);
  const nodes = [...new Set(list.map((t) => t.node))];
  const params = list.filter((t) => t.node === value.node);
  const t = params.find((p) => p.param === value.param);
  const pickNode = (node: string) => {
    const first = list.find((x) => x.node === node);
    onChange({ node, param: first?.param ?? '', value: first ? String(first.current) : '' });
  };
  const pickParam = (param: string) => {
    const p = params.find((x) => x.param === param);
    onChange({ ...value, param, value: p ? String(p.current) : '' });
  };
  return (
    <div className="train-settings variant-form" data-testid="variant-form">
      <label>
        variant: node
        <select
          value={value.node}
          onChange={(e) => pickNode(e.target.value)}
          disabled={disabled}
          data-testid="variant-node"
        >
          <option value="">(none: the graph as it is)</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n} ({list.find((x) => x.node === n)!.type})
            </option>
          ))}
        </select>
      </label>
      {value.node && (
        <label>
          param
          <select
            value={value.param}
            onChange={(e) => pickParam(e.target.value)}
            disabled={disabled}
            data-testid="variant-param"
          >
            {params.map((p) => (
              <option key={p.param} value={p.param}>
                {p.param} (now {String(p.current)})
              </option>
            ))}
          </select>
        </label>
      )}
      {t && (
        <label>
          new value
          {t.spec.kind === 'enum' ? (
            <select
              value={value.value}
              onChange={(e) => onChange({ ...value, value: e.target.value })}
              disabled={disabled}
              data-testid="variant-value"
            >
              {t.spec.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          ) : (
            <input
              value={value.value}
              onChange={(e) => onChange({ ...value, value: e.target.value })}
              disabled={disabled}
              size={6}
              data-testid="variant-value"
              title={`${t.spec.min} to ${t.spec.max}`}
            />
          )}
        </label>
      )}
    </div>
  );
}
