/** The example graphs in templates/, bundled with the app. */
import { loadDocument, type GraphDocument } from '../../../document/graph';

export interface Template {
  name: string;
  title: string;
  /** First sentence of the description: what the graph teaches. */
  summary: string;
  doc: GraphDocument;
}

const files = import.meta.glob('/templates/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text;
}

export const templates: Template[] = Object.entries(files)
  .map(([path, raw]) => {
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
    const { doc } = loadDocument(raw);
    return doc ? { name, title: doc.name ?? name, summary: firstSentence(doc.description), doc } : undefined;
  })
  .filter((t): t is Template => t !== undefined)
  .sort((a, b) => a.name.localeCompare(b.name));

export function findTemplate(name: string): Template | undefined {
  return templates.find((t) => t.name === name);
}
