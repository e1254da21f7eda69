/**
 * Turning a node's stored params into the full, checked values its functions get:
 * defaults fill the gaps, every value is checked against its spec, and problems come
 * back as diagnostics that name the parameter and the allowed range.
 */
import { brief, diag, type Diagnostic } from '../document/diagnostics';
import type { Params, ParamValue } from '../document/graph';
import type { AnyNodeDefinition, ParamSpec, ParamSpecs } from './types';

export function defaultParams(specs: ParamSpecs): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  return out;
}

function describe(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'int':
      return `a whole number from ${spec.min} to ${spec.max}`;
    case 'number':
      return `a number from ${spec.min} to ${spec.max}`;
    case 'enum':
      return `one of ${spec.options.map((o) => `"${o}"`).join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'string':
      return 'a text';
  }
}

export function checkParam(spec: ParamSpec, value: ParamValue): boolean {
  switch (spec.kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max;
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && value.length <= (spec.maxLength ?? 1000);
  }
}

export interface ResolvedParams {
  values: Params;
  diagnostics: Diagnostic[];
}

/** Fill defaults and check every param; unknown params are reported as warnings. */
export function resolveParams(def: AnyNodeDefinition, nodeId: string, stored: Params): ResolvedParams {
  const values: Params = {};
  const diagnostics: Diagnostic[] = [];
  const where = { nodeId, nodeTitle: def.title };
  for (const [name, spec] of Object.entries(def.params)) {
    const v = stored[name];
    if (v === undefined) {
      values[name] = spec.default;
      continue;
    }
    if (!checkParam(spec, v)) {
      diagnostics.push(
        diag('bad-param', `${spec.label ?? name} is ${brief(v)}, but it must be ${describe(spec)}.`, {
          ...where,
          param: name,
          fix: `Set ${spec.label ?? name} to ${describe(spec)} (default ${JSON.stringify(spec.default)}).`,
        }),
      );
      values[name] = spec.default;
    } else {
      values[name] = v;
    }
  }
  for (const name of Object.keys(stored)) {
    if (!(name in def.params)) {
      diagnostics.push(
        diag('bad-param', `has a parameter ${brief(name)} that ${def.title} does not know; it is ignored.`, {
          ...where,
          param: name,
          severity: 'warning',
          fix: `Remove ${brief(name)} from the node's params.`,
        }),
      );
    }
  }
  if (def.checkParams && diagnostics.every((d) => d.severity !== 'error')) {
    for (const d of def.checkParams(values as never, { nodeId }))
      diagnostics.push({ nodeTitle: def.title, ...d, nodeId });
  }
  return { values, diagnostics };
}

/** Apply a node type's param migrations from `fromVersion` up to the declaration's version. */
export function migrateParams(def: AnyNodeDefinition, fromVersion: number, params: Params): Params {
  let out = params;
  for (let v = fromVersion; v < def.version; v++) {
    const step = def.migrate?.[v];
    if (step) out = step(out);
  }
  return out;
}
