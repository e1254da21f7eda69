import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../compiler';
import type { CompiledModel } from '../../compiler/3-lower';
import { makeSynthetic } from '../../src/data/synthetic';
import { drawRows, rowsToWeight, weightRows } from '../../src/research/redraw';
import { resample } from '../../src/research/resample';
import { chain, compile, gaussian, tf, useCpu } from '../sparse/helpers';

beforeAll(useCpu);

const platform = { now: () => performance.now(), yield: async () => {} };

/** C = WᵀW / n for rows W (n x D). */
function cov(W: ArrayLike<number>, n: number, D: number): Float64Array {
  const C = new Float64Array(D * D);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) C[i * D + j] += (W[r * D + i] * W[r * D + j]) / n;
  return C;
}

const relErr = (a: Float64Array, b: Float64Array) =>
  Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / b.reduce((s, v) => s + v * v, 0));

/** A layer whose covariance is known: rows of a fixed matrix with a decaying spectrum. */
function knownRows(N: number, D: number, rank: number, seed: number): Float64Array {
  const G = gaussian(N * rank, seed);
  const M = gaussian(rank * D, seed + 1);
  const W = new Float64Array(N * D);
  for (let i = 0; i < N; i++)
    for (let k = 0; k < rank; k++)
      for (let d = 0; d < D; d++) W[i * D + d] += (G[i * rank + k] * M[k * D + d]) / (1 + k);
  return W;
}

describe('drawing a layer from its covariance', () => {
  it('gives sample covariances within 3% of the known one at large width', () => {
    const N = 40,
      D = 12;
    const W = knownRows(N, D, D, 3);
    const d = drawRows(W, N, D, 20000, 7);
    if ('zero' in d) throw new Error('zero');
    expect(d.ridge).toBeUndefined();
    expect(relErr(cov(d.W, 20000, D), cov(W, N, D))).toBeLessThan(0.03);
    // A narrow draw is far from it: the bound above is not met by any draw.
    const small = drawRows(W, N, D, 8, 7);
    if ('zero' in small) throw new Error('zero');
    expect(relErr(cov(small.W, 8, D), cov(W, N, D))).toBeGreaterThan(0.1);
  });

  it('reads a kxk convolution as neurons x (positions x input channels) and writes it back', () => {
    const [kh, kw, cin, cout] = [3, 3, 2, 5];
    const kernel = gaussian(kh * kw * cin * cout, 9);
    const { W, N, D } = weightRows('kernel', kernel, [kh, kw, cin, cout]);
    expect([N, D]).toEqual([5, 18]);
    // Row o is filter o: the kernel's last axis.
    for (let p = 0; p < D; p++) expect(W[2 * D + p]).toBeCloseTo(kernel[p * cout + 2], 6);
    const back = rowsToWeight('kernel', W, N, [kh, kw, cin, cout]);
    expect(back.shape).toEqual([3, 3, 2, 5]);
    expect(Array.from(back.values)).toEqual(Array.from(kernel));
  });

  it('regularizes a singular covariance and says how much', () => {
    const N = 30,
      D = 10;
    const W = knownRows(N, D, 3, 5); // rank 3 < min(N, D)
    const d = drawRows(W, N, D, 20000, 2);
    if ('zero' in d) throw new Error('zero');
    expect(d.rank).toBe(3);
    const C = cov(W, N, D);
    const trace = Array.from({ length: D }, (_, i) => C[i * D + i]).reduce((a, b) => a + b);
    expect(d.ridge).toBeCloseTo((0.01 * trace) / D, 10);
    for (let i = 0; i < D; i++) C[i * D + i] += d.ridge!;
    expect(relErr(cov(d.W, 20000, D), C)).toBeLessThan(0.03);
    expect(drawRows(new Float64Array(N * D), N, D, 4, 1)).toEqual({ zero: true });
  });
});

/** Fixed wavelets and moduli between learned 1x1 and 3x3 convolutions, no biases. */
function waveletConvGraph(): GraphDocument {
  return chain(
    [28, 28, 1],
    [
      { id: 'pool', type: 'AvgPool', params: { size: 2 } },
      { id: 'psi1', type: 'WaveletConv', params: { J: 2, L: 4, scale: '1', subsample: true } },
      { id: 'mod1', type: 'Modulus' },
      { id: 'mix1', type: 'Conv2D', params: { channels: 6, kernel: 1, bias: false } },
      { id: 'conv2', type: 'Conv2D', params: { channels: 5, kernel: 3, bias: false } },
      { id: 'psi2', type: 'WaveletConv', params: { J: 2, L: 2, scale: '1', subsample: true } },
      { id: 'mod2', type: 'Modulus' },
      { id: 'mix3', type: 'Conv2D', params: { channels: 4, kernel: 1, bias: false } },
      { id: 'flat', type: 'Flatten' },
      { id: 'head', type: 'Dense', params: { units: 10 } },
    ],
    'wavelet convs',
  );
}

function weightsOf(model: CompiledModel) {
  return new Map(model.variables.map((v) => [v.key, v.variable as never]));
}

async function logits(model: CompiledModel, x: tf.Tensor4D): Promise<Float32Array> {
  return (await tf.tidy(() => model.forward(x, { training: false }).logits).data()) as Float32Array;
}

describe('resampling every layer', () => {
  const data = makeSynthetic({ seed: 2, train: 200, test: 100 });

  it('aligning redrawn conv layers in sequence reproduces the outputs when the draw is the trained weights (neurons reordered)', async () => {
    const doc = waveletConvGraph();
    const model = compile(doc, 4);
    const x = tf.tensor4d(data.test.images.subarray(0, 8 * 784), [8, 28, 28, 1]);
    const want = await logits(model, x);
    // The trained rows in another order: the same network, which alignment must recover.
    const permute = (_node: string, W: Float64Array, N: number, D: number) => {
      const out = new Float64Array(N * D);
      for (let i = 0; i < N; i++) out.set(W.subarray((N - 1 - i) * D, (N - i) * D), i * D);
      return out;
    };
    let got: Float32Array | undefined;
    const r = await resample(tf, doc, weightsOf(model), data, {
      draws: 1,
      retrainHead: false,
      everyLayer: true,
      drawRows: permute,
      alignSamples: 100,
      platform,
      onNetwork: async (m) => {
        got = await logits(m, x);
      },
    });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.report.layers.map((l) => `${l.node}:${l.type}`)).toEqual(['mix1:Conv2D', 'conv2:Conv2D', 'mix3:Conv2D']);
    const scale = Math.max(...Array.from(want, Math.abs));
    for (let i = 0; i < want.length; i++) expect(Math.abs(got![i] - want[i])).toBeLessThan(1e-3 * scale);
    expect(r.report.reused.mean).toBeCloseTo(r.report.trained, 10);
    // A Gaussian draw is another network: its outputs differ.
    const g = await resample(tf, doc, weightsOf(model), data, {
      draws: 1,
      retrainHead: false,
      everyLayer: true,
      alignSamples: 100,
      platform,
      onNetwork: async (m) => {
        got = await logits(m, x);
      },
    });
    expect(g.ok).toBe(true);
    expect(Math.max(...Array.from(want, (v, i) => Math.abs(v - got![i])))).toBeGreaterThan(1e-2 * scale);
    model.dispose();
    x.dispose();
  }, 300_000);

  it('redraws every layer at another width, with the head retrained', async () => {
    const doc = waveletConvGraph();
    const model = compile(doc, 4);
    const r = await resample(tf, doc, weightsOf(model), data, {
      draws: 2,
      width: 9,
      retrainHead: true,
      headEpochs: 1,
      everyLayer: true,
      alignSamples: 64,
      platform,
    });
    model.dispose();
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.report.layers.map((l) => [l.node, l.width, l.newWidth])).toEqual([
      ['mix1', 6, 9],
      ['conv2', 5, 9],
      ['mix3', 4, 9],
    ]);
    expect(r.report.draws).toHaveLength(2);
    expect(r.report.retrained!.mean).toBeGreaterThanOrEqual(0);
    expect(r.report.notes).toEqual([]);
  }, 300_000);

  it('says when there is nothing to redraw, and names a layer whose covariance is singular', async () => {
    const plain = chain(
      [28, 28, 1],
      [
        { id: 'flat', type: 'Flatten' },
        { id: 'head', type: 'Dense' },
      ],
      'plain',
    );
    const pm = compile(plain);
    const none = await resample(tf, plain, weightsOf(pm), data, {
      draws: 1,
      retrainHead: false,
      everyLayer: true,
      platform,
    });
    pm.dispose();
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.diagnostics[0].message).toMatch(/"plain" has no layer to resample/);

    const doc = waveletConvGraph();
    const model = compile(doc, 4);
    const w = weightsOf(model);
    // conv2's 5 filters made copies of one: rank 1 of 5.
    const k = model.variables.find((v) => v.key === 'conv2/kernel')!.variable;
    const one = tf.tile(tf.slice(k, [0, 0, 0, 0], [3, 3, 6, 1]), [1, 1, 1, 5]);
    w.set('conv2/kernel', one as never);
    const r = await resample(tf, doc, w, data, {
      draws: 1,
      retrainHead: false,
      everyLayer: true,
      alignSamples: 64,
      platform,
    });
    model.dispose();
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.report.notes).toHaveLength(1);
    expect(r.report.notes[0]).toMatch(
      /Layer "conv2" \(Conv2D\): its weight covariance is singular \(rank 1 of 5 possible, 5 neurons x 54 inputs\)/,
    );
    expect(Number.isFinite(r.report.reused.mean)).toBe(true);
  }, 300_000);
});
