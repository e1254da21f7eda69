/** What the palette lists: every registered type matching a search, grouped by category in palette order. */
import { allNodeDefinitions } from '../../../nodes/registry';
import { categoryOrder, type AnyNodeDefinition, type Category } from '../../../nodes/types';

/** Every word of the query appears in the type's title, id, category or summary. */
export function matches(def: AnyNodeDefinition, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const hay = `${def.title} ${def.type} ${def.category} ${def.doc.summary}`.toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}

export function paletteGroups(query: string): [Category, AnyNodeDefinition[]][] {
  const m = new Map<Category, AnyNodeDefinition[]>();
  for (const def of allNodeDefinitions())
    if (matches(def, query)) (m.get(def.category) ?? m.set(def.category, []).get(def.category)!).push(def);
  return [...m.entries()].sort((a, b) => categoryOrder[a[0]] - categoryOrder[b[0]]);
}
