import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCifar10 } from '../../src/data/cifar';
import { DataFormatError } from '../../src/data/errors';
import { resolveDataset } from '../../src/data/registry';
import { cifarBytes, tempDir } from './files';

describe('CIFAR-10 binary', () => {
  it('loads batch files from a folder into channel-last images, batches in order', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data_batch_1.bin'), cifarBytes([3, 7]));
    writeFileSync(join(dir, 'data_batch_2.bin'), cifarBytes([9]));
    writeFileSync(join(dir, 'test_batch.bin'), cifarBytes([0, 1, 2]));
    const r = await resolveDataset(dir);
    if (!r.ok) throw new Error(r.diagnostic.message);
    const ds = r.dataset;
    expect(ds.shape).toEqual([32, 32, 3]);
    expect(ds.classNames[3]).toBe('cat');
    expect(ds.train.count).toBe(3);
    expect(Array.from(ds.train.labels)).toEqual([3, 7, 9]);
    expect(ds.test.count).toBe(3);
    // Record 1 of batch 1, pixel (y=2, x=5), channel G: value (1 + 5 + 69) mod 256.
    const p = 2 * 32 + 5;
    expect(ds.train.images[(1 * 1024 + p) * 3 + 1]).toBeCloseTo((1 + 5 * 1 + p) / 255, 6);
    // Record 0 of batch 2 (sample 2), channel B.
    expect(ds.train.images[(2 * 1024 + p) * 3 + 2]).toBeCloseTo((0 + 10 + p) / 255, 6);
  });

  it('finds the batches inside the cifar-10-batches-bin folder of the archive', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cifar-10-batches-bin'));
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'), cifarBytes([1, 2, 3, 4]));
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'test_batch.bin'), cifarBytes([5]));
    const r = await resolveDataset('cifar10', { dataDir: dir, limit: 2 });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.name).toBe('cifar10');
    expect(Array.from(r.dataset.train.labels)).toEqual([1, 2]);
    expect(r.dataset.test.count).toBe(1);
  });

  it('rejects a file that is not whole records, naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data_batch_1.bin'), cifarBytes([1, 2]).subarray(0, 5000));
    writeFileSync(join(dir, 'test_batch.bin'), cifarBytes([5]));
    const r = await resolveDataset(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('bad-dataset');
    expect(r.diagnostic.message).toContain('data_batch_1.bin');
    expect(r.diagnostic.message).toContain('3073-byte');
  });

  it('recognises CIFAR-100 records and bad labels', () => {
    expect(() => parseCifar10([{ name: 'c100.bin', bytes: new Uint8Array(3074 * 2) }])).toThrow(/CIFAR-100/);
    const bad = cifarBytes([1, 12]);
    expect(() => parseCifar10([{ name: 'b.bin', bytes: bad }])).toThrow(DataFormatError);
    expect(() => parseCifar10([{ name: 'b.bin', bytes: bad }])).toThrow('b.bin: record 1 has label 12, outside 0..9');
  });

  it('rejects CIFAR-10 requested by name when the folder is empty', async () => {
    const dir = tempDir();
    const r = await resolveDataset('cifar10', { env: { WAVEGRAPH_CIFAR10: dir } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('dataset-missing');
    expect(r.diagnostic.message).toContain(dir);
    expect(r.diagnostic.fix).toContain('WAVEGRAPH_CIFAR10');
  });
});
