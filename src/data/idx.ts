/**
 * IDX, the file format of MNIST and Fashion-MNIST (big-endian header, then raw bytes).
 *
 *   parseIdxImages(bytes, name): { count, rows, cols, pixels: Uint8Array }   magic 0x00000803
 *   parseIdxLabels(bytes, name): Uint8Array                                   magic 0x00000801
 *   datasetFromIdx(files, info): Promise<Dataset>
 *     The four files (gzipped or raw) -> a Dataset; what the CLI and the browser both call
 *     once they hold the bytes. `info.limit` keeps the first N training samples.
 *
 * Everything here is platform-free; problems throw DataFormatError naming the file.
 */
import type { Dataset, DataSplit } from '../../compiler/dataset';
import { DataFormatError, hex32 } from './errors';
import { maybeGunzip } from './gzip';

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** Header checks shared by images and labels; returns the dims. */
function readHeader(bytes: Uint8Array, name: string, rank: number): number[] {
  const magic = (rank | (UBYTE << 8)) >>> 0;
  if (bytes.length < 4) {
    throw new DataFormatError(
      name,
      `the file is ${bytes.length} bytes long, too short for an IDX header (is it empty or truncated?)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    let hint = '';
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) hint = ' (the file is still gzip-compressed)';
    else if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] !== UBYTE && TYPE_NAMES[bytes[2]]) {
      hint = ` (IDX of ${TYPE_NAMES[bytes[2]]} values; only unsigned bytes are supported)`;
    } else if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === UBYTE) {
      hint = ` (an IDX file of rank ${bytes[3]}; ${rank === 3 ? 'images' : 'labels'} need rank ${rank})`;
    }
    throw new DataFormatError(name, `expected magic ${hex32(magic)}, found ${hex32(found)}${hint}`);
  }
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataFormatError(
      name,
      `the header needs ${headerSize} bytes but the file has only ${bytes.length} (truncated)`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const body = bytes.length - headerSize;
  if (body < expected) {
    throw new DataFormatError(
      name,
      `the header says ${dims.join('x')} = ${expected} bytes of data but the file holds only ${body} (truncated; download it again)`,
    );
  }
  if (body > expected) {
    throw new DataFormatError(
      name,
      `the header says ${dims.join('x')} = ${expected} bytes of data but the file holds ${body}`,
    );
  }
  return dims;
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols bytes, row-major. A view into the input bytes. */
  pixels: Uint8Array;
}

export function parseIdxImages(bytes: Uint8Array, name = 'images'): IdxImages {
  const [count, rows, cols] = readHeader(bytes, name, 3);
  if (rows === 0 || cols === 0) throw new DataFormatError(name, `images of ${rows}x${cols} pixels are empty`);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

export function parseIdxLabels(bytes: Uint8Array, name = 'labels'): Uint8Array {
  readHeader(bytes, name, 1);
  return bytes.subarray(8);
}

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface IdxFiles {
  trainImages: NamedBytes;
  trainLabels: NamedBytes;
  testImages: NamedBytes;
  testLabels: NamedBytes;
}

export interface IdxInfo {
  /** Dataset name to report ("fashion-mnist" or the folder). */
  name: string;
  /** Class names; when absent, "0".."K-1" from the largest label. */
  classNames?: string[];
  /** Keep only the first N training samples (the CLI's --limit). */
  limit?: number;
}

function toSplit(
  images: IdxImages,
  labels: Uint8Array,
  imgName: string,
  lblName: string,
  classes: number,
  max: number,
): DataSplit {
  if (labels.length !== images.count) {
    throw new DataFormatError(lblName, `holds ${labels.length} labels but ${imgName} holds ${images.count} images`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DataFormatError(lblName, `label ${labels[i]} at index ${i} is outside 0..${classes - 1}`);
    }
  }
  const count = Math.min(images.count, max);
  const n = count * images.rows * images.cols;
  const out = new Float32Array(n);
  const px = images.pixels;
  for (let i = 0; i < n; i++) out[i] = px[i] / 255;
  return { images: out, labels: labels.slice(0, count), count };
}

export async function datasetFromIdx(files: IdxFiles, info: IdxInfo): Promise<Dataset> {
  const raw = await Promise.all(
    [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map((f) => maybeGunzip(f.bytes, f.name)),
  );
  const trImg = parseIdxImages(raw[0], files.trainImages.name);
  const trLbl = parseIdxLabels(raw[1], files.trainLabels.name);
  const teImg = parseIdxImages(raw[2], files.testImages.name);
  const teLbl = parseIdxLabels(raw[3], files.testLabels.name);
  if (teImg.rows !== trImg.rows || teImg.cols !== trImg.cols) {
    throw new DataFormatError(
      files.testImages.name,
      `images are ${teImg.rows}x${teImg.cols} but the training images are ${trImg.rows}x${trImg.cols}`,
    );
  }
  let classNames = info.classNames;
  if (!classNames) {
    let top = 0;
    for (const l of [trLbl, teLbl]) for (let i = 0; i < l.length; i++) if (l[i] > top) top = l[i];
    classNames = Array.from({ length: top + 1 }, (_, i) => String(i));
  }
  const classes = classNames.length;
  const limit = info.limit === undefined ? Infinity : Math.max(0, Math.floor(info.limit));
  return {
    name: info.name,
    shape: [trImg.rows, trImg.cols, 1],
    classes,
    classNames,
    train: toSplit(trImg, trLbl, files.trainImages.name, files.trainLabels.name, classes, limit),
    test: toSplit(teImg, teLbl, files.testImages.name, files.testLabels.name, classes, Infinity),
  };
}
