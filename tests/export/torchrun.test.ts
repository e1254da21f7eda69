/**
 * The exported train.py under torchrun: 2 CPU processes (gloo) take the same steps as
 * one process with the same global batch, and the weights they save open in Wavegraph.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/platform/tf-node';
import { main } from '../../src/cli/main';
import { exported, images, torchPython, torchrunCommand } from './helpers';

const python = torchPython();
const torchrun = python ? spawnSync(torchrunCommand(), ['--help'], { stdio: 'ignore' }).status === 0 : false;

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = 8;
  head[3] = dims.length;
  const view = new DataView(head.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** A small IDX dataset (28 x 28 grey, 10 classes) written the MNIST way. */
function writeDataset(dir: string, train: number, test: number) {
  mkdirSync(dir, { recursive: true });
  for (const [split, n] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    const { x, labels } = images(n, 28, 28, 1);
    writeFileSync(
      join(dir, `${split}-images-idx3-ubyte`),
      idx(
        [n, 28, 28],
        Uint8Array.from(x, (v) => Math.round(v * 255)),
      ),
    );
    writeFileSync(
      join(dir, `${split}-labels-idx1-ubyte`),
      idx(
        [n],
        Uint8Array.from(labels, (_l, i) => (i * 7) % 10),
      ),
    );
  }
}

const steps = (out: string) =>
  out
    .split('\n')
    .map((l) => /\{"step".*\}/.exec(l)?.[0])
    .filter(Boolean)
    .map((s) => JSON.parse(s!).loss as number);

describe.skipIf(!python || !torchrun)('torchrun', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  it('2 processes follow the one-process loss curve; their weights open in Wavegraph', async () => {
    const e = await exported('scattering-linear');
    const data = join(e.dir, 'data');
    writeDataset(data, 96, 32);
    const common = [
      'train.py',
      '--data',
      data,
      '--epochs',
      '2',
      '--batch',
      '16',
      '--lr',
      '0.01',
      '--json',
      '--steps',
      '--threads',
      '1',
    ];
    const one = execFileSync(python!, [...common, '--save', 'one'], { cwd: e.dir, encoding: 'utf8' });
    const logs = mkdtempSync(join(tmpdir(), 'wg-torchrun-'));
    // Debian's torch 1.13 torchrun needs --redirects/--tee under Python 3.11 (torch 2.x does not mind).
    const two = execFileSync(
      torchrunCommand(),
      [
        '--standalone',
        '--nproc_per_node=2',
        '--redirects',
        '1',
        '--tee',
        '1',
        '--log_dir',
        logs,
        ...common,
        '--save',
        'two',
      ],
      {
        cwd: e.dir,
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      },
    );
    const a = steps(one);
    const b = steps(two);
    expect(a.length).toBe(12);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i] - b[i]), `step ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, a[i]));
    expect(a[a.length - 1]).toBeLessThan(a[0]);
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), isTTY: false };
    const code = await main(
      [
        'probe',
        'stability',
        join(e.dir, 'graph.json'),
        '--weights',
        join(e.dir, 'two'),
        '--data',
        data,
        '--samples',
        '8',
        '--json',
      ],
      io,
    );
    expect(code, lines.join('\n')).toBe(0);
    // and training continues from them in Wavegraph
    const again = await main(
      ['train', join(e.dir, 'graph.json'), '--weights', join(e.dir, 'two'), '--data', data, '--epochs', '1', '--json'],
      io,
    );
    expect(again, lines.join('\n')).toBe(0);
    e.model.dispose();
  }, 300_000);
});
