/**
 * One widget per ParamSpec kind, used both inline on a node (main params) and in the
 * inspector (all params). Text is kept locally while typing; a value reaches the
 * document only when it is valid for its spec.
 */
import { useEffect, useState } from 'react';
import type { ParamSpec, ParamValue } from '../../../nodes/types';
import { checkParam } from '../../../nodes/params';

interface Props {
  name: string;
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange: (value: ParamValue) => void;
  compact?: boolean;
  testId?: string;
}

export function ParamField({ name, spec, value, onChange, compact, testId }: Props) {
  const current = value ?? spec.default;
  const [text, setText] = useState(String(current));
  useEffect(() => setText(String(current)), [current]);
  const label = spec.label ?? name;
  const cls = `param ${compact ? 'param-compact' : ''}`;
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();

  let control;
  if (spec.kind === 'enum') {
    control = (
      <select
        className="nodrag"
        value={String(current)}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      >
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'bool') {
    control = (
      <input
        type="checkbox"
        className="nodrag"
        data-testid={testId}
        checked={current === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else {
    const numeric = spec.kind === 'int' || spec.kind === 'number';
    const parse = (t: string): ParamValue => (numeric ? (t.trim() === '' ? NaN : Number(t)) : t);
    const valid = checkParam(spec, parse(text));
    control = (
      <input
        className={`nodrag ${valid ? '' : 'invalid'}`}
        data-testid={testId}
        type="text"
        inputMode={numeric ? 'decimal' : 'text'}
        value={text}
        title={valid ? spec.help : `${spec.help} ${describeRange(spec)}`}
        onKeyDown={stop}
        onChange={(e) => {
          setText(e.target.value);
          const v = parse(e.target.value);
          if (checkParam(spec, v)) onChange(v);
        }}
        onBlur={() => setText(String(current))}
      />
    );
  }
  return (
    <label className={cls} title={spec.help}>
      <span className="param-name">{label}</span>
      {control}
      {!compact && (
        <span className="param-help">
          {spec.help} {describeRange(spec)}
        </span>
      )}
    </label>
  );
}

function describeRange(spec: ParamSpec): string {
  if (spec.kind === 'int' || spec.kind === 'number') return `(${spec.min} to ${spec.max})`;
  return '';
}
