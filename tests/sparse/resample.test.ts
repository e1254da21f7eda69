import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, train, type GraphDocument } from '../../compiler';
import { procrustes, matmul, svd } from '../../nodes/math/linalg';
import { makeSynthetic } from '../../src/data/synthetic';
import { saveWeights } from '../../src/platform/weights-node';
import { alignNext } from '../../src/research/resample';
import { run as resampleCmd } from '../../src/cli/commands/resample';
import { run as spectrumCmd } from '../../src/cli/commands/spectrum';
import type { CliIO } from '../../src/cli/io';
import { chain, compile, gaussian, tf, useCpu } from './helpers';

beforeAll(useCpu);

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTTY: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('alignment as used in resampling', () => {
  it('recovers a known rotation and makes the next layer see the same input', () => {
    const C = 6,
      P = 3,
      rows = 400,
      out = 4;
    // A random orthogonal R from the SVD of a Gaussian matrix.
    const { U: R } = svd(gaussian(C * C, 21), C, C);
    const ref = Float64Array.from(gaussian(rows * C, 22));
    const fresh = matmul(
      ref,
      Float64Array.from({ length: C * C }, (_, i) => R[(i % C) * C + Math.floor(i / C)]),
      rows,
      C,
      C,
    ); // ref Rᵀ
    // Sigma = E[phi_ref phi_newᵀ] over rows.
    const sigma = new Float64Array(C * C);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < C; i++)
        for (let j = 0; j < C; j++) sigma[i * C + j] += (ref[r * C + i] * fresh[r * C + j]) / rows;
    const A = procrustes(sigma, C, C);
    for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) expect(A[i * C + j]).toBeCloseTo(R[j * C + i], 8); // A = Rᵀ
    // A Dense layer reading P positions x C channels (flattened, channel last).
    const kernel = tf.tensor2d(gaussian(P * C * out, 23), [P * C, out]);
    const aligned = alignNext(tf, 'units-last', kernel, A, C, C);
    const xRef = tf.tensor2d(Float32Array.from(ref.subarray(0, 5 * P * C)), [5, P * C]);
    const xNew = tf.tensor2d(Float32Array.from(fresh.subarray(0, 5 * P * C)), [5, P * C]);
    const yRef = tf.matMul(xRef, kernel).dataSync();
    const yNew = tf.matMul(xNew, aligned).dataSync();
    for (let i = 0; i < yRef.length; i++) expect(yNew[i]).toBeCloseTo(yRef[i], 4);
    // The same on a 1 x 1 convolution and on a RandomFeature factor.
    const conv = tf.tensor4d(gaussian(C * out, 24), [1, 1, C, out]);
    const convA = alignNext(tf, 'kernel', conv, A, C, C);
    const q = tf.tensor2d(gaussian(2 * P * C, 25), [2, P * C]);
    const qA = alignNext(tf, 'covariance-factor', q, A, C, C);
    const map = (x: tf.Tensor) => tf.reshape(x, [5, 1, P, C]) as tf.Tensor4D;
    const c1 = tf.conv2d(map(xRef), conv as tf.Tensor4D, 1, 'valid').dataSync();
    const c2 = tf.conv2d(map(xNew), convA as tf.Tensor4D, 1, 'valid').dataSync();
    for (let i = 0; i < c1.length; i++) expect(c2[i]).toBeCloseTo(c1[i], 4);
    const r1 = tf.matMul(xRef, q, false, true).dataSync();
    const r2 = tf.matMul(xNew, qA, false, true).dataSync();
    for (let i = 0; i < r1.length; i++) expect(r2[i]).toBeCloseTo(r1[i], 4);
  });
});

/** A tiny rainbow network: a per-pixel RandomFeature layer, BatchNorm, a hidden Dense. */
function tinyGraph(): GraphDocument {
  return chain(
    [28, 28, 1],
    [
      { id: 'pool', type: 'AvgPool', params: { size: 4 } },
      { id: 'conv', type: 'Conv2D', params: { channels: 4, kernel: 3 } },
      { id: 'rainbow', type: 'RandomFeature', params: { width: 16, seed: 5 } },
      { id: 'bn', type: 'BatchNorm' },
      { id: 'flat', type: 'Flatten' },
      { id: 'hidden', type: 'Dense', params: { units: 24 } },
      { id: 'relu', type: 'ReLU' },
      { id: 'head', type: 'Dense', params: { units: 10 } },
    ],
    'tiny rainbow',
  );
}

describe('resample and spectrum commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-resample-'));
  const graph = join(dir, 'graph.json');
  const weights = join(dir, 'weights');
  const common = ['--data', 'synthetic', '--limit', '400', '--test-limit', '200', '--backend', 'cpu'];

  beforeAll(async () => {
    const doc = tinyGraph();
    writeFileSync(graph, JSON.stringify(doc));
    const model = compile(doc);
    const data = makeSynthetic({ train: 400, test: 200 });
    await train(
      model,
      data,
      { ...DEFAULT_SETTINGS, epochs: 1, batchSize: 32, learningRate: 3e-3 },
      { now: () => performance.now(), yield: async () => {} },
    );
    await saveWeights(model, weights, doc.name);
    model.dispose();
  });

  it('reports the trained accuracy and K draws at another width, with a retrained head', async () => {
    const io = capture();
    const code = await resampleCmd(
      [
        graph,
        '--weights',
        weights,
        ...common,
        '--draws',
        '2',
        '--width',
        '12',
        '--retrain-head',
        '--head-epochs',
        '1',
        '--align-samples',
        '100',
        '--json',
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.at(-1)!);
    expect(r.layers).toEqual([
      { node: 'rainbow', type: 'RandomFeature', width: 16, newWidth: 12 },
      { node: 'hidden', type: 'Dense', width: 24, newWidth: 12 },
    ]);
    expect(r.draws).toHaveLength(2);
    for (const d of r.draws) {
      expect(d.reused).toBeGreaterThanOrEqual(0);
      expect(d.retrained).toBeLessThanOrEqual(1);
    }
    expect(r.trained).toBeGreaterThan(0.1);
    expect(r.reused.mean).toBeCloseTo((r.draws[0].reused + r.draws[1].reused) / 2, 10);
    expect(r.retrained.std).toBeGreaterThanOrEqual(0);
  });

  it('prints a readable summary and the spectrum of a layer', async () => {
    const io = capture();
    expect(
      await resampleCmd([graph, '--weights', weights, ...common, '--draws', '1', '--align-samples', '64'], io),
    ).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/trained network\s+\d+\.\d+%/);
    expect(io.stdout.join('\n')).toMatch(/resampled, head reused\s+\d+\.\d+% ± 0\.00/);
    for (const [node, D] of [
      ['rainbow', 4],
      ['hidden', 16 * 7 * 7],
      ['conv', 9],
    ] as const) {
      const s = capture();
      expect(await spectrumCmd([graph, '--weights', weights, '--node', node, '--json'], s)).toBe(0);
      const out = JSON.parse(s.stdout[0]);
      expect(out.inputs).toBe(D);
      expect(out.eigenvalues).toHaveLength(out.inputs);
      for (let i = 1; i < out.eigenvalues.length; i++)
        expect(out.eigenvalues[i]).toBeLessThanOrEqual(out.eigenvalues[i - 1] + 1e-9);
    }
  });

  it('refuses bad input with one clear paragraph and a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [[graph, '--weights', weights, ...common, '--draws', '0'], /--draws must be at least 1/],
      [[graph, '--weights', join(dir, 'nowhere'), ...common], /No trained weights/],
      [[graph, '--weights', weights, '--data', 'synthetic', '--width', '-3'], /--width must be at least 1/],
    ];
    // A graph with no layer to resample (only the classifier).
    const plain = join(dir, 'plain.json');
    writeFileSync(
      plain,
      JSON.stringify(
        chain(
          [28, 28, 1],
          [
            { id: 'flat', type: 'Flatten' },
            { id: 'head', type: 'Dense' },
          ],
          'plain',
        ),
      ),
    );
    const plainModel = compile(
      JSON.parse(
        JSON.stringify(
          chain(
            [28, 28, 1],
            [
              { id: 'flat', type: 'Flatten' },
              { id: 'head', type: 'Dense' },
            ],
          ),
        ),
      ),
    );
    const plainWeights = join(dir, 'plain-weights');
    await saveWeights(plainModel, plainWeights);
    plainModel.dispose();
    cases.push([[plain, '--weights', plainWeights, ...common], /no layer to resample/]);
    // Weights of another graph.
    cases.push([[graph, '--weights', plainWeights, ...common], /weights-mismatch/]);
    cases.push([[graph, '--weights', plainWeights, '--node', 'rainbow'], /weights-mismatch/]);
    // A rank larger than D.
    const bad = tinyGraph();
    bad.nodes.find((n) => n.id === 'rainbow')!.params.rank = 9;
    const badPath = join(dir, 'bad.json');
    writeFileSync(badPath, JSON.stringify(bad));
    cases.push([[badPath, '--weights', weights, ...common], /rank is 9, but the input has only D = 4/]);
    for (const [args, pattern] of cases) {
      const io = capture();
      const cmd = args.includes('--node') ? spectrumCmd : resampleCmd;
      const code = await cmd(args, io).catch((e: Error) => {
        io.err(e.message);
        return 1;
      });
      expect(code, args.join(' ')).not.toBe(0);
      expect(io.stderr.join('\n')).toMatch(pattern);
      expect(io.stderr.join('\n')).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
