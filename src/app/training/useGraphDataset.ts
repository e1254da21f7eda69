/**
 * The dataset select follows the graph (training panel and research tab alike): the set
 * the graph asks for (dataset-choice.ts) is selected once the server's list is known, and
 * again whenever the graph asks for another; a set the person picks stays until then.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { GraphDocument } from '../../../document/graph';
import type { ServerDataset } from '../../data/browser';
import { chooseDataset, requestedDataset, type DatasetChoice } from './dataset-choice';

export function useGraphDataset(
  doc: GraphDocument,
  serverDatasets: readonly ServerDataset[],
  listed: boolean,
  select: (value: string) => void,
): { choice: DatasetChoice; userPicked(): void } {
  const requested = requestedDataset(doc);
  const choice = useMemo(() => chooseDataset(requested, serverDatasets), [requested, serverDatasets]);
  const picked = useRef(false);
  const lastRequested = useRef(requested);
  const selectRef = useRef(select);
  selectRef.current = select;
  useEffect(() => {
    if (!listed) return;
    if (requested !== lastRequested.current) {
      lastRequested.current = requested;
      picked.current = false;
    }
    if (!picked.current) selectRef.current(choice.value);
  }, [listed, requested, choice]);
  return useMemo(() => ({ choice, userPicked: () => void (picked.current = true) }), [choice]);
}
