import { describe, expect, it } from 'vitest';
import {
  gaussianMatrix,
  gram,
  matmul,
  powerIteration,
  procrustes,
  seededRandom,
  svd,
  symmetricEigen,
  symmetricEigenvalues,
  transpose,
} from '../../nodes/math/linalg';
import type { SeededRandom } from '../../nodes/types';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function symmetric(rng: SeededRandom, n: number): Float64Array {
  const G = gaussianMatrix(rng, n, n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = G[i * n + j] + G[j * n + i];
  return A;
}

/** V^T diag(values) V, with the eigenvectors in the rows of V. */
function rebuild(values: Float64Array, vectors: Float64Array, n: number): Float64Array {
  const scaled = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) scaled[j * n + k] = vectors[k * n + j] * values[k];
  return matmul(scaled, vectors, n, n, n);
}

function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** A random orthogonal matrix: the Q of a Gaussian matrix's polar decomposition. */
function randomRotation(rng: SeededRandom, n: number): Float64Array {
  return procrustes(gaussianMatrix(rng, n, n), n);
}

describe('seededRandom', () => {
  it('is deterministic per seed and different across seeds', () => {
    const a = seededRandom(42),
      b = seededRandom(42),
      c = seededRandom(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    const xb = Array.from({ length: 5 }, () => b.next());
    const xc = Array.from({ length: 5 }, () => c.next());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('draws uniforms in [0, 1) and standard normals with the right moments', () => {
    const rng = seededRandom(1);
    const n = 200_000;
    let su = 0,
      sn = 0,
      sn2 = 0,
      sn4 = 0,
      lo = 1,
      hi = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
      sn4 += z ** 4;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // Standard errors: uniform mean 0.00065, normal mean 0.0022, variance 0.0032, 4th moment 0.023.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(sn / n)).toBeLessThan(0.012);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.016);
    expect(Math.abs(sn4 / n - 3)).toBeLessThan(0.12);
  });

  it('gives integer seeds for tensor initializers', () => {
    const s = seededRandom(3).seed();
    expect(Number.isInteger(s)).toBe(true);
    expect(s).toBeGreaterThanOrEqual(0);
  });
});

describe('symmetricEigen', () => {
  it.each([1, 2, 3, 17, 120])('reconstructs a random symmetric matrix of size %i with orthonormal vectors', (n) => {
    const A = symmetric(seededRandom(n), n);
    const { values, vectors } = symmetricEigen(A, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    expect(maxAbsDiff(rebuild(values, vectors, n), A)).toBeLessThan(1e-12 * n);
    expect(maxAbsDiff(matmul(vectors, transpose(vectors, n, n), n, n, n), identity(n))).toBeLessThan(1e-12 * n);
    expect(maxAbsDiff(symmetricEigenvalues(A, n), values)).toBeLessThan(1e-11 * n);
  });

  it('handles repeated eigenvalues and matrices that are already diagonal', () => {
    const rng = seededRandom(5);
    const n = 40;
    const Q = randomRotation(rng, n);
    // eigenvalues 3 (x10), 1 (x20), 0 (x10)
    const lam = Float64Array.from({ length: n }, (_, i) => (i < 10 ? 3 : i < 30 ? 1 : 0));
    const QL = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) QL[i * n + j] = Q[i * n + j] * lam[j];
    const A = matmul(QL, transpose(Q, n, n), n, n, n);
    const { values, vectors } = symmetricEigen(A, n);
    expect(maxAbsDiff(values, lam)).toBeLessThan(1e-12);
    expect(maxAbsDiff(rebuild(values, vectors, n), A)).toBeLessThan(1e-12);
    const D = new Float64Array(n * n);
    for (let i = 0; i < n; i++) D[i * n + i] = (i * 7) % 5;
    expect(Array.from(symmetricEigenvalues(D, n))).toEqual(
      Array.from({ length: n }, (_, i) => (i * 7) % 5).sort((a, b) => b - a),
    );
  });
});

describe('svd', () => {
  it.each([
    [30, 12],
    [12, 30],
    [25, 25],
  ])('factors a %i x %i matrix', (m, n) => {
    const A = gaussianMatrix(seededRandom(m * 100 + n), m, n);
    const { U, S, V, k } = svd(A, m, n);
    expect(k).toBe(Math.min(m, n));
    const US = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) US[i * k + j] = U[i * k + j] * S[j];
    expect(maxAbsDiff(matmul(US, transpose(V, n, k), m, k, n), A)).toBeLessThan(1e-12);
    expect(maxAbsDiff(gram(U, m, k), identity(k))).toBeLessThan(1e-12);
    expect(maxAbsDiff(gram(V, n, k), identity(k))).toBeLessThan(1e-12);
    for (let j = 1; j < k; j++) expect(S[j]).toBeLessThanOrEqual(S[j - 1]);
  });

  it('keeps small singular values accurate and completes U for a rank-deficient matrix', () => {
    const rng = seededRandom(9);
    const n = 20;
    const Q1 = randomRotation(rng, n),
      Q2 = randomRotation(rng, n);
    const s = Float64Array.from({ length: n }, (_, i) => (i < 15 ? 10 ** (-i / 2) : 0));
    const QS = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) QS[i * n + j] = Q1[i * n + j] * s[j];
    const A = matmul(QS, transpose(Q2, n, n), n, n, n);
    const { U, S } = svd(A, n, n);
    // 1e-7 is squared to 1e-14 in the Gram matrix; one-sided Jacobi recovers it anyway.
    for (let i = 0; i < 15; i++) expect(Math.abs(S[i] - s[i]) / s[i]).toBeLessThan(1e-6);
    expect(maxAbsDiff(gram(U, n, n), identity(n))).toBeLessThan(1e-10);
  });
});

describe('powerIteration', () => {
  it('matches the largest eigenvalue of D^T D', () => {
    const m = 64,
      n = 128;
    const Dm = gaussianMatrix(seededRandom(11), m, n, 1 / Math.sqrt(m));
    const top = symmetricEigenvalues(gram(Dm, m, n), n)[0];
    const est = powerIteration(Dm, m, n, 500);
    expect(Math.abs(est - top) / top).toBeLessThan(1e-6);
    expect(est).toBeLessThanOrEqual(top * (1 + 1e-12));
  });
});

describe('procrustes', () => {
  it('recovers a known rotation from noisy paired activations', () => {
    const rng = seededRandom(21);
    const n = 16,
      samples = 2000;
    const R = randomRotation(rng, n);
    // phi_ref = R phi_new + noise, activations with unequal variances (rows are samples).
    const phiNew = gaussianMatrix(rng, samples, n);
    for (let s = 0; s < samples; s++) for (let j = 0; j < n; j++) phiNew[s * n + j] *= 1 + j / 4;
    const phiRef = matmul(phiNew, transpose(R, n, n), samples, n, n);
    for (let i = 0; i < phiRef.length; i++) phiRef[i] += 0.1 * rng.normal();
    const Sigma = matmul(transpose(phiRef, samples, n), phiNew, n, samples, n);
    const A = procrustes(Sigma, n);
    expect(maxAbsDiff(A, R)).toBeLessThan(0.02);
    expect(maxAbsDiff(gram(A, n, n), identity(n))).toBeLessThan(1e-12);
    // Exact for noise-free data.
    const exact = matmul(
      transpose(matmul(phiNew, transpose(R, n, n), samples, n, n), samples, n),
      phiNew,
      n,
      samples,
      n,
    );
    expect(maxAbsDiff(procrustes(exact, n), R)).toBeLessThan(1e-10);
  });

  it('aligns layers of different widths with orthonormal columns', () => {
    const rng = seededRandom(22);
    const m = 12,
      n = 7;
    const A = procrustes(gaussianMatrix(rng, m, n), m, n);
    expect(maxAbsDiff(gram(A, m, n), identity(n))).toBeLessThan(1e-12);
  });
});
