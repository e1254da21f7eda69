/**
 * Graph documents for the fuzz tests: the templates, random graphs wired from the
 * registry, and either mutated the ways a file, a link or a peer goes wrong. Each
 * mutation says whether it surely makes the document bad, so the test can insist on
 * a diagnostic for it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { LIMITS, loadDocument, type GraphDocument } from '../../document/graph';
import { allNodeDefinitions } from '../../nodes/registry';
import type { ParamSpec } from '../../nodes/types';
import { oddValue, type Rng } from './rng';

const dir = new URL('../../templates/', import.meta.url);
export const TEMPLATES: GraphDocument[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => loadDocument(readFileSync(new URL(f, dir), 'utf8')).doc!);

const DEFS = allNodeDefinitions();

export interface DocCase {
  /** What the app or CLI would be handed: JSON text or an already-parsed value. */
  input: string | unknown;
  /** True when a mutation surely broke it: loading or analysis must report an error. */
  bad: boolean;
  /** An untouched template: it must load and analyze without errors. */
  pristine: boolean;
  steps: string[];
}

type Raw = Record<string, any>;
const clone = <T>(v: T): T => structuredClone(v);

function paramValue(g: Rng, spec: ParamSpec): unknown {
  switch (spec.kind) {
    case 'int':
      return g.chance(0.7)
        ? g.int(spec.min, Math.min(spec.max, spec.min + 64))
        : g.pick([spec.min, spec.max, spec.default]);
    case 'number':
      return g.chance(0.5) ? spec.min + g.next() * (spec.max - spec.min) : g.pick([spec.min, spec.max, spec.default]);
    case 'enum':
      return g.pick(spec.options);
    case 'bool':
      return g.chance(0.5);
    case 'string':
      return g.chance(0.8) ? spec.default : g.word();
  }
}

/** A random graph from the registry: nodes with random in-range params, edges between ports of matching kinds. */
export function randomGraph(g: Rng): GraphDocument {
  const n = g.int(1, 24);
  const nodes = Array.from({ length: n }, (_, i) => {
    const def = i === 0 && g.chance(0.8) ? DEFS.find((d) => d.role === 'input')! : g.pick(DEFS);
    const params: Raw = {};
    for (const [name, spec] of Object.entries(def.params)) if (g.chance(0.6)) params[name] = paramValue(g, spec);
    return { id: `n${i}`, type: def.type, position: { x: i * 200, y: g.int(-500, 500) }, params, def };
  });
  const edges: GraphDocument['edges'] = [];
  for (let i = 1; i < n; i++) {
    for (const port of nodes[i].def.inputs) {
      if (port.optional && g.chance(0.5)) continue;
      // Mostly from the node just before, so long chains form; sometimes from any earlier one.
      const from = g.chance(0.7) ? i - 1 : g.int(0, i - 1);
      const out =
        nodes[from].def.outputs.find((o) => o.kinds.some((k) => port.kinds.includes(k))) ?? nodes[from].def.outputs[0];
      if (!out) continue;
      edges.push({
        id: `e${edges.length}`,
        source: `n${from}`,
        sourcePort: out.name,
        target: `n${i}`,
        targetPort: port.name,
      });
    }
  }
  return { format: 'wavegraph', version: 2, name: 'fuzz', nodes: nodes.map(({ def: _def, ...node }) => node), edges };
}

function reaches(edges: Raw[], from: string, to: string): boolean {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const e of edges)
      if (e?.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        stack.push(e.target);
      }
  }
  return false;
}

const longText = (g: Rng, over: number) => 'x'.repeat(over + g.int(1, g.chance(0.2) ? 200_000 : 100));
const deep = (depth: number): unknown => {
  let v: unknown = [1];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/**
 * Object-level mutations: [name, surely bad, apply]. Apply returns false when it could
 * not apply, 'unsure' when it applied but this time may have left the graph valid.
 */
const MUTATIONS: [string, boolean, (d: Raw, g: Rng) => boolean | 'unsure'][] = [
  [
    'wrong-type',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      if (!n) return false;
      const field = g.pick(['id', 'type', 'position', 'params', 'label', 'typeVersion']);
      let v = oddValue(g);
      while (typeof v === 'string' && field === 'label') v = oddValue(g);
      if (field === 'params') while (typeof v === 'object' && v !== null && !Array.isArray(v)) v = oddValue(g);
      if (field === 'position' || field === 'typeVersion')
        while (typeof v === 'number' && field === 'typeVersion' && Number.isInteger(v) && v >= 1 && v <= 1000)
          v = oddValue(g);
      if (field === 'id' || field === 'type') while (typeof v === 'string' && v.length > 0) v = oddValue(g);
      n[field] = v;
      return true;
    },
  ],
  [
    'nan',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      if (!n) return false;
      if (g.chance(0.5)) n.position = { ...n.position, x: NaN };
      else n.position = { x: 0, y: g.pick([NaN, Infinity, 1e300, -1e300]) };
      return true;
    },
  ],
  [
    'huge-param',
    true,
    (d, g) => {
      const candidates = ((d.nodes as Raw[]) ?? []).flatMap((n) => {
        const def = DEFS.find((x) => x.type === n.type);
        return def
          ? Object.entries(def.params)
              .filter(([, s]) => s.kind === 'int' || s.kind === 'number')
              .map(([p]) => [n, p] as const)
          : [];
      });
      if (!candidates.length) return false;
      const [n, p] = g.pick(candidates);
      n.params = { ...n.params, [p]: g.pick([1e300, -1e300, 2 ** 53, -(2 ** 40), 1e9 + 0.5]) };
      return true;
    },
  ],
  [
    'missing-field',
    true,
    (d, g) => {
      const where = g.pick(['doc', 'node', 'edge']);
      if (where === 'doc') delete d[g.pick(['format', 'version', 'nodes', 'edges'])];
      else if (where === 'node' && d.nodes?.length)
        delete g.pick(d.nodes as Raw[])[g.pick(['id', 'type', 'position', 'params'])];
      else if (where === 'edge' && d.edges?.length)
        delete g.pick(d.edges as Raw[])[g.pick(['id', 'source', 'sourcePort', 'target', 'targetPort'])];
      else return false;
      return true;
    },
  ],
  [
    'unknown-type',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      if (!n) return false;
      n.type = g.pick(['Teleporter', '__proto__', 'constructor', 'toString', `Dense${g.word()}`, 'ü'.repeat(50)]);
      return true;
    },
  ],
  [
    'cycle',
    true,
    (d, g) => {
      const ns = d.nodes as Raw[];
      if (!ns?.length) return false;
      const i = g.int(0, ns.length - 1);
      const j = g.int(i, ns.length - 1);
      const defJ = DEFS.find((x) => x.type === ns[j].type);
      const defI = DEFS.find((x) => x.type === ns[i].type);
      if (!defI?.inputs.length || !defJ?.outputs.length || !Array.isArray(d.edges)) return false;
      d.edges.push({
        id: `back${g.word()}`,
        source: ns[j].id,
        sourcePort: defJ.outputs[0].name,
        target: ns[i].id,
        targetPort: defI.inputs[0].name,
      });
      // A loop only when j is downstream of i; otherwise the edge may land on a free optional input.
      return reaches(d.edges, ns[i].id, ns[j].id) ? true : 'unsure';
    },
  ],
  [
    'dangling-edge',
    true,
    (d, g) => {
      const e = g.pick((d.edges as Raw[]) ?? []);
      if (!e) return false;
      e[g.chance(0.5) ? 'source' : 'target'] = `ghost-${g.word()}`;
      return true;
    },
  ],
  [
    'bad-port',
    true,
    (d, g) => {
      const e = g.pick((d.edges as Raw[]) ?? []);
      if (!e) return false;
      e[g.chance(0.5) ? 'sourcePort' : 'targetPort'] = g.pick(['nope', '', 'x'.repeat(101)]);
      return true;
    },
  ],
  [
    'deep-nesting',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      if (!n) return false;
      n.params = { ...n.params, [g.word()]: deep(g.pick([3, 50, 2000])) };
      return true;
    },
  ],
  [
    'long-string',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      const which = g.pick(['label', 'id', 'description', 'name', 'param']);
      if (which === 'description') d.description = longText(g, LIMITS.descriptionLength);
      else if (which === 'name') d.name = longText(g, LIMITS.nameLength);
      else if (!n) return false;
      else if (which === 'param') n.params = { ...n.params, note: longText(g, LIMITS.stringParamLength) };
      else n[which] = longText(g, LIMITS.idLength);
      return true;
    },
  ],
  [
    'duplicate-id',
    true,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      if (!n) return false;
      d.nodes.push({ ...clone(n), position: { x: 1, y: 1 } });
      return true;
    },
  ],
  [
    'too-many',
    true,
    (d, g) => {
      const what = g.pick(['nodes', 'edges', 'groups'] as const);
      // Over by more than the removals a case can make afterwards.
      const n = LIMITS[what] + g.int(5, 10);
      d[what] = Array.from({ length: n }, (_, i) =>
        what === 'nodes'
          ? { id: `m${i}`, type: 'ReLU', position: { x: 0, y: 0 }, params: {} }
          : what === 'edges'
            ? { id: `m${i}`, source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }
            : { id: `g${i}`, type: 'Scattering2D', params: {} },
      );
      return true;
    },
  ],
  [
    'format',
    true,
    (d, g) => {
      if (g.chance(0.5)) d.format = g.pick(['other', 'Wavegraph', null, 1]);
      else d.version = g.pick([0, 99, '2', 1.5, null, -1]);
      return true;
    },
  ],
  [
    'training',
    true,
    (d, g) => {
      const key = g.pick(['batchSize', 'epochs', 'learningRate', 'momentum', 'seed', 'optimizer', 'schedule']);
      const bad: Record<string, unknown[]> = {
        batchSize: [0, 1e9, 2.5, 'x', NaN],
        epochs: [-1, 1e7, null],
        learningRate: [0, -1, 1e6, NaN, Infinity],
        momentum: [2, -0.1],
        seed: [1e300, 0.5],
        optimizer: ['rmsprop', 3],
        schedule: ['linear', {}],
      };
      d.training = { ...(d.training ?? {}), [key]: g.pick(bad[key]) };
      return true;
    },
  ],
  [
    'groups',
    true,
    (d, g) => {
      d.groups = [g.pick([null, 1, { id: 1 }, { id: 'g', type: 'X', params: null }, []])];
      return true;
    },
  ],
  [
    'remove-edge',
    false,
    (d, g) => {
      if (!d.edges?.length) return false;
      d.edges.splice(g.int(0, d.edges.length - 1), 1);
      return true;
    },
  ],
  [
    'move-node',
    false,
    (d, g) => {
      // Leave a position an earlier mutation broke (NaN, infinite) broken: moving it would repair the document.
      const n = g.pick(
        ((d.nodes as Raw[]) ?? []).filter((m) => Number.isFinite(m?.position?.x) && Number.isFinite(m?.position?.y)),
      );
      if (!n) return false;
      n.position = { x: g.int(-1e6, 1e6), y: g.next() * 1e6 };
      return true;
    },
  ],
  [
    'random-param',
    false,
    (d, g) => {
      const n = g.pick((d.nodes as Raw[]) ?? []);
      const def = n && DEFS.find((x) => x.type === n.type);
      const names = def ? Object.keys(def.params) : [];
      if (!names.length) return false;
      const p = g.pick(names);
      n.params = { ...n.params, [p]: g.chance(0.8) ? paramValue(g, def!.params[p]) : oddValue(g) };
      return true;
    },
  ],
  [
    'old-version',
    false,
    (d, g) => {
      d.version = 1;
      d.links = ((d.edges as Raw[]) ?? []).map((e) => ({
        from: `${e.source}.${e.sourcePort}`,
        to: g.chance(0.9) ? `${e.target}.${e.targetPort}` : g.word(),
      }));
      delete d.edges;
      for (const n of (d.nodes as Raw[]) ?? [])
        if (n && typeof n === 'object') {
          n.pos = [n.position?.x, n.position?.y];
          delete n.position;
        }
      return true;
    },
  ],
];

/** Text-level damage, applied after serializing: [name, surely bad, apply]. */
const TEXT_MUTATIONS: [string, boolean, (t: string, g: Rng) => string][] = [
  ['truncate', true, (t, g) => t.slice(0, g.int(0, t.length - 2))],
  [
    'flip-byte',
    false,
    (t, g) => {
      const i = g.int(0, t.length - 1);
      return t.slice(0, i) + String.fromCharCode(g.int(0, 0x2fff)) + t.slice(i + 1);
    },
  ],
  [
    'deep-text',
    true,
    (t, g) => {
      const depth = g.pick([100, 10_000, 200_000]);
      return t.replace(/"params":\s*\{/, `"params": {"deep": ${'['.repeat(depth)}${']'.repeat(depth)}, `);
    },
  ],
  [
    'huge-literal',
    false,
    (t, g) =>
      t.replace(
        /-?\d+(\.\d+)?/,
        g.pick(['1e999', '-1e999', '123456789012345678901234567890', '0.' + '0'.repeat(400) + '1']),
      ),
  ],
];

/** `small`: no mutation that makes megabytes (a share link carries text, parsed at a linear cost). */
export function documentCase(g: Rng, small = false): DocCase {
  const fromTemplate = g.chance(0.6);
  const base: Raw = clone(fromTemplate ? g.pick(TEMPLATES) : randomGraph(g));
  const steps: string[] = [fromTemplate ? `template ${base.name}` : 'random graph'];
  let bad = false;
  const count = g.pick([0, 1, 1, 1, 2, 3]);
  for (let i = 0; i < count; i++) {
    const [name, surely, apply] = g.pick(MUTATIONS);
    if (small && name === 'too-many') continue;
    // The migration from version 1 rebuilds positions, params and edges, so it could repair other damage.
    if (name === 'old-version' && count !== 1) continue;
    const applied = apply(base, g);
    if (applied) {
      bad ||= surely && applied === true;
      steps.push(name);
    }
  }
  const pristine = fromTemplate && steps.length === 1;
  // Lists over the limits are handed over parsed: parsing megabytes of JSON text is the engine's linear cost, not ours.
  if (g.chance(0.5) || steps.includes('too-many')) return { input: base, bad, pristine, steps };
  // Indenting 2,000 nested lists would make megabytes of spaces: such a file is compact.
  let text = JSON.stringify(base, null, g.chance(0.5) && !steps.includes('deep-nesting') ? 2 : undefined);
  if (g.chance(0.3)) {
    const [name, surely, apply] = g.pick(TEXT_MUTATIONS);
    const next = apply(text, g);
    if (next !== text) {
      text = next;
      bad ||= surely;
      steps.push(name);
    }
  }
  return { input: text, bad, pristine: pristine && steps.length === 1, steps };
}
