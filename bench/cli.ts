/**
 * Figures a user gets: the `wavegraph` commands timed as whole processes, as typed
 * (node bin/wavegraph.js; `npx` adds npm's own start-up, about a second).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyHeader } from '../src/data/npy';

export interface ProcessFigure {
  command: string;
  wallSeconds: number;
  /** User + system CPU seconds of the process and its threads, when /usr/bin/time is there. */
  cpuSeconds?: number;
  stdout: string;
  load: string;
}

const TIME = '/usr/bin/time';

export function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** Run `wavegraph args...` as its own process and time it. */
export function timeCommand(args: string[]): ProcessFigure {
  const argv = [join('bin', 'wavegraph.js'), ...args];
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = timed
    ? spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`wavegraph ${args.join(' ')} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return {
    command: `wavegraph ${args.join(' ')}`,
    wallSeconds,
    cpuSeconds: m ? Number(m[1]) + Number(m[2]) : undefined,
    stdout: r.stdout,
    load: load(),
  };
}

/** The epoch rate `wavegraph train --json` reports for a template (cnn.json) on Fashion-MNIST. */
export function cliEpoch(
  workers: number,
  limit?: number,
  template = 'cnn.json',
): { samplesPerSec: number; testAcc: number; seconds: number; figure: ProcessFigure } {
  const args = [
    'train',
    `templates/${template}`,
    '--data',
    'fashion-mnist',
    '--epochs',
    '1',
    '--batch',
    '128',
    '--seed',
    '0',
    '--json',
    '--workers',
    String(workers),
  ];
  if (limit) args.push('--limit', String(limit), '--test-limit', '2000');
  const figure = timeCommand(args);
  const epoch = figure.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.epoch === 1);
  return { samplesPerSec: epoch.samplesPerSec, testAcc: epoch.testAcc, seconds: epoch.seconds, figure };
}

/**
 * Kymatio 0.3's NumPy frontend, 8,192 Fashion-MNIST images, 2 threads, whole process,
 * measured on a machine of this type; used when Kymatio is not installed where the
 * bench runs.
 */
export const KYMATIO_NUMPY_SECONDS: Record<number, number> = { 2: 14.9, 3: 27.8 };

/** A .npy file of `count` 28 x 28 images in a fresh folder, removed after `use`. */
function withImages<T>(images: Float32Array, count: number, use: (dir: string, input: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wavegraph-bench-'));
  try {
    const header = npyHeader('<f4', [count, 28, 28]);
    const bytes = new Uint8Array(header.length + count * 28 * 28 * 4);
    bytes.set(header);
    bytes.set(new Uint8Array(images.buffer, images.byteOffset, count * 28 * 28 * 4), header.length);
    writeFileSync(join(dir, 'in.npy'), bytes);
    return use(dir, join(dir, 'in.npy'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `wavegraph scatter` on the first 8,192 Fashion-MNIST training images (or smooth test images), whole process. */
export function scatterWhole(J: number, images: Float32Array, count: number): ProcessFigure {
  return withImages(images, count, (dir, input) =>
    timeCommand([
      'scatter',
      '--J',
      String(J),
      '--L',
      '8',
      '--max-order',
      '2',
      '--input',
      input,
      '--output',
      join(dir, 'out.npy'),
    ]),
  );
}

/**
 * Kymatio's NumPy frontend on the same images as a whole process, on 2 threads
 * (bench/kymatio_numpy.py), or why it did not run (not installed: status 3).
 */
export function kymatioWhole(J: number, images: Float32Array, count: number): ProcessFigure | { missing: string } {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  return withImages(images, count, (dir, input) => {
    const args = [join('bench', 'kymatio_numpy.py'), String(J), '8', '2', input, join(dir, 'out.npy')];
    const env = { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2', MKL_NUM_THREADS: '2' };
    const timed = existsSync(TIME);
    const t0 = performance.now();
    const r = timed
      ? spawnSync(TIME, ['-f', 'cpu %U %S', python, ...args], { encoding: 'utf8', env })
      : spawnSync(python, args, { encoding: 'utf8', env });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) {
      const why = (r.stderr || String(r.error ?? '')).trim().split('\n');
      return { missing: why.find((l) => /kymatio/i.test(l)) ?? why.pop() ?? `exit status ${r.status}` };
    }
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
    return {
      command: `python3 ${args.join(' ')}`,
      wallSeconds,
      cpuSeconds: m ? Number(m[1]) + Number(m[2]) : undefined,
      stdout: r.stdout,
      load: load(),
    };
  });
}
