/**
 * The dataset registry: turns a `--data` value into a Dataset, or a Diagnostic that
 * says what is missing and how to get it. Node-only (reads files); the parsers it uses
 * are platform-free and shared with the browser.
 *
 *   resolveDataset(spec, { dataDir?, env?, limit?, seed? }): Promise<ResolveResult>
 *     spec: 'synthetic' | 'fashion-mnist' | 'mnist' | 'cifar10' | a folder path holding
 *     IDX files or CIFAR-10 binaries. `limit` keeps the first N training samples.
 *   findDatasetFiles('fashion-mnist' | 'mnist' | folder, opts)
 *     The four IDX files (absolute paths, .gz or raw) so a server can hand them to the
 *     browser, which parses them with datasetFromIdx.
 *   DATASET_NAMES
 *
 * Folders for named datasets: opts.dataDir (the CLI's --data-dir), else the environment
 * variable (WAVEGRAPH_FASHION_MNIST, WAVEGRAPH_MNIST, WAVEGRAPH_CIFAR10), else for
 * Fashion-MNIST the folder of Debian's dataset-fashion-mnist package.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Dataset } from '../../compiler/dataset';
import { diag, type Diagnostic } from '../../document/diagnostics';
import { datasetFromCifar10 } from './cifar';
import { CIFAR10_CLASSES, FASHION_MNIST_CLASSES, MNIST_CLASSES } from './classNames';
import { DataFormatError } from './errors';
import { isGzip } from './gzip';
import { datasetFromIdx, type NamedBytes } from './idx';
import { makeSynthetic } from './synthetic';

export const DATASET_NAMES = ['synthetic', 'fashion-mnist', 'mnist', 'cifar10'] as const;
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

export interface ResolveOptions {
  /** Folder for a named dataset (the CLI's --data-dir); wins over the environment. */
  dataDir?: string;
  /** Environment to read WAVEGRAPH_* from; process.env when absent. */
  env?: Record<string, string | undefined>;
  /** Keep the first N training samples. */
  limit?: number;
  /** Seed of the synthetic dataset. */
  seed?: number;
}

export type ResolveResult = { ok: true; dataset: Dataset } | { ok: false; diagnostic: Diagnostic };

export interface IdxPaths {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

export type FindResult = { ok: true; dir: string; files: IdxPaths } | { ok: false; diagnostic: Diagnostic };

interface Known {
  title: string;
  envVar: string;
  defaultDir?: string;
  classNames: readonly string[];
  /** How to obtain the files, for the dataset-missing message. */
  howToGet: string;
}

const IDX_LIST =
  'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped or not)';

const KNOWN: Record<'fashion-mnist' | 'mnist' | 'cifar10', Known> = {
  'fashion-mnist': {
    title: 'Fashion-MNIST',
    envVar: 'WAVEGRAPH_FASHION_MNIST',
    defaultDir: FASHION_MNIST_DEFAULT_DIR,
    classNames: FASHION_MNIST_CLASSES,
    howToGet: `Install it with "sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist" (Debian/Ubuntu), or put ${IDX_LIST} in a folder and pass --data-dir <folder> or set WAVEGRAPH_FASHION_MNIST=<folder>.`,
  },
  mnist: {
    title: 'MNIST',
    envVar: 'WAVEGRAPH_MNIST',
    classNames: MNIST_CLASSES,
    howToGet: `Download ${IDX_LIST} into a folder and pass --data-dir <folder> or set WAVEGRAPH_MNIST=<folder>.`,
  },
  cifar10: {
    title: 'CIFAR-10',
    envVar: 'WAVEGRAPH_CIFAR10',
    classNames: CIFAR10_CLASSES,
    howToGet:
      'Download "CIFAR-10 binary version" (cifar-10-binary.tar.gz), extract it, and pass the folder holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin with --data-dir <folder> or set WAVEGRAPH_CIFAR10=<folder>.',
  },
};

const OFFLINE = ' "--data synthetic" works offline with no files.';

function canonical(spec: string): keyof typeof KNOWN | 'synthetic' | undefined {
  const s = spec.trim().toLowerCase();
  if (s === 'synthetic') return 'synthetic';
  if (s === 'fashion-mnist' || s === 'fashion_mnist' || s === 'fashionmnist') return 'fashion-mnist';
  if (s === 'mnist') return 'mnist';
  if (s === 'cifar10' || s === 'cifar-10') return 'cifar10';
  return undefined;
}

const IDX_NAME = /^(train|t10k)-(images|labels)[-.]idx([13])-ubyte(\.gz)?$/i;
const ROLES = {
  'train-images': 'trainImages',
  'train-labels': 'trainLabels',
  't10k-images': 'testImages',
  't10k-labels': 'testLabels',
} as const;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The IDX files in `dir`; raw files win over .gz when both exist (no decompression). */
function idxIn(dir: string): { files: Partial<IdxPaths>; missing: string[] } {
  const files: Partial<IdxPaths> = {};
  for (const entry of listDir(dir).sort((a, b) => b.length - a.length)) {
    const m = IDX_NAME.exec(entry);
    if (!m) continue;
    const role = ROLES[`${m[1].toLowerCase()}-${m[2].toLowerCase()}` as keyof typeof ROLES];
    files[role] = join(dir, entry);
  }
  const missing = (Object.keys(ROLES) as (keyof typeof ROLES)[])
    .filter((k) => !files[ROLES[k]])
    .map((k) => `${k}-idx${k.endsWith('images') ? 3 : 1}-ubyte[.gz]`);
  return { files, missing };
}

function cifarIn(dir: string): { train: string[]; test: string } | undefined {
  const inner = join(dir, 'cifar-10-batches-bin');
  if (isDir(inner)) return cifarIn(inner);
  const entries = listDir(dir);
  const train = entries.filter((e) => /^data_batch_\d+\.bin$/.test(e)).sort();
  if (train.length === 0 || !entries.includes('test_batch.bin')) return undefined;
  return { train: train.map((e) => join(dir, e)), test: join(dir, 'test_batch.bin') };
}

/** Which folder a named dataset is looked for in, and why (for the messages). */
function folderFor(name: keyof typeof KNOWN, opts: ResolveOptions): { dir?: string; from: string } {
  const env = opts.env ?? process.env;
  const k = KNOWN[name];
  if (opts.dataDir) return { dir: resolve(opts.dataDir), from: 'given with --data-dir' };
  const fromEnv = env[k.envVar];
  if (fromEnv) return { dir: resolve(fromEnv), from: `from ${k.envVar}` };
  if (k.defaultDir) return { dir: k.defaultDir, from: 'the default folder' };
  return { from: '' };
}

function missing(name: keyof typeof KNOWN, where: { dir?: string; from: string }, detail = ''): Diagnostic {
  const k = KNOWN[name];
  const message = where.dir
    ? `${k.title} was not found in ${where.dir} (${where.from})${detail ? `: ${detail}` : '.'}`
    : `${k.title} is not installed with Wavegraph and no folder was given for it.`;
  return diag('dataset-missing', message, { fix: k.howToGet + OFFLINE });
}

export function findDatasetFiles(spec: string, opts: ResolveOptions = {}): FindResult {
  const name = canonical(spec);
  if (name === 'synthetic' || name === 'cifar10') {
    return { ok: false, diagnostic: diag('bad-argument', `"${spec}" is not stored as IDX files.`) };
  }
  const where = name ? folderFor(name, opts) : { dir: resolve(spec), from: 'given as --data' };
  if (!where.dir || !isDir(where.dir)) {
    if (name) return { ok: false, diagnostic: missing(name, where) };
    return {
      ok: false,
      diagnostic: diag('dataset-missing', `There is no folder at ${where.dir}.`, {
        fix: `Pass an existing folder holding ${IDX_LIST}.`,
      }),
    };
  }
  const { files, missing: absent } = idxIn(where.dir);
  if (absent.length > 0) {
    const detail = `missing ${absent.join(', ')}.`;
    if (name) return { ok: false, diagnostic: missing(name, where, detail) };
    return {
      ok: false,
      diagnostic: diag('dataset-missing', `The folder ${where.dir} has no IDX dataset: ${detail}`, {
        fix: `Put ${IDX_LIST} in it.`,
      }),
    };
  }
  return { ok: true, dir: where.dir, files: files as IdxPaths };
}

const gunzipAsync = promisify(gunzip);

/**
 * A file's bytes, a gzip file decompressed by Node's zlib on its thread pool (the files
 * of a dataset in parallel, off this thread): Fashion-MNIST's in 0.5 s, where the
 * DecompressionStream that the browser shares (gzip.ts) took 1.2 s of this thread. A
 * damaged file is handed on as it is, for gzip.ts to report.
 */
async function readNamed(path: string): Promise<NamedBytes> {
  let buf = await readFile(path);
  if (isGzip(buf)) buf = await gunzipAsync(buf).catch(() => buf);
  return { name: path, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}

async function loadIdx(
  found: { dir: string; files: IdxPaths },
  name: string,
  classNames: readonly string[] | undefined,
  limit?: number,
) {
  const f = found.files;
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [f.trainImages, f.trainLabels, f.testImages, f.testLabels].map(readNamed),
  );
  return datasetFromIdx(
    { trainImages, trainLabels, testImages, testLabels },
    { name, classNames: classNames && [...classNames], limit },
  );
}

async function loadCifar(files: { train: string[]; test: string }, name: string, limit?: number): Promise<Dataset> {
  const train = await Promise.all(files.train.map(readNamed));
  const test = [await readNamed(files.test)];
  return datasetFromCifar10(train, test, { name, limit });
}

async function load(spec: string, opts: ResolveOptions): Promise<ResolveResult> {
  const name = canonical(spec);
  if (name === 'synthetic') {
    const train = opts.limit === undefined ? undefined : Math.min(6000, Math.max(0, Math.floor(opts.limit)));
    return { ok: true, dataset: makeSynthetic({ seed: opts.seed, train }) };
  }
  if (name === 'cifar10') {
    const where = folderFor(name, opts);
    const files = where.dir ? cifarIn(where.dir) : undefined;
    if (!files)
      return {
        ok: false,
        diagnostic: missing(
          name,
          where,
          where.dir && isDir(where.dir) ? 'no data_batch_N.bin and test_batch.bin there.' : '',
        ),
      };
    return { ok: true, dataset: await loadCifar(files, 'cifar10', opts.limit) };
  }
  if (name) {
    const found = findDatasetFiles(name, opts);
    if (!found.ok) return found;
    return { ok: true, dataset: await loadIdx(found, name, KNOWN[name].classNames, opts.limit) };
  }
  // Not a known name: a folder to detect.
  const dir = resolve(spec);
  if (!isDir(dir)) {
    const looksLikeName = !/[/\\.]/.test(spec);
    const message = looksLikeName
      ? `There is no dataset named "${spec}" and no folder ${dir}.`
      : `There is no folder at ${dir}.`;
    return {
      ok: false,
      diagnostic: diag('dataset-missing', message, {
        fix: `Use one of ${DATASET_NAMES.join(', ')}, or the path of a folder holding IDX files or CIFAR-10 binaries.${OFFLINE}`,
      }),
    };
  }
  const cifar = cifarIn(dir);
  if (cifar) return { ok: true, dataset: await loadCifar(cifar, spec, opts.limit) };
  const found = findDatasetFiles(dir, opts);
  if (!found.ok) {
    const { missing: absent } = idxIn(dir);
    const message = `The folder ${dir} holds neither an IDX dataset (missing ${absent.join(', ')}) nor CIFAR-10 binaries (data_batch_N.bin and test_batch.bin).`;
    return {
      ok: false,
      diagnostic: diag('dataset-missing', message, {
        fix: `Put the four MNIST-style files (${IDX_LIST}) or the CIFAR-10 binary batches in it.${OFFLINE}`,
      }),
    };
  }
  return { ok: true, dataset: await loadIdx(found, spec, undefined, opts.limit) };
}

export async function resolveDataset(spec: string, opts: ResolveOptions = {}): Promise<ResolveResult> {
  try {
    return await load(spec, opts);
  } catch (e) {
    if (e instanceof DataFormatError) {
      return {
        ok: false,
        diagnostic: diag('bad-dataset', `The dataset file ${e.message}.`, {
          fix: 'Download or copy the file again; it is damaged or in another format.',
        }),
      };
    }
    const err = e as NodeJS.ErrnoException;
    const where = err && typeof err.path === 'string' ? ` ${err.path}` : '';
    const why = err && err.code ? err.code : String(err instanceof Error ? err.message : err);
    return {
      ok: false,
      diagnostic: diag('bad-dataset', `Could not read the dataset file${where} (${why}).`, {
        fix: 'Check that the file exists and is readable.',
      }),
    };
  }
}
