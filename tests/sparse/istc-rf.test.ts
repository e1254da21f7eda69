import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../compiler';
import { istcThresholds } from '../../nodes/sparse/istc';
import { chain, compile, gaussian, tf, useCpu, variable } from './helpers';

beforeAll(useCpu);

const C = 5;
const M = 9;
const N_IT = 6;

function istcGraph(encoder = 'tied') {
  return chain(
    [3, 3, C],
    [
      { id: 'istc', type: 'ISTC', params: { iterations: N_IT, atoms: M, encoder, lambdaStar: 0.05 }, port: 'code' },
      { id: 'flat', type: 'Flatten' },
      { id: 'head', type: 'Dense', params: { units: 10 } },
    ],
  );
}

function run(model: ReturnType<typeof compile>, xs: Float32Array, b: number) {
  return tf.tidy(() => {
    const r = model.forward(tf.tensor4d(xs, [b, 3, 3, C]), {
      training: false,
      keep: new Set(['istc']),
      readouts: true,
    });
    const lambdas = Array.from({ length: N_IT }, (_, n) => r.readouts.get(`istc/lambda${n + 1}`)!.dataSync()[0]);
    return { code: r.kept.get('istc')!.code.dataSync(), recon: r.kept.get('istc')!.reconstruction.dataSync(), lambdas };
  });
}

describe('ISTC', () => {
  it('uses unit-norm dictionary columns whatever the stored scale', () => {
    const model = compile(istcGraph());
    const xs = gaussian(2 * 9 * C, 4);
    const before = run(model, xs, 2);
    const dict = model.variables.find((v) => v.key === 'istc/dictionary')!.variable;
    // Scale each column differently: the normalized dictionary, hence the code, must not change.
    dict.assign(tf.mul(dict, tf.linspace(0.5, 4, M)) as never);
    const after = run(model, xs, 2);
    for (let i = 0; i < before.code.length; i++) expect(after.code[i]).toBeCloseTo(before.code[i], 4);
    // The reconstruction is z times the unit-norm columns.
    const D = variable(model, 'istc/dictionary');
    const norms = Array.from({ length: M }, (_, j) => Math.hypot(...Array.from({ length: C }, (_, i) => D[i * M + j])));
    for (let p = 0; p < 18; p++) {
      for (let i = 0; i < C; i++) {
        let s = 0;
        for (let j = 0; j < M; j++) s += (D[i * M + j] / norms[j]) * after.code[p * M + j];
        expect(after.recon[p * C + i]).toBeCloseTo(s, 4);
      }
    }
    expect(before.code.some((v) => v > 0)).toBe(true);
    expect(before.code.every((v) => v >= 0)).toBe(true);
    model.dispose();
  });

  it('thresholds fall geometrically from λ₀ = mean ‖Wᵀx‖∞ (first training batch) to λ*', async () => {
    const model = compile(istcGraph('free'));
    const xs = gaussian(4 * 9 * C, 8);
    // λ₀ measured on the batch: mean over rows (pixels) of max_m |⟨d_m, x⟩| with unit-norm d_m.
    const D = variable(model, 'istc/dictionary');
    let sum = 0;
    for (let p = 0; p < 36; p++) {
      let best = 0;
      for (let j = 0; j < M; j++) {
        let dot = 0,
          nn = 0;
        for (let i = 0; i < C; i++) {
          dot += D[i * M + j] * xs[p * C + i];
          nn += D[i * M + j] ** 2;
        }
        best = Math.max(best, Math.abs(dot) / Math.sqrt(nn));
      }
      sum += best;
    }
    const lambda0 = sum / 36;
    const first = run(model, xs, 4);
    const expected = istcThresholds(lambda0, 0.05, N_IT);
    first.lambdas.forEach((l, n) => expect(l).toBeCloseTo(expected[n], 4));
    expect(first.lambdas.at(-1)).toBeCloseTo(0.05, 6);
    const ratios = first.lambdas.slice(1).map((l, n) => l / first.lambdas[n]);
    for (const r of ratios) expect(r).toBeCloseTo((0.05 / lambda0) ** (1 / N_IT), 5);
    // A training pass stores λ₀; later batches keep it.
    tf.tidy(() => {
      model.forward(tf.tensor4d(xs, [4, 3, 3, C]), { training: true });
    });
    expect(variable(model, 'istc/lambda0')[0]).toBeCloseTo(lambda0, 4);
    const other = run(
      model,
      gaussian(4 * 9 * C, 99).map((v) => 3 * v),
      4,
    );
    expect(other.lambdas[0]).toBeCloseTo(expected[0], 4);
    model.dispose();
  });

  it('rejects λ* = 0', () => {
    const doc = istcGraph();
    doc.nodes[1].params.lambdaStar = 0;
    const a = analyze(doc);
    expect(a.diagnostics.some((d) => d.code === 'bad-param' && d.param === 'lambdaStar')).toBe(true);
  });
});

function rfGraph(width: number, rank: number, shape: [number, number, number] = [1, 1, 6]) {
  return chain(shape, [
    { id: 'flat', type: 'Flatten' },
    { id: 'rf', type: 'RandomFeature', params: { width, rank, seed: 3, nonlinearity: 'none', bias: false } },
    { id: 'head', type: 'Dense', params: { units: 10 } },
  ]);
}

describe('RandomFeature', () => {
  it('rows of W = G Q have sample covariance close to QᵀQ at large width', () => {
    const D = 6,
      r = 4,
      N = 40000;
    const model = compile(rfGraph(N, r));
    const G = variable(model, 'rf/noise');
    const Q = variable(model, 'rf/factor');
    // Sample covariance of the rows, read from the layer itself: with no bias and no
    // nonlinearity, feeding the basis vectors e_j gives the columns of W.
    const W = tf.tidy(() =>
      model
        .forward(tf.eye(D).reshape([D, 1, 1, D]), { training: false, keep: new Set(['rf']) })
        .kept.get('rf')!
        .out.dataSync(),
    );
    let err = 0,
      norm = 0;
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < D; b++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += W[a * N + i] * W[b * N + i];
        s /= N;
        let c = 0;
        for (let k = 0; k < r; k++) c += Q[k * D + a] * Q[k * D + b];
        err += (s - c) ** 2;
        norm += c * c;
      }
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.03);
    // G is a fixed standard Gaussian, not trained.
    const mv = model.variables.find((v) => v.key === 'rf/noise')!;
    expect(mv.trainable).toBe(false);
    expect(mv.role).toBe('noise');
    const mean = G.reduce((s, v) => s + v, 0) / G.length;
    const varG = G.reduce((s, v) => s + v * v, 0) / G.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(varG).toBeCloseTo(1, 1);
    model.dispose();
  });

  it('acts per pixel on a map', () => {
    const model = compile(
      chain(
        [2, 2, 3],
        [
          { id: 'rf', type: 'RandomFeature', params: { width: 7, rank: 2 } },
          { id: 'flat', type: 'Flatten' },
          { id: 'head', type: 'Dense' },
        ],
      ),
    );
    const shape = tf.tidy(
      () => model.forward(tf.ones([1, 2, 2, 3]), { training: false, keep: new Set(['rf']) }).kept.get('rf')!.out.shape,
    );
    expect(shape).toEqual([1, 2, 2, 7]);
    model.dispose();
  });

  it('rank larger than D is an error that says why', () => {
    const a = analyze(rfGraph(16, 9));
    const d = a.diagnostics.find((x) => x.nodeId === 'rf')!;
    expect(a.ok).toBe(false);
    expect(d.code).toBe('bad-param');
    expect(d.param).toBe('rank');
    expect(d.message).toMatch(/D = 6/);
    expect(d.fix).toMatch(/at most 6/);
  });
});
