/**
 * The import graph of our own code: layers only point down, and no module imports
 * itself through others. From the bottom: document/ (the graph document, diagnostics,
 * edge ids, the store interface), nodes/, compiler/, then src/. Type-only imports
 * count too: a cycle of types is still two modules that cannot be understood apart.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const LAYERS = ['document', 'nodes', 'compiler', 'src'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx|mts)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative module specifiers of a file: static imports and re-exports, dynamic import(), new URL('./x', import.meta.url). */
export function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const re of [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g,
  ]) {
    for (const m of code.matchAll(re)) if (m[1].startsWith('.')) found.push(m[1]);
  }
  return found;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const files = LAYERS.flatMap((l) => sources(join(root, l)));
const graph = new Map<string, string[]>();
const unresolved: string[] = [];
for (const f of files) {
  const deps: string[] = [];
  for (const spec of specifiers(readFileSync(f, 'utf8'))) {
    const target = resolveImport(f, spec);
    if (target) deps.push(target);
    else if (!/\.(css|svg|png|wasm)(\?.*)?$/.test(spec)) unresolved.push(`${relative(root, f)} -> ${spec}`);
  }
  graph.set(f, deps);
}

const layerOf = (file: string) => LAYERS.indexOf(relative(root, file).split('/')[0] as (typeof LAYERS)[number]);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.map((s) => relative(root, s)).sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the import graph', () => {
  it('finds every module it follows', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('only points down: document/ <- nodes/ <- compiler/ <- src/', () => {
    const upward: string[] = [];
    for (const [f, deps] of graph)
      for (const d of deps)
        if (layerOf(d) > layerOf(f)) upward.push(`${relative(root, f)} imports ${relative(root, d)}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('would report a cycle and an upward import (the check itself)', () => {
    const a = join(root, 'nodes/a.ts');
    const b = join(root, 'src/b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['nodes/a.ts', 'src/b.ts']]);
    expect(layerOf(b) > layerOf(a)).toBe(true);
    expect(
      specifiers("import type { X } from './x';\nexport * from '../y';\nconst w = new URL('./w.ts', import.meta.url);"),
    ).toEqual(['./x', '../y', './w.ts']);
  });
});
