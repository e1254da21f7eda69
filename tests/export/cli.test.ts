/** `wavegraph export` on bad input: nothing written, and a message that says what is wrong. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { encodeWeights } from '../../src/platform/weights';
import { initBackend } from '../../src/platform/tf-node';
import { exported, torchPython } from './helpers';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['export', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'wg-export-cli-'));

describe('wavegraph export', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('refuses a graph that does not validate, with its diagnostics, writing nothing', async () => {
    const dir = tmp();
    const graph = JSON.parse(readFileSync('templates/mlp.json', 'utf8'));
    graph.nodes.filter((n: { type: string }) => n.type === 'Dense').pop().params.units = 7; // the loss wants 10
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(graph));
    const r = await cli([join(dir, 'bad.json'), '--to', 'pytorch', '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hidden|units|classes|scores/i);
    expect(r.err).toMatch(/Nothing was written/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const o = await cli([join(dir, 'bad.json'), '--to', 'onnx', '--out', join(dir, 'm.onnx')]);
    expect(o.code).toBe(1);
    expect(existsSync(join(dir, 'm.onnx'))).toBe(false);
  });

  it('refuses the weights of another graph, naming the weights that do not match', async () => {
    const dir = tmp();
    const cnn = await exported('cnn');
    const w = encodeWeights(cnn.weights, 'cnn');
    mkdirSync(join(dir, 'w'));
    writeFileSync(join(dir, 'w', 'weights.json'), JSON.stringify(w.manifest));
    writeFileSync(join(dir, 'w', 'weights.bin'), w.bin);
    cnn.model.dispose();
    const r = await cli([
      'templates/mlp.json',
      '--to',
      'pytorch',
      '--out',
      join(dir, 'out'),
      '--weights',
      join(dir, 'w'),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/"(hidden|fc1|dense\w*)\/kernel"|conv\w*\/kernel/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const ok = await cli([
      'templates/cnn.json',
      '--to',
      'onnx',
      '--out',
      join(dir, 'cnn.onnx'),
      '--weights',
      join(dir, 'w'),
    ]);
    expect(ok.code, ok.err).toBe(0);
  }, 60_000);

  it('refuses to write into a folder that is not an earlier export unless --force', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await cli(['templates/mlp.json', '--to', 'pytorch', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not an earlier Wavegraph export.*--force/);
    expect(existsSync(join(dir, 'model.py'))).toBe(false);
    expect((await cli(['templates/mlp.json', '--to', 'pytorch', '--out', dir, '--force'])).code).toBe(0);
    expect(existsSync(join(dir, 'model.py'))).toBe(true);
    // an earlier export is overwritten without --force
    expect((await cli(['templates/cnn.json', '--to', 'pytorch', '--out', dir])).code).toBe(0);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toMatch(/class Conv2D/);
    const file = join(dir, 'notes.txt');
    const o = await cli(['templates/mlp.json', '--to', 'onnx', '--out', file]);
    expect(o.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  }, 60_000);

  it.skipIf(!torchPython())('train.py without torch says in one line how to install it', async () => {
    const dir = tmp();
    expect((await cli(['templates/mlp.json', '--to', 'pytorch', '--out', dir])).code).toBe(0);
    // -S: no site-packages, so neither numpy nor torch can be imported
    const r = spawnSync(torchPython()!, ['-S', 'train.py'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs (numpy|torch).*pip install torch numpy.*python3-torch/);
  });
});
