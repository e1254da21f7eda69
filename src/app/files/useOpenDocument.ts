/**
 * Opening a graph (file, template, share link) replaces the document in one undoable
 * step; a file that cannot be read leaves the canvas exactly as it was and says why.
 */
import { useCallback } from 'react';
import type { GraphDocument, LoadResult } from '../../../document/graph';
import type { Diagnostic } from '../../../document/diagnostics';
import type { GraphStore } from '../../../document/store';
import { useNotify } from '../messages';
import { readGraphFile } from './file-io';
import { lessonWarnings } from '../../../document/lesson';
import { startLesson } from '../lesson/lesson-state';

export function replaceDocument(store: GraphStore, doc: GraphDocument, label = 'Open graph'): void {
  store.transact((d) => {
    for (const k of Object.keys(d) as (keyof GraphDocument)[]) if (!(k in doc)) delete d[k];
    Object.assign(d, structuredClone(doc));
  }, label);
  startLesson();
}

export function describeProblems(ds: Diagnostic[]): string {
  return ds
    .slice(0, 3)
    .map((d) => d.message + (d.fix ? ` ${d.fix}` : ''))
    .join(' ');
}

export function useOpenDocument(store: GraphStore) {
  const notify = useNotify();
  const openResult = useCallback(
    (result: LoadResult, what: string): boolean => {
      if (!result.doc) {
        notify('error', `Could not open ${what}; the canvas is unchanged.`, describeProblems(result.diagnostics));
        return false;
      }
      replaceDocument(store, result.doc);
      // The graph opened; what is left is about its lesson (a step left out, a target the graph lacks).
      const warnings = [...result.diagnostics, ...lessonWarnings(result.doc)];
      if (warnings.length)
        notify('info', `Opened ${result.doc.name ?? what}; its lesson has problems.`, describeProblems(warnings));
      else notify('success', `Opened ${result.doc.name ?? what}.`);
      return true;
    },
    [store, notify],
  );
  const openFile = useCallback(
    async (file: File) => openResult(await readGraphFile(file), `"${file.name}"`),
    [openResult],
  );
  return { openResult, openFile };
}
