import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../document/diagnostics';
import { findDatasetFiles, FASHION_MNIST_DEFAULT_DIR, resolveDataset } from '../../src/data/registry';
import { sameValues, tempDir, writeIdxSet } from './files';

describe('resolveDataset', () => {
  it('builds the synthetic set offline, honouring seed and limit', async () => {
    const r = await resolveDataset('synthetic', { seed: 2, limit: 50 });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.train.count).toBe(50);
    expect(r.dataset.test.count).toBe(1000);
    const again = await resolveDataset('synthetic', { seed: 2, limit: 50 });
    expect(again.ok && sameValues(again.dataset.train.images, r.dataset.train.images)).toBe(true);
  });

  it('says dataset-missing for an empty folder, naming it', async () => {
    const dir = tempDir();
    const r = await resolveDataset(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('dataset-missing');
    expect(r.diagnostic.message).toContain(dir);
    expect(r.diagnostic.message).toContain('train-images-idx3-ubyte');
    expect(formatDiagnostic(r.diagnostic)).not.toMatch(/\n\s+at /);
  });

  it('tells how to get Fashion-MNIST when the given folder lacks it', async () => {
    const dir = tempDir();
    const r = await resolveDataset('fashion-mnist', { dataDir: dir });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('dataset-missing');
    expect(r.diagnostic.message).toContain(dir);
    expect(r.diagnostic.fix).toContain('apt-get install -y dataset-fashion-mnist');
    expect(r.diagnostic.fix).toContain('--data-dir');
    expect(r.diagnostic.fix).toContain('WAVEGRAPH_FASHION_MNIST');
  });

  it('looks in WAVEGRAPH_MNIST, and says so when MNIST has no folder at all', async () => {
    const none = await resolveDataset('mnist', { env: {} });
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.diagnostic.code).toBe('dataset-missing');
      expect(none.diagnostic.fix).toContain('WAVEGRAPH_MNIST');
    }
    const dir = tempDir();
    writeIdxSet(dir, { gzip: true, train: 20, test: 10 });
    const r = await resolveDataset('mnist', { env: { WAVEGRAPH_MNIST: dir } });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.name).toBe('mnist');
    expect(r.dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(r.dataset.train.count).toBe(20);
  });

  it('reads gzip files, and names a damaged one', async () => {
    const dir = tempDir();
    writeIdxSet(dir, { gzip: true, train: 20, test: 10 });
    const plain = tempDir();
    writeIdxSet(plain, { gzip: false, train: 20, test: 10 });
    const a = await resolveDataset(dir);
    const b = await resolveDataset(plain);
    if (!a.ok || !b.ok) throw new Error('both sets should load');
    expect(sameValues(a.dataset.train.images, b.dataset.train.images)).toBe(true);
    const file = join(dir, 'train-images-idx3-ubyte.gz');
    const gz = readFileSync(file);
    writeFileSync(file, gz.subarray(0, gz.length - 12));
    const r = await resolveDataset(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic.message).toMatch(/train-images-idx3-ubyte\.gz.*damaged or truncated/);
  });

  it('prefers --data-dir over the environment', async () => {
    const good = tempDir();
    writeIdxSet(good, { gzip: false, train: 10, test: 10 });
    const r = await resolveDataset('fashion-mnist', { dataDir: good, env: { WAVEGRAPH_FASHION_MNIST: tempDir() } });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.classNames[9]).toBe('Ankle boot');
  });

  it('rejects an unknown name and a path that does not exist', async () => {
    const r = await resolveDataset('imagenet');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic.code).toBe('dataset-missing');
      expect(r.diagnostic.message).toContain('no dataset named "imagenet"');
      expect(r.diagnostic.fix).toContain('synthetic');
    }
    const p = await resolveDataset('./no/such/folder');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.diagnostic.message).toContain('There is no folder at');
  });

  it('lists the IDX files for a server, preferring raw files to .gz', () => {
    const dir = tempDir();
    writeIdxSet(dir, { gzip: true });
    const gz = findDatasetFiles('fashion-mnist', { dataDir: dir });
    if (!gz.ok) throw new Error(gz.diagnostic.message);
    expect(gz.files.testLabels).toBe(join(dir, 't10k-labels-idx1-ubyte.gz'));
    writeIdxSet(dir, { gzip: false });
    const raw = findDatasetFiles(dir);
    expect(raw.ok && raw.files.trainImages).toBe(join(dir, 'train-images-idx3-ubyte'));
    mkdirSync(join(dir, 'empty'));
    const missing = findDatasetFiles(join(dir, 'empty'));
    expect(missing.ok).toBe(false);
  });
});

describe('Fashion-MNIST from the Debian package', () => {
  // The test command installs dataset-fashion-mnist; a missing folder is a failure, not a skip.
  it('is installed where the registry looks by default', () => {
    expect(existsSync(FASHION_MNIST_DEFAULT_DIR)).toBe(true);
    const found = findDatasetFiles('fashion-mnist', { env: {} });
    if (!found.ok) throw new Error(formatDiagnostic(found.diagnostic));
    expect(found.dir).toBe(FASHION_MNIST_DEFAULT_DIR);
  });

  it('loads 60000 training and 10000 test images of 28x28 with balanced labels', async () => {
    const r = await resolveDataset('fashion-mnist', { env: {} });
    if (!r.ok) throw new Error(formatDiagnostic(r.diagnostic));
    const ds = r.dataset;
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.train.count).toBe(60000);
    expect(ds.test.count).toBe(10000);
    expect(ds.train.images.length).toBe(60000 * 784);
    expect(ds.classNames[0]).toBe('T-shirt/top');
    const counts = new Array(10).fill(0);
    for (const l of ds.test.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    let max = 0;
    for (let i = 0; i < 784 * 100; i++) max = Math.max(max, ds.train.images[i]);
    expect(max).toBe(1);
  });

  it('keeps the first N training samples with limit', async () => {
    const r = await resolveDataset('fashion-mnist', { env: {}, limit: 1000 });
    if (!r.ok) throw new Error(formatDiagnostic(r.diagnostic));
    expect(r.dataset.train.count).toBe(1000);
    expect(r.dataset.test.count).toBe(10000);
  });
});
