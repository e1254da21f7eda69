/**
 * CIFAR-10 binary version: each record is 1 label byte then 3072 pixel bytes, the
 * 32x32 red plane, then green, then blue (row-major). Batch files simply concatenate
 * records, so several files concatenate into one split.
 *
 *   parseCifar10(files, maxCount?): DataSplit   channel-last float32 in [0,1], labels 0..9
 *   datasetFromCifar10(trainFiles, testFiles, info): Dataset
 *
 * Platform-free; problems throw DataFormatError naming the file.
 */
import type { Dataset, DataSplit } from '../../compiler/dataset';
import { CIFAR10_CLASSES } from './classNames';
import { DataFormatError } from './errors';
import type { NamedBytes } from './idx';

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD = 1 + 3 * PLANE;

export function parseCifar10(files: readonly NamedBytes[], maxCount = Infinity): DataSplit {
  let total = 0;
  for (const f of files) {
    if (f.bytes.length === 0 || f.bytes.length % CIFAR_RECORD !== 0) {
      const hint =
        f.bytes.length % (CIFAR_RECORD + 1) === 0 && f.bytes.length > 0
          ? ' (3074-byte records are CIFAR-100, which has two label bytes)'
          : '';
      throw new DataFormatError(
        f.name,
        `is ${f.bytes.length} bytes, not a whole number of ${CIFAR_RECORD}-byte CIFAR-10 records${hint}; the file may be truncated or not the binary version`,
      );
    }
    total += f.bytes.length / CIFAR_RECORD;
  }
  const count = Math.min(total, Math.max(0, Math.floor(maxCount)));
  const images = new Float32Array(count * PLANE * 3);
  const labels = new Uint8Array(count);
  let r = 0;
  for (const f of files) {
    const b = f.bytes;
    const inFile = b.length / CIFAR_RECORD;
    for (let k = 0; k < inFile && r < count; k++, r++) {
      const at = k * CIFAR_RECORD;
      const label = b[at];
      if (label > 9) throw new DataFormatError(f.name, `record ${k} has label ${label}, outside 0..9`);
      labels[r] = label;
      const base = r * PLANE * 3;
      for (let p = 0; p < PLANE; p++) {
        const o = base + p * 3;
        images[o] = b[at + 1 + p] / 255;
        images[o + 1] = b[at + 1 + PLANE + p] / 255;
        images[o + 2] = b[at + 1 + 2 * PLANE + p] / 255;
      }
    }
  }
  return { images, labels, count };
}

export function datasetFromCifar10(
  trainFiles: readonly NamedBytes[],
  testFiles: readonly NamedBytes[],
  info: { name: string; limit?: number },
): Dataset {
  return {
    name: info.name,
    shape: [CIFAR_SIDE, CIFAR_SIDE, 3],
    classes: 10,
    classNames: [...CIFAR10_CLASSES],
    train: parseCifar10(trainFiles, info.limit ?? Infinity),
    test: parseCifar10(testFiles),
  };
}
