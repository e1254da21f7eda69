/** Which dataset a training or research request asks the worker for. */
export type DatasetSpec =
  | { kind: 'synthetic'; train?: number; test?: number }
  /** A dataset the server lists in /data/index.json, fetched from /data/<name>/<file>. */
  | { kind: 'server'; name: string; limit?: number }
  /** Files the person picked: four IDX files, or CIFAR-10 binary batches. */
  | { kind: 'upload'; files: { name: string; bytes: ArrayBuffer }[]; limit?: number };
