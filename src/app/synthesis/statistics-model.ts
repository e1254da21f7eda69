/**
 * Whether the open graph is a statistics model (it ends in Moments): such a graph has
 * nothing to train, so the app shows the Synthesis dock in the training dock's place.
 */
import { useMemo } from 'react';
import { analyze } from '../../../compiler';
import type { GraphDocument } from '../../../document/graph';

export function useIsStatisticsModel(doc: GraphDocument): boolean {
  return useMemo(() => Boolean(analyze(doc, { partial: true }).validation.momentsNode), [doc]);
}
