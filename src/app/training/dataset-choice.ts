/**
 * Which dataset the training panel selects for a graph. The graph says what it was built
 * for: its Input node's `dataset` param (shown on the node), or else its saved training
 * settings. The panel selects that set when it can: the built-in synthetic set, or a set
 * the server offers; otherwise it falls back to the synthetic set and says why.
 */
import type { GraphDocument } from '../../../document/graph';
import { getNodeDefinition } from '../../../nodes/registry';
import type { ServerDataset } from '../../data/browser';

const SYNTHETIC = 'synthetic';

/** The dataset the graph asks for (lower case), or 'synthetic' when it names none. */
export function requestedDataset(doc: GraphDocument): string {
  const input = doc.nodes.find(
    (n) =>
      getNodeDefinition(n.type)?.role === 'input' && typeof n.params.dataset === 'string' && n.params.dataset.trim(),
  );
  const name = input ? (input.params.dataset as string) : doc.training?.dataset;
  return typeof name === 'string' && name.trim() ? name.trim().toLowerCase() : SYNTHETIC;
}

export interface DatasetChoice {
  /** A value of the panel's dataset select: 'synthetic' or 'server:<name>'. */
  value: string;
  /** Why the panel did not select the set the graph asks for. */
  note?: string;
}

export function chooseDataset(requested: string, server: readonly ServerDataset[]): DatasetChoice {
  if (requested === SYNTHETIC) return { value: SYNTHETIC };
  const offered = server.find((d) => d.name.toLowerCase() === requested);
  if (offered) return { value: `server:${offered.name}` };
  return {
    value: SYNTHETIC,
    note: `This graph asks for “${requested}”, which the server does not offer, so the built-in synthetic set is selected. ${
      requested === 'fashion-mnist'
        ? 'Install it on the server (apt-get install dataset-fashion-mnist, or WAVEGRAPH_FASHION_MNIST=<folder>), or upload its files.'
        : 'To train on it, upload its files (IDX or CIFAR-10 binary).'
    }`,
  };
}
