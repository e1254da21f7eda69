/** Reading a graph file for a command, with problems printed as paragraphs. */
import { readFileSync } from 'node:fs';
import {
  analyze,
  formatDiagnostic,
  loadDocument,
  type Analysis,
  type Diagnostic,
  type GraphDocument,
} from '../../compiler';
import type { CliIO } from './io';

export interface LoadedGraph {
  path: string;
  doc: GraphDocument;
  analysis: Analysis;
}

export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], prefix = ''): void {
  for (const d of diagnostics) io.err(prefix + formatDiagnostic(d));
}

/**
 * Load, migrate, validate and infer shapes. Returns undefined (after printing) when
 * the file cannot be read, or, with `requireValid`, when the graph has errors.
 */
export function loadGraphFile(
  path: string | undefined,
  io: CliIO,
  options: { partial?: boolean; requireValid?: boolean } = {},
): LoadedGraph | undefined {
  if (!path) {
    io.err('Give the graph file to use, for example templates/cnn.json.');
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(
      code === 'ENOENT' ? `Cannot open "${path}": no such file.` : `Cannot read "${path}": ${(e as Error).message}.`,
    );
    return undefined;
  }
  const loaded = loadDocument(text);
  if (!loaded.doc) {
    printDiagnostics(io, loaded.diagnostics, `${path}: `);
    return undefined;
  }
  const analysis = analyze(loaded.doc, options);
  if (options.requireValid && !analysis.ok) {
    printDiagnostics(
      io,
      analysis.diagnostics.filter((d) => d.severity === 'error'),
      `${path}: `,
    );
    return undefined;
  }
  return { path, doc: loaded.doc, analysis };
}
