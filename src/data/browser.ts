/**
 * Datasets in the browser: what the server offers (GET /data/index.json), fetching a
 * served IDX dataset (GET /data/<name>/<file>), and turning files a person uploads
 * into a Dataset. The parsing itself is the platform-free code the CLI uses too.
 *
 *   listServerDatasets(base?): Promise<ServerDataset[]>   [] when the server has none
 *   loadServerDataset(name, opts): Promise<LoadResult>
 *   datasetFromUpload(files, opts): Promise<LoadResult>
 */
import type { Dataset } from '../../compiler/dataset';
import { diag } from '../../document/diagnostics';
import { CIFAR_RECORD, datasetFromCifar10 } from './cifar';
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from './classNames';
import { DataFormatError } from './errors';
import { concatBytes, maybeGunzip } from './gzip';
import { datasetFromIdx, type IdxFiles, type NamedBytes } from './idx';
import type { Diagnostic } from '../../document/diagnostics';

export interface ServerDataset {
  name: string;
  files: string[];
}

export type LoadResult = { ok: true; dataset: Dataset } | { ok: false; diagnostic: Diagnostic };

const CLASS_NAMES: Record<string, readonly string[]> = { 'fashion-mnist': FASHION_MNIST_CLASSES, mnist: MNIST_CLASSES };
const IDX_NAME = /(train|t10k|test)[-_.]?(images|labels)/i;
const IDX_HELP =
  'Pick the four IDX files together: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzipped or not), or the CIFAR-10 binary batches (data_batch_1.bin ... and test_batch.bin).';

export async function listServerDatasets(base = ''): Promise<ServerDataset[]> {
  try {
    const res = await fetch(`${base}/data/index.json`);
    if (!res.ok) return [];
    const body = (await res.json()) as { datasets?: ServerDataset[] };
    return Array.isArray(body.datasets)
      ? body.datasets.filter((d) => typeof d.name === 'string' && Array.isArray(d.files))
      : [];
  } catch {
    return [];
  }
}

type Role = keyof IdxFiles;

function idxRole(fileName: string): Role | undefined {
  const m = IDX_NAME.exec(fileName);
  if (!m) return undefined;
  const train = m[1].toLowerCase() === 'train';
  const images = m[2].toLowerCase() === 'images';
  return train ? (images ? 'trainImages' : 'trainLabels') : images ? 'testImages' : 'testLabels';
}

function asDiagnostic(e: unknown): Diagnostic {
  if (e instanceof DataFormatError) {
    return diag('bad-dataset', `The dataset file ${e.message}.`, {
      fix: 'Pick the file again; it is damaged or in another format. ' + IDX_HELP,
    });
  }
  return diag('bad-dataset', `The dataset could not be read: ${e instanceof Error ? e.message : String(e)}.`, {
    fix: IDX_HELP,
  });
}

export async function loadServerDataset(
  name: string,
  opts: {
    base?: string;
    limit?: number;
    files?: string[];
    /** Bytes of the four files received so far, of their total (known once every answer has its length). */
    onProgress?: (loaded: number, total: number) => void;
  } = {},
): Promise<LoadResult> {
  const base = opts.base ?? '';
  const files = opts.files ?? (await listServerDatasets(base)).find((d) => d.name === name)?.files;
  if (!files) {
    return {
      ok: false,
      diagnostic: diag('dataset-missing', `The server does not offer the dataset "${name}".`, {
        fix: 'Use the synthetic dataset, or upload the files.',
      }),
    };
  }
  const chosen: Partial<Record<Role, string>> = {};
  // Prefer raw files over .gz when both are there: no decompression needed.
  for (const f of [...files].sort((a, b) => b.length - a.length)) {
    const role = idxRole(f);
    if (role) chosen[role] = f;
  }
  const roles: Role[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
  const missing = roles.filter((r) => !chosen[r]);
  if (missing.length) {
    return {
      ok: false,
      diagnostic: diag('dataset-missing', `The server's "${name}" folder lacks ${missing.join(', ')}.`, {
        fix: IDX_HELP,
      }),
    };
  }
  try {
    const loaded = roles.map(() => 0);
    const sizes = roles.map(() => NaN);
    const report = () => {
      const total = sizes.reduce((a, b) => a + b, 0);
      if (Number.isFinite(total))
        opts.onProgress?.(
          Math.min(
            total,
            loaded.reduce((a, b) => a + b, 0),
          ),
          total,
        );
    };
    const named = await Promise.all(
      roles.map(async (r, i): Promise<NamedBytes> => {
        const res = await fetch(`${base}/data/${encodeURIComponent(name)}/${encodeURIComponent(chosen[r]!)}`);
        if (!res.ok) throw new Error(`the server answered ${res.status} for ${chosen[r]}`);
        sizes[i] = Number(res.headers.get('content-length') ?? NaN);
        const bytes = await readBody(res, (n) => {
          loaded[i] = n;
          report();
        });
        return { name: chosen[r]!, bytes };
      }),
    );
    const [trainImages, trainLabels, testImages, testLabels] = named;
    const classNames = CLASS_NAMES[name] ? [...CLASS_NAMES[name]] : undefined;
    const dataset = await datasetFromIdx(
      { trainImages, trainLabels, testImages, testLabels },
      { name, classNames, limit: opts.limit },
    );
    return { ok: true, dataset };
  } catch (e) {
    return { ok: false, diagnostic: asDiagnostic(e) };
  }
}

/** A response's bytes, read as a stream so `onBytes` can follow it (whole when it cannot be streamed). */
async function readBody(res: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
    onBytes(n);
  }
  return concatBytes(parts, n);
}

/** The IDX role of an unnamed file from its magic number and item count. */
async function sniffIdx(files: NamedBytes[]): Promise<Partial<Record<Role, NamedBytes>>> {
  const found: { file: NamedBytes; rank: number; count: number }[] = [];
  for (const f of files) {
    const raw = await maybeGunzip(f.bytes, f.name);
    if (raw.length < 8 || raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08 || (raw[3] !== 1 && raw[3] !== 3)) continue;
    const count = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(4, false);
    found.push({ file: { name: f.name, bytes: raw }, rank: raw[3], count });
  }
  const out: Partial<Record<Role, NamedBytes>> = {};
  for (const rank of [3, 1]) {
    const list = found.filter((x) => x.rank === rank).sort((a, b) => b.count - a.count);
    if (list.length !== 2) continue;
    // The larger split is the training set.
    out[rank === 3 ? 'trainImages' : 'trainLabels'] = list[0].file;
    out[rank === 3 ? 'testImages' : 'testLabels'] = list[1].file;
  }
  return out;
}

export async function datasetFromUpload(files: NamedBytes[], opts: { limit?: number } = {}): Promise<LoadResult> {
  if (files.length === 0)
    return { ok: false, diagnostic: diag('bad-dataset', 'No files were picked.', { fix: IDX_HELP }) };
  try {
    const cifarTrain = files.filter((f) => /data_batch/i.test(f.name));
    const cifarTest = files.filter((f) => /test_batch/i.test(f.name));
    if (cifarTrain.length || cifarTest.length) {
      if (!cifarTrain.length || !cifarTest.length) {
        return {
          ok: false,
          diagnostic: diag(
            'bad-dataset',
            `CIFAR-10 needs training batches and the test batch; got only ${files.map((f) => f.name).join(', ')}.`,
            {
              fix: 'Pick data_batch_1.bin (or more of data_batch_1..5.bin) together with test_batch.bin.',
            },
          ),
        };
      }
      return {
        ok: true,
        dataset: datasetFromCifar10(cifarTrain, cifarTest, { name: 'cifar10 (uploaded)', limit: opts.limit }),
      };
    }
    const byName: Partial<Record<Role, NamedBytes>> = {};
    for (const f of files) {
      const role = idxRole(f.name);
      if (role) byName[role] = f;
    }
    const roles: Role[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
    const chosen = roles.every((r) => byName[r]) ? byName : await sniffIdx(files);
    if (!roles.every((r) => chosen[r])) {
      const sizes = files.map((f) => `${f.name} (${f.bytes.length} bytes)`).join(', ');
      const cifarLike = files.every((f) => f.bytes.length > 0 && f.bytes.length % CIFAR_RECORD === 0);
      const hint = cifarLike ? ' They look like CIFAR-10 batches: name them data_batch_N.bin and test_batch.bin.' : '';
      return {
        ok: false,
        diagnostic: diag('bad-dataset', `These files are not a dataset Wavegraph can read: ${sizes}.${hint}`, {
          fix: IDX_HELP,
        }),
      };
    }
    const idx = chosen as IdxFiles;
    const dataset = await datasetFromIdx(idx, { name: 'uploaded IDX', limit: opts.limit });
    return { ok: true, dataset };
  } catch (e) {
    return { ok: false, diagnostic: asDiagnostic(e) };
  }
}
