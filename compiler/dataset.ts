import type { Validation } from './1-validate';
import type { Diagnostic } from '../document/diagnostics';

/**
 * What the training loop needs from a dataset. Loaders (src/data/) produce this;
 * the compiler never touches files.
 */
export interface DataSplit {
  /** count * H * W * C values, channel-last, scaled to [0, 1]. */
  images: Float32Array;
  /** count class indices in 0..classes-1. */
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  /** Registry name ("synthetic", "fashion-mnist") or the path it came from. */
  name: string;
  /** [H, W, C] of one image. */
  shape: [number, number, number];
  classes: number;
  classNames: string[];
  train: DataSplit;
  test: DataSplit;
}

/**
 * The dataset must have the Input node's image shape and the loss node's class
 * count; otherwise say which node to change.
 */
export function checkDatasetFits(v: Validation, data: Dataset): Diagnostic[] {
  const out: Diagnostic[] = [];
  const input = v.inputNode ? v.nodes.get(v.inputNode) : undefined;
  if (input) {
    const want = [input.params.height, input.params.width, input.params.channels].join(' x ');
    const have = data.shape.join(' x ');
    if (want !== have) {
      out.push({
        code: 'dataset-mismatch',
        severity: 'error',
        message: `expects ${want} images, but the dataset "${data.name}" has ${have}.`,
        nodeId: input.node.id,
        nodeTitle: input.def.title,
        fix: `Set the Input node's height, width and channels to ${data.shape.join(', ')}, or pick another dataset.`,
      });
    }
  }
  const loss = v.lossNode ? v.nodes.get(v.lossNode) : undefined;
  const grouping = loss?.def.objective?.classes(loss.params as never, data);
  if (loss && grouping && 'problem' in grouping) {
    out.push({
      code: 'dataset-mismatch',
      severity: 'error',
      message: grouping.problem,
      nodeId: loss.node.id,
      nodeTitle: loss.def.title,
      fix: grouping.fix,
    });
  } else if (loss && !grouping && loss.params.classes !== data.classes) {
    out.push({
      code: 'dataset-mismatch',
      severity: 'error',
      message: `is set for ${loss.params.classes} classes, but the dataset "${data.name}" has ${data.classes}.`,
      nodeId: loss.node.id,
      nodeTitle: loss.def.title,
      fix: `Set classes to ${data.classes}, and the units of the last Dense layer to match.`,
    });
  }
  return out;
}

/**
 * The dataset as the graph's loss trains on it: the same images, labels regrouped into
 * the loss's own classes when it groups them (a hinge loss's binary split); the dataset
 * itself otherwise. Call after checkDatasetFits found no problem.
 */
export function datasetForGraph(v: Validation, data: Dataset): Dataset {
  const loss = v.lossNode ? v.nodes.get(v.lossNode) : undefined;
  const grouping = loss?.def.objective?.classes(loss.params as never, data);
  if (!grouping || 'problem' in grouping) return data;
  const relabel = (part: DataSplit): DataSplit => ({ ...part, labels: part.labels.map((y) => grouping.groupOf[y]) });
  return {
    ...data,
    classes: grouping.names.length,
    classNames: grouping.names,
    train: relabel(data.train),
    test: relabel(data.test),
  };
}
