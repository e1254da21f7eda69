import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/scatter';
import type { CliIO } from '../../src/cli/io';
import { readNpy, writeNpy } from '../../src/data/npy';
import { scatteringForward } from '../../nodes/math/scattering-fast';
import { stopScatteringWorkers } from '../../src/platform/scattering-fast-node';

const dir = mkdtempSync(join(tmpdir(), 'wavegraph-scatter-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stopScatteringWorkers();
});

function capture(): CliIO & { outText: string[]; errText: string[] } {
  const outText: string[] = [],
    errText: string[] = [];
  return { outText, errText, out: (t) => outText.push(t), err: (t) => errText.push(t), isTTY: false };
}

function npyFile(name: string, data: Float32Array | Uint8Array, shape: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, writeNpy(data, shape));
  return path;
}

/** A float64 .npy (H, W) written by hand: writeNpy only writes float32 and uint8. */
function float64File(name: string, H: number, W: number): string {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${H}, ${W}), }`;
  header = header.padEnd(128 - 10 - 1, ' ') + '\n';
  const bytes = new Uint8Array(128 + H * W * 8);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  new Float64Array(bytes.buffer, 128).fill(0.5);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function readOutput(path: string) {
  const b = readFileSync(path);
  return readNpy(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
}

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i % 5) * 0.1);

describe('wavegraph scatter', () => {
  it('writes (B, K, h, w) float32 coefficients equal to the library result', async () => {
    const x = ramp(20 * 28 * 28);
    const input = npyFile('batch.npy', x, [20, 28, 28]);
    const output = join(dir, 'batch-out.npy');
    const io = capture();
    const code = await run(['--J', '2', '--L', '8', '--input', input, '--output', output], io);
    expect(code).toBe(0);
    const y = readOutput(output);
    expect(y.sourceDtype).toBe('<f4');
    expect(y.shape).toEqual([20, 81, 7, 7]);
    const ref = scatteringForward(x, 20, 28, 28, { J: 2, L: 8, maxOrder: 2 });
    expect(y.data).toHaveLength(ref.length);
    let differ = 0;
    for (let i = 0; i < ref.length; i++) if (y.data[i] !== ref[i]) differ++;
    expect(differ).toBe(0);
    expect(io.outText.join('\n')).toMatch(/\(20, 81, 7, 7\).*on js/);
  });

  it('takes a single (H, W) image, non-square, with --max-order 1, and reports the backend', async () => {
    const input = npyFile('one.npy', ramp(30 * 23), [30, 23]);
    const output = join(dir, 'one-out.npy');
    const io = capture();
    expect(
      await run(['--J=3', '--L=6', '--max-order', '1', '--input', input, '--output', output, '--backend', 'wasm'], io),
    ).toBe(0);
    expect(readOutput(output).shape).toEqual([19, 3, 2]);
    expect(io.outText.join('\n')).toMatch(/--backend wasm requested/);
  });

  const refusals: Array<[string, () => string[], RegExp]> = [
    [
      'J too large for the image',
      () => ['--J', '3', '--L', '8', '--input', npyFile('small.npy', ramp(2 * 7 * 9), [2, 7, 9])],
      /2\^J = 8 pixels per side.*7 x 9.*J <= 2/,
    ],
    ['a float64 file', () => ['--J', '1', '--L', '4', '--input', float64File('f64.npy', 8, 8)], /'<f8'.*needs float32/],
    [
      'a uint8 file',
      () => ['--J', '1', '--L', '4', '--input', npyFile('u8.npy', new Uint8Array(64), [8, 8])],
      /'\|u1'.*needs float32/,
    ],
    [
      'a wrong-rank array',
      () => ['--J', '1', '--L', '4', '--input', npyFile('rank4.npy', ramp(2 * 2 * 8 * 8), [2, 2, 8, 8])],
      /shape \(2, 2, 8, 8\).*expected images/,
    ],
    ['L < 1', () => ['--J', '1', '--L', '0', '--input', npyFile('ok.npy', ramp(64), [8, 8])], /--L must be at least 1/],
    ['a missing input file', () => ['--J', '1', '--L', '4', '--input', join(dir, 'nope.npy')], /does not exist/],
    [
      'a file that is not .npy',
      () => {
        const p = join(dir, 'text.npy');
        writeFileSync(p, 'hello');
        return ['--J', '1', '--L', '4', '--input', p];
      },
      /not a NumPy \.npy file/,
    ],
    ['a missing --output', () => ['--J', '1', '--L', '4', '--input', npyFile('ok2.npy', ramp(64), [8, 8])], /--output/],
  ];

  for (const [what, args, message] of refusals) {
    it(`refuses ${what}: one clear message, exit 1, nothing written`, async () => {
      const before = new Set(readdirSync(dir));
      const a = args();
      const output = join(dir, `out-${what.replace(/\W+/g, '-')}.npy`);
      const io = capture();
      const code = await run(a.includes('--output') || what.includes('--output') ? a : [...a, '--output', output], io);
      expect(code).toBe(1);
      expect(io.errText).toHaveLength(1);
      expect(io.errText[0]).toMatch(message);
      expect(io.errText[0]).toMatch(/Nothing was written/);
      expect(io.errText[0]).not.toMatch(/\n\s+at /); // no stack trace
      const created = readdirSync(dir).filter((f) => !before.has(f) && !a.some((x) => x.endsWith(f)));
      expect(created).toEqual([]);
    });
  }
});
