import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/data/errors';
import { maybeGunzip } from '../../src/data/gzip';
import { datasetFromIdx, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { resolveDataset } from '../../src/data/registry';
import { idxBytes, idxImages, idxLabels, pixelAt, tempDir, writeIdxSet } from './files';

describe('IDX files on disk', () => {
  for (const gzip of [false, true]) {
    it(`loads a ${gzip ? 'gzipped' : 'raw'} MNIST-style folder with exact pixels and labels`, async () => {
      const dir = tempDir();
      writeIdxSet(dir, { gzip, train: 12, test: 5, side: 4 });
      const r = await resolveDataset(dir);
      if (!r.ok) throw new Error(r.diagnostic.message);
      const ds = r.dataset;
      expect(ds.shape).toEqual([4, 4, 1]);
      expect(ds.train.count).toBe(12);
      expect(ds.test.count).toBe(5);
      expect(ds.classes).toBe(10);
      expect(ds.train.images.length).toBe(12 * 16);
      expect(Array.from(ds.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
      expect(Array.from(ds.test.labels)).toEqual([0, 3, 6, 9, 2]);
      expect(ds.train.images[(11 * 4 + 2) * 4 + 3]).toBeCloseTo(pixelAt(11, 2, 3) / 255, 6);
      expect(ds.test.images[(4 * 4 + 3) * 4 + 1]).toBeCloseTo(pixelAt(4, 3, 1) / 255, 6);
    });
  }

  it('keeps only the first N training samples with limit, and the whole test split', async () => {
    const dir = tempDir();
    writeIdxSet(dir, { gzip: true, train: 12, test: 5 });
    const r = await resolveDataset(dir, { limit: 3 });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.dataset.train.count).toBe(3);
    expect(r.dataset.train.images.length).toBe(3 * 16);
    expect(r.dataset.test.count).toBe(5);
  });

  it('reports a corrupt file as bad-dataset naming the file', async () => {
    const dir = tempDir();
    writeIdxSet(dir, { gzip: false });
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxImages(2, 2, 2));
    const r = await resolveDataset(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('bad-dataset');
    expect(r.diagnostic.message).toContain('train-labels-idx1-ubyte');
    expect(r.diagnostic.message).toContain('expected magic 0x00000801, found 0x00000803');
  });

  it('reports a truncated gzip file as bad-dataset', async () => {
    const dir = tempDir();
    writeIdxSet(dir, { gzip: true });
    const gz = gzipSync(idxImages(12, 4, 4));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length - 12));
    const r = await resolveDataset(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic.code).toBe('bad-dataset');
      expect(r.diagnostic.message).toContain('train-images-idx3-ubyte.gz');
    }
  });
});

describe('IDX parser', () => {
  it('rejects a wrong magic number with both values in hex', () => {
    const bytes = idxLabels([1, 2, 3]);
    expect(() => parseIdxImages(bytes, 'x.idx')).toThrow(DataFormatError);
    expect(() => parseIdxImages(bytes, 'x.idx')).toThrow('x.idx: expected magic 0x00000803, found 0x00000801');
  });

  it('says when the file is still gzipped', async () => {
    const gz = gzipSync(idxLabels([1, 2]));
    expect(() => parseIdxLabels(gz, 'l.gz')).toThrow(/still gzip-compressed/);
    expect(Array.from(parseIdxLabels(await maybeGunzip(gz, 'l.gz'), 'l.gz'))).toEqual([1, 2]);
  });

  it('rejects IDX files of other element types', () => {
    const bytes = idxBytes([1], new Uint8Array(1));
    bytes[2] = 0x0d;
    expect(() => parseIdxLabels(bytes, 'f.idx')).toThrow(/only unsigned bytes/);
  });

  it('rejects truncated data and a truncated header', () => {
    const full = idxImages(3, 4, 4);
    expect(() => parseIdxImages(full.subarray(0, full.length - 1), 'img')).toThrow(
      'img: the header says 3x4x4 = 48 bytes of data but the file holds only 47 (truncated',
    );
    expect(() => parseIdxImages(full.subarray(0, 10), 'img')).toThrow(/header needs 16 bytes/);
    expect(() => parseIdxImages(new Uint8Array(0), 'img')).toThrow(/too short/);
  });

  it('rejects trailing bytes beyond the declared dims', () => {
    const bytes = new Uint8Array([...idxLabels([1, 2]), 9]);
    expect(() => parseIdxLabels(bytes, 'lbl')).toThrow(/2 = 2 bytes of data but the file holds 3/);
  });

  it('rejects label files that disagree with the image count or the class count', async () => {
    const img = { name: 'img', bytes: idxImages(2, 2, 2) };
    const files = { trainImages: img, testImages: img, testLabels: { name: 'tl', bytes: idxLabels([0, 1]) } };
    await expect(
      datasetFromIdx({ ...files, trainLabels: { name: 'lbl', bytes: idxLabels([0]) } }, { name: 't' }),
    ).rejects.toThrow('lbl: holds 1 labels but img holds 2 images');
    await expect(
      datasetFromIdx(
        { ...files, trainLabels: { name: 'lbl', bytes: idxLabels([0, 12]) } },
        { name: 't', classNames: ['a', 'b'] },
      ),
    ).rejects.toThrow('lbl: label 12 at index 1 is outside 0..1');
  });

  it('passes non-gzip bytes through and rejects damaged gzip', async () => {
    const raw = new Uint8Array([1, 2, 3]);
    expect(await maybeGunzip(raw)).toBe(raw);
    const gz = gzipSync(new Uint8Array(1000).fill(7));
    const bad = gz.slice();
    bad[12] ^= 0xff;
    bad[13] ^= 0xff;
    await expect(maybeGunzip(bad, 'bad.gz')).rejects.toThrow(/bad\.gz: the gzip data is damaged or truncated/);
  });
});
