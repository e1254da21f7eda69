/**
 * `wavegraph scatter` as a user runs it (a child process through bin/wavegraph.js),
 * which starts from a cached bundle of the sources rather than through tsx: the same
 * coefficients and the same messages either way.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npyHeader, readNpy, writeNpy } from '../../src/data/npy';
import { scatteringForward } from '../../nodes/math/scattering-fast';

const dir = mkdtempSync(join(tmpdir(), 'wg-scatter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wavegraph(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/wavegraph.js', ...args], {
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const B = 40,
  H = 17,
  W = 22;
const images = Float32Array.from({ length: B * H * W }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011));
const input = join(dir, 'in.npy');
const ways: Record<string, string>[] = [{}, { WAVEGRAPH_NO_BUNDLE: '1' }];
writeFileSync(input, writeNpy(images, [B, H, W]));

describe('wavegraph scatter as a process', () => {
  it('writes the same coefficients from the bundle as through tsx and as in process, on two threads', () => {
    const outputs: Float32Array[] = [];
    for (const env of ways) {
      const output = join(dir, `out-${outputs.length}.npy`);
      const r = wavegraph(
        env,
        'scatter',
        '--J',
        '2',
        '--L',
        '6',
        '--input',
        input,
        '--output',
        output,
        '--threads',
        '2',
      );
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Scattered 40 images of 17 x 22 \(J=2, L=6, max order 2\)/);
      const bytes = readFileSync(output);
      outputs.push(
        readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), output).data as Float32Array,
      );
    }
    const expected = scatteringForward(images, B, H, W, { J: 2, L: 6, maxOrder: 2 });
    expect(outputs[0]).toEqual(expected);
    expect(outputs[1]).toEqual(expected);
  });

  it('explains bad input the same way from the bundle', () => {
    const bad = join(dir, 'bad.npy');
    // a float64 file: the float32 header with its type changed (same length)
    const header = Buffer.from(npyHeader('<f4', [2, 8, 8]))
      .toString('latin1')
      .replace("'<f4'", "'<f8'");
    writeFileSync(bad, Buffer.concat([Buffer.from(header, 'latin1'), new Uint8Array(128 * 8)]));
    for (const env of ways) {
      const r = wavegraph(env, 'scatter', '--J', '1', '--L', '4', '--input', bad, '--output', join(dir, 'x.npy'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/holds float64 values .* needs float32 .* Nothing was written\./);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});
