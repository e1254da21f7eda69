/** The app's PyTorch .zip opens with Python's zipfile, and the model in it runs. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pytorchPackage } from '../../src/export/package';
import { crc32, zipFiles } from '../../src/export/zip';
import { initBackend } from '../../src/platform/tf-node';
import { exported, torchPython } from './helpers';

describe('zip', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
  it.skipIf(!torchPython())(
    'holds a package Python unzips and runs',
    async () => {
      const e = await exported('mlp');
      const dir = mkdtempSync(join(tmpdir(), 'wg-zip-'));
      writeFileSync(join(dir, 'mlp.zip'), zipFiles(pytorchPackage(e.doc, e.analysis, e.weights, e.text), 'mlp'));
      const out = execFileSync(
        torchPython()!,
        [
          '-c',
          [
            'import zipfile, sys, torch',
            `z = zipfile.ZipFile('${dir}/mlp.zip'); assert z.testzip() is None; z.extractall('${dir}')`,
            `sys.path.insert(0, '${dir}/mlp'); import model`,
            'print(model.Model.from_wavegraph()(torch.rand(2, 1, 28, 28)).shape)',
          ].join('\n'),
        ],
        { encoding: 'utf8' },
      );
      expect(out.trim()).toBe('torch.Size([2, 10])');
      e.model.dispose();
    },
    240_000,
  );
});
