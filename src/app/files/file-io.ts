/** Graph files on disk: download the saved JSON, read an uploaded or dropped file. */
import { loadDocument, saveDocument, type GraphDocument, type LoadResult } from '../../../document/graph';
import { diag } from '../../../document/diagnostics';

export function fileNameFor(doc: GraphDocument): string {
  const base =
    (doc.name ?? 'graph')
      .trim()
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'graph';
  return `${base}.wavegraph.json`;
}

export function downloadDocument(doc: GraphDocument): void {
  const blob = new Blob([saveDocument(doc)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameFor(doc);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const MAX_BYTES = 20 * 1024 * 1024;

export async function readGraphFile(file: File): Promise<LoadResult> {
  if (file.size > MAX_BYTES) {
    return {
      diagnostics: [
        diag(
          'bad-document',
          `"${file.name}" is ${(file.size / 1e6).toFixed(1)} MB; a graph file is far smaller, so this is not one.`,
        ),
      ],
    };
  }
  const text = await file.text();
  return loadDocument(text);
}
