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

/** The first `n` samples of a split (a view, no copy). */
export function limitSplit(split: DataSplit, n: number, sampleSize: number): DataSplit {
  const count = Math.max(0, Math.min(split.count, Math.floor(n)));
  return {
    images: split.images.subarray(0, count * sampleSize),
    labels: split.labels.subarray(0, count),
    count,
  };
}
