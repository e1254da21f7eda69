import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../compiler';
import { symmetricEigenvalues, gram } from '../../nodes/math/linalg';
import { chain, compile, gaussian, tf, useCpu, variable } from './helpers';

beforeAll(useCpu);

/** Plain float64 ISTA from z = 0: z <- T(z + eta Dᵀ(x - D z)), tau = eta lambda. */
function ista(
  D: Float64Array,
  c: number,
  m: number,
  x: Float64Array,
  lambda: number,
  eta: number,
  iters: number,
  signed: boolean,
) {
  let z = new Float64Array(m);
  const tau = eta * lambda;
  for (let it = 0; it < iters; it++) {
    const r = Float64Array.from(x);
    for (let i = 0; i < c; i++) for (let j = 0; j < m; j++) r[i] -= D[i * m + j] * z[j];
    const next = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let g = 0;
      for (let i = 0; i < c; i++) g += D[i * m + j] * r[i];
      const v = z[j] + eta * g;
      next[j] = signed ? Math.sign(v) * Math.max(Math.abs(v) - tau, 0) : Math.max(v - tau, 0);
    }
    z = next;
  }
  return z;
}

/** Dᵀ(x − D z), the negative gradient of the data term. */
function correlation(D: Float64Array, c: number, m: number, x: Float64Array, z: Float64Array) {
  const r = Float64Array.from(x);
  for (let i = 0; i < c; i++) for (let j = 0; j < m; j++) r[i] -= D[i * m + j] * z[j];
  return Float64Array.from({ length: m }, (_, j) => {
    let g = 0;
    for (let i = 0; i < c; i++) g += D[i * m + j] * r[i];
    return g;
  });
}

const C = 6;
const M = 10;
const LAMBDA = 0.3;

function listaGraph(K: number, threshold: string, weights: string) {
  return chain(
    [2, 2, C],
    [
      {
        id: 'lista',
        type: 'LISTA',
        params: { K, atoms: M, threshold, weights, lambda: LAMBDA, layout: 'per-pixel' },
        port: 'code',
      },
      { id: 'flat', type: 'Flatten' },
      { id: 'head', type: 'Dense', params: { units: 10 } },
    ],
  );
}

describe('LISTA at initialization', () => {
  for (const [threshold, weights, K] of [
    ['non-negative', 'tied', 4],
    ['signed', 'tied', 7],
    ['signed', 'untied', 3],
    ['non-negative', 'tied', 1],
  ] as const) {
    it(`K = ${K} (${threshold}, ${weights}) equals K + 1 ISTA iterations from zero`, () => {
      const model = compile(listaGraph(K, threshold, weights));
      const D = Float64Array.from(variable(model, 'lista/dictionary'));
      // eta from an exact eigendecomposition, independent of the node's power iteration.
      const eta = 1 / symmetricEigenvalues(gram(D, C, M), M)[0];
      const xs = gaussian(3 * 4 * C, 11);
      const res = tf.tidy(() => {
        const r = model.forward(tf.tensor4d(xs, [3, 2, 2, C]), {
          training: false,
          keep: new Set(['lista']),
          readouts: true,
        });
        return {
          code: r.kept.get('lista')!.code.dataSync(),
          steps: [...r.readouts.keys()],
          recon: r.kept.get('lista')!.reconstruction.dataSync(),
        };
      });
      expect(res.steps).toEqual(Array.from({ length: K + 1 }, (_, k) => `lista/step${k}`));
      let worst = 0;
      let nonzero = 0;
      for (let p = 0; p < 12; p++) {
        const x = Float64Array.from(xs.subarray(p * C, (p + 1) * C));
        const ref = ista(D, C, M, x, LAMBDA, eta, K + 1, threshold === 'signed');
        for (let j = 0; j < M; j++) {
          worst = Math.max(worst, Math.abs(ref[j] - res.code[p * M + j]));
          if (ref[j] !== 0) nonzero++;
        }
        // reconstruction is D z
        for (let i = 0; i < C; i++) {
          let s = 0;
          for (let j = 0; j < M; j++) s += D[i * M + j] * res.code[p * M + j];
          expect(res.recon[p * C + i]).toBeCloseTo(s, 5);
        }
      }
      expect(nonzero).toBeGreaterThan(0);
      expect(worst).toBeLessThan(2e-6);
      model.dispose();
    });
  }

  it('publishes per-step codes whose sparsity can be read out', () => {
    const model = compile(listaGraph(5, 'non-negative', 'tied'));
    const xs = gaussian(2 * 4 * C, 3);
    const counts = tf.tidy(() => {
      const r = model.forward(tf.tensor4d(xs, [2, 2, 2, C]), { training: false, readouts: true });
      return [...r.readouts.values()].map((t) => t.shape);
    });
    expect(counts).toHaveLength(6);
    for (const s of counts) expect(s).toEqual([2, 2, 2, M]);
    model.dispose();
  });
});

describe('ISTA reference reaches the Lasso optimum', () => {
  for (const signed of [true, false]) {
    it(`${signed ? 'signed' : 'non-negative'}: |Dᵀ(x − Dz)| ≤ λ where z = 0, = λ sign(z) elsewhere`, () => {
      const c = 8,
        m = 14,
        lambda = 0.4;
      const D = Float64Array.from(gaussian(c * m, 5));
      const eta = 1 / symmetricEigenvalues(gram(D, c, m), m)[0];
      const x = Float64Array.from(gaussian(c, 9), (v) => 2 * v);
      const z = ista(D, c, m, x, lambda, eta, 20000, signed);
      const g = correlation(D, c, m, x, z);
      let active = 0;
      for (let j = 0; j < m; j++) {
        if (z[j] === 0) {
          if (signed) expect(Math.abs(g[j])).toBeLessThanOrEqual(lambda + 1e-8);
          else expect(g[j]).toBeLessThanOrEqual(lambda + 1e-8);
        } else {
          active++;
          expect(g[j]).toBeCloseTo(lambda * Math.sign(z[j]), 8);
          if (!signed) expect(z[j]).toBeGreaterThan(0);
        }
      }
      expect(active).toBeGreaterThan(0);
      expect(active).toBeLessThan(m);
    });
  }
});

describe('LISTA parameter checks', () => {
  it('rejects K < 1 and a negative lambda with a message naming the parameter', () => {
    for (const [params, name] of [
      [{ K: 0 }, 'K'],
      [{ lambda: -0.5 }, 'lambda'],
    ] as const) {
      const a = analyze(
        chain(
          [2, 2, C],
          [
            { id: 'lista', type: 'LISTA', params, port: 'code' },
            { id: 'flat', type: 'Flatten' },
            { id: 'head', type: 'Dense' },
          ],
        ),
      );
      expect(a.ok).toBe(false);
      const d = a.diagnostics.find((x) => x.code === 'bad-param' && x.param === name)!;
      expect(d.nodeId).toBe('lista');
      expect(d.message).toMatch(name);
    }
  });

  it('vector layout needs a vector', () => {
    const a = analyze(
      chain(
        [2, 2, C],
        [
          { id: 'lista', type: 'LISTA', params: { layout: 'vector' }, port: 'code' },
          { id: 'flat', type: 'Flatten' },
          { id: 'head', type: 'Dense' },
        ],
      ),
    );
    expect(a.diagnostics.some((d) => d.code === 'shape-mismatch' && d.nodeId === 'lista')).toBe(true);
  });
});
