/**
 * The `wavegraph` command end to end, as a user runs it (a real child process
 * through bin/wavegraph.js), on good graphs and on every kind of bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveDocument } from '../../document/graph';
import { edge, mlpDoc, node } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'wg-cli-'));

function wavegraph(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/wavegraph.js', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string | object): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : saveDocument(content as never));
  return p;
}

/** A failure a student can read: non-zero exit, the node named, a fix, no stack trace. */
function expectClearFailure(r: ReturnType<typeof wavegraph>, ...mentions: RegExp[]) {
  expect(r.code).not.toBe(0);
  expect(r.err).not.toMatch(/\n\s+at /);
  for (const m of mentions) expect(r.err).toMatch(m);
}

describe('wavegraph --help', () => {
  it('lists every command with its summary starting in one column', () => {
    const r = wavegraph('--help');
    const rows = (r.out + r.err).split('\n').filter((l) => /^ {2}[a-z-]+ {2,}\S/.test(l));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.some((l) => l.startsWith('  stability-vs-error '))).toBe(true);
    const columns = new Set(rows.map((l) => l.length - l.slice(2).replace(/^\S+\s+/, '').length));
    expect(columns.size).toBe(1);
  });
});

describe('wavegraph validate', () => {
  it('prints every node with its output shape', () => {
    const r = wavegraph('validate', 'templates/cnn.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pool2\s+Max pooling\s+out: map \[7 x 7 x 64\]/);
    expect(r.out).toMatch(/454922 trainable/);
  });

  it('explains malformed JSON', () => {
    expectClearFailure(wavegraph('validate', file('bad.json', '{"format": "wavegraph", ')), /not valid JSON/);
  });

  it('names an unknown node type', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('warp', 'WarpDrive'));
    expectClearFailure(wavegraph('validate', file('unknown.json', doc)), /Node "warp"/, /WarpDrive/, /Fix:/);
  });

  it('names an out-of-range param and its range', () => {
    const doc = mlpDoc();
    doc.nodes[2].params.units = 0;
    expectClearFailure(
      wavegraph('validate', file('range.json', doc)),
      /Node "fc1" \(Dense \(linear\)\)/,
      /units/,
      /from 1 to 65536/,
    );
  });

  it('names the nodes of a cycle', () => {
    const doc = mlpDoc();
    doc.edges.push({ ...edge('fc2', 'fc1'), id: 'loop' });
    doc.edges = doc.edges.filter((e) => e.id !== 'flat-fc1');
    expectClearFailure(wavegraph('validate', file('cycle.json', doc)), /cycle/, /fc1/, /Fix:/);
  });

  it('refuses a graph over the memory budget, naming the node and the budget; --batch decides', () => {
    const doc = mlpDoc(10);
    doc.nodes[0].params = { height: 1024, width: 1024, channels: 4 };
    const path = file('huge.json', { ...doc, training: { batchSize: 8 } });
    const trillion = mlpDoc(65536);
    trillion.nodes[0].params = { height: 1024, width: 1024, channels: 16 };
    expectClearFailure(wavegraph('validate', file('trillion.json', trillion)), /Node "fc1"/, /TiB/);
    const r = wavegraph('train', path, '--batch', '64', '--data', 'synthetic', '--limit', '16');
    expectClearFailure(r, /memory-budget/, /Node "/, /batch size 64/, /2\.0 GiB/, /Fix:/);
    expect(wavegraph('validate', path).code).toBe(0);
  });

  it('names a shape mismatch', () => {
    const doc = mlpDoc();
    doc.nodes[4].params.units = 3;
    expectClearFailure(wavegraph('validate', file('shape.json', doc)), /Node "loss"/, /3 scores/, /Fix:/);
  });

  it('names an unconnected required input', () => {
    const doc = mlpDoc();
    doc.edges = doc.edges.filter((e) => e.target !== 'fc2');
    expectClearFailure(wavegraph('validate', file('open.json', doc)), /Node "fc2"/, /not connected/);
  });

  it('says when the file does not exist', () => {
    expectClearFailure(wavegraph('validate', join(dir, 'nope.json')), /no such file/);
  });
});

describe('wavegraph train', () => {
  it('trains on the synthetic set and prints one JSON line per epoch', () => {
    const r = wavegraph(
      'train',
      'templates/mlp.json',
      '--data',
      'synthetic',
      '--epochs',
      '2',
      '--limit',
      '2000',
      '--batch',
      '64',
      '--json',
      '--save',
      join(dir, 'w'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ epoch: 1, backend: 'wasm' });
    for (const k of ['loss', 'trainAcc', 'testAcc', 'samplesPerSec']) expect(typeof lines[1][k]).toBe('number');
    expect(lines[2].final).toBe(true);
    expect(lines[2].testAcc).toBeGreaterThan(0.8);
    expect(existsSync(join(dir, 'w', 'weights.bin'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'w', 'weights.json'), 'utf8'));
    expect(Object.keys(manifest.tensors)).toEqual(['dense1/kernel', 'dense1/bias', 'dense2/kernel', 'dense2/bias']);
  });

  it('explains a missing dataset and how to get it', () => {
    const r = wavegraph('train', 'templates/mlp.json', '--data', 'fashion-mnist', '--data-dir', join(dir, 'empty'));
    expectClearFailure(r, /dataset-missing/, /apt-get install/);
  });

  it('refuses a dataset that does not fit the Input node', () => {
    const doc = mlpDoc();
    doc.nodes[0].params.height = 32;
    expectClearFailure(
      wavegraph('train', file('fit.json', doc), '--data', 'synthetic'),
      /Node "input"/,
      /28 x 28 x 1/,
      /Fix:/,
    );
  });

  it('refuses graphs with errors and bad flags', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('x', 'Nope'));
    expectClearFailure(wavegraph('train', file('err.json', doc)), /Nope/);
    expectClearFailure(wavegraph('train', 'templates/mlp.json', '--epochs', 'many'), /--epochs must be a whole number/);
    expectClearFailure(
      wavegraph('train', 'templates/mlp.json', '--schedule', 'linear'),
      /--schedule must be constant or cosine, got "linear"/,
    );
    expectClearFailure(wavegraph('train', 'templates/mlp.json', '--backend', 'webgpu'), /not available in Node/);
  });
});
