/**
 * Dense linear algebra in float64 for the framework-free numerics: LISTA
 * initialization (power iteration), RandomFeature resampling (Gaussian draws,
 * Procrustes), covariance spectra (symmetric eigendecomposition).
 *
 * Matrices are row-major typed arrays; their shape is passed explicitly as
 * (rows, cols). Inputs may be Float32Array or Float64Array; outputs are Float64Array.
 */
export type Vec = Float64Array | Float32Array;

import type { SeededRandom } from '../types';

export type { SeededRandom } from '../types';
import { seededRandom } from './random';

export { seededRandom };

/** rows x cols matrix of independent standard normals times `scale`. */
export function gaussianMatrix(rng: SeededRandom, rows: number, cols: number, scale = 1): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = scale * rng.normal();
  return out;
}

/** C = A B with A (m x k) and B (k x n). */
export function matmul(A: Vec, B: Vec, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/** A^T for A (rows x cols). */
export function transpose(A: Vec, rows: number, cols: number): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) T[j * rows + i] = A[i * cols + j];
  return T;
}

/** A^T A (n x n) for A (m x n), symmetrized exactly. */
export function gram(A: Vec, m: number, n: number): Float64Array {
  const G = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    const row = r * n;
    for (let i = 0; i < n; i++) {
      const a = A[row + i];
      if (a === 0) continue;
      const gi = i * n;
      for (let j = i; j < n; j++) G[gi + j] += a * A[row + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[i * n + j] = G[j * n + i];
  return G;
}

export interface Eigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** n x n row-major; row k is the unit eigenvector of values[k] (A = V^T diag(values) V). */
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric n x n matrix: Householder reduction to a
 * tridiagonal matrix, then implicit QR steps with Wilkinson shifts. Only the upper
 * triangle of A is read; A is not modified.
 * O(n^3); eigenvectors are orthonormal to round-off.
 */
export function symmetricEigen(A: Vec, n: number): Eigen {
  return eigen(A, n, true);
}

/** Eigenvalues only, descending: about three times faster than symmetricEigen. */
export function symmetricEigenvalues(A: Vec, n: number): Float64Array {
  return eigen(A, n, false).values;
}

function eigen(A: Vec, n: number, withVectors: boolean): Eigen {
  const a = Float64Array.from(A);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const p = new Float64Array(n);
  // Row k holds the unit Householder vector of step k (zero where none was needed).
  const V = new Float64Array(withVectors ? n * n : n);

  // Householder reduction working on the upper triangle only (half the flops): row k
  // right of the diagonal is the vector to reflect.
  for (let k = 0; k + 2 < n; k++) {
    const rk = k * n;
    let norm2 = 0;
    for (let j = k + 1; j < n; j++) norm2 += a[rk + j] ** 2;
    const x0 = a[rk + k + 1];
    const alpha = -(x0 >= 0 ? 1 : -1) * Math.sqrt(norm2);
    const vnorm2 = norm2 - x0 * x0 + (x0 - alpha) ** 2;
    if (norm2 === 0 || vnorm2 === 0) continue;
    const inv = 1 / Math.sqrt(vnorm2);
    const v = withVectors ? V.subarray(rk, rk + n) : V;
    v.fill(0);
    v[k + 1] = (x0 - alpha) * inv;
    for (let j = k + 2; j < n; j++) v[j] = a[rk + j] * inv;
    // A <- H A H = A - 2 v w^T - 2 w v^T with w = A v - (v^T A v) v, on the trailing block.
    p.fill(0);
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i];
      let s = a[row + i] * vi;
      for (let j = i + 1; j < n; j++) {
        const aij = a[row + j];
        s += aij * v[j];
        p[j] += aij * vi;
      }
      p[i] += s;
    }
    let K = 0;
    for (let i = k + 1; i < n; i++) K += v[i] * p[i];
    for (let i = k + 1; i < n; i++) p[i] -= K * v[i];
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = 2 * v[i];
      const pi = 2 * p[i];
      for (let j = i; j < n; j++) a[row + j] -= vi * p[j] + pi * v[j];
    }
    a[rk + k + 1] = alpha;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  for (let i = 0; i + 1 < n; i++) e[i] = a[i * n + i + 1];

  // Qt = H_last ... H_1 H_0 = Q^T, accumulated from the last reflector backwards so
  // that each product touches only the trailing block; its rows get the rotations.
  const Qt = new Float64Array(withVectors ? n * n : 0);
  if (withVectors) {
    for (let i = 0; i < n; i++) Qt[i * n + i] = 1;
    for (let k = n - 3; k >= 0; k--) {
      const v = V.subarray(k * n, k * n + n);
      if (v[k + 1] === 0) continue; // no reflector was needed at step k
      for (let i = k + 1; i < n; i++) {
        const row = i * n;
        let t = 0;
        for (let j = k + 1; j < n; j++) t += Qt[row + j] * v[j];
        t *= 2;
        for (let j = k + 1; j < n; j++) Qt[row + j] -= t * v[j];
      }
    }
  }

  tridiagonalQR(d, e, Qt, n);

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(withVectors ? n * n : 0);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    if (withVectors) vectors.set(Qt.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

/**
 * Diagonalizes the symmetric tridiagonal matrix (diagonal d, off-diagonal e) in
 * place, applying every rotation R to the rows of Zt (Zt <- R Zt).
 */
function tridiagonalQR(d: Float64Array, e: Float64Array, Zt: Float64Array, n: number): void {
  const eps = Number.EPSILON;
  let m = n - 1;
  let guard = 0;
  const maxSteps = 60 * Math.max(n, 1);
  while (m > 0) {
    if (Math.abs(e[m - 1]) <= eps * (Math.abs(d[m - 1]) + Math.abs(d[m]))) {
      e[m - 1] = 0;
      m--;
      continue;
    }
    let l = m - 1;
    while (l > 0 && Math.abs(e[l - 1]) > eps * (Math.abs(d[l - 1]) + Math.abs(d[l]))) l--;
    if (l > 0) e[l - 1] = 0;
    if (++guard > maxSteps) throw new Error('symmetricEigen: QR iteration did not converge');
    // Wilkinson shift from the trailing 2 x 2 block.
    const delta = (d[m - 1] - d[m]) / 2;
    const b = e[m - 1];
    const sgn = delta >= 0 ? 1 : -1;
    const mu = d[m] - (b * b) / (delta + sgn * Math.hypot(delta, b));
    let x = d[l] - mu;
    let z = e[l];
    for (let k = l; k < m; k++) {
      const rr = Math.hypot(x, z);
      const c = rr === 0 ? 1 : x / rr;
      const s = rr === 0 ? 0 : z / rr;
      if (k > l) e[k - 1] = rr;
      const dk = d[k];
      const dk1 = d[k + 1];
      const ek = e[k];
      d[k] = c * c * dk + 2 * c * s * ek + s * s * dk1;
      d[k + 1] = s * s * dk - 2 * c * s * ek + c * c * dk1;
      e[k] = c * s * (dk1 - dk) + (c * c - s * s) * ek;
      if (k + 1 < m) {
        z = s * e[k + 1];
        e[k + 1] *= c;
        x = e[k];
      }
      if (Zt.length === 0) continue;
      const rk = k * n;
      const rk1 = rk + n;
      for (let j = 0; j < n; j++) {
        const zk = Zt[rk + j];
        const zk1 = Zt[rk1 + j];
        Zt[rk + j] = c * zk + s * zk1;
        Zt[rk1 + j] = c * zk1 - s * zk;
      }
    }
  }
}

export interface SVD {
  /** k = min(m, n) */
  k: number;
  /** m x k row-major, orthonormal columns. */
  U: Float64Array;
  /** Singular values, descending, length k. */
  S: Float64Array;
  /** n x k row-major, orthonormal columns. A = U diag(S) V^T. */
  V: Float64Array;
}

/**
 * Thin SVD of A (m x n). The eigenvectors of the smaller Gram matrix give a nearly
 * orthogonalizing start; one-sided Jacobi sweeps then restore full accuracy for the
 * small singular values, which the Gram matrix alone would square away. Columns of U
 * for zero singular values are completed to an orthonormal set.
 */
export function svd(A: Vec, m: number, n: number): SVD {
  if (m < n) {
    const t = svd(transpose(A, m, n), n, m);
    return { k: t.k, U: t.V, S: t.S, V: t.U };
  }
  const k = n;
  const At = transpose(A, m, n);
  const V0 = symmetricEigen(gram(A, m, n), n).vectors; // rows: right vectors
  // Wt rows = columns of A V0; Vt rows = columns of V.
  const Wt = matmul(V0, At, n, n, m);
  const Vt = Float64Array.from(V0);
  oneSidedJacobi(Wt, Vt, n, m);
  const S = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Wt[j * m + i] ** 2;
    S[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => S[j] - S[i]);
  const tol = Math.max(S[order[0]] ?? 0, Number.MIN_VALUE) * Math.max(m, n) * Number.EPSILON * 4;
  const Ut = new Float64Array(k * m);
  const Vs = new Float64Array(k * n);
  const Ss = new Float64Array(k);
  const filled: number[] = [];
  order.forEach((src, dst) => {
    Ss[dst] = S[src];
    Vs.set(Vt.subarray(src * n, src * n + n), dst * n);
    if (S[src] > tol) {
      for (let i = 0; i < m; i++) Ut[dst * m + i] = Wt[src * m + i] / S[src];
      filled.push(dst);
    }
  });
  completeOrthonormal(Ut, k, m, filled);
  return { k, U: transpose(Ut, k, m), S: Ss, V: transpose(Vs, k, n) };
}

/** Rotates pairs of rows of Wt (and Vt alike) until all rows of Wt are orthogonal. */
function oneSidedJacobi(Wt: Float64Array, Vt: Float64Array, n: number, m: number): void {
  const tol = Number.EPSILON * 8;
  for (let sweep = 0; sweep < 40; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const rp = p * m;
      for (let q = p + 1; q < n; q++) {
        const rq = q * m;
        let alpha = 0,
          beta = 0,
          gamma = 0;
        for (let i = 0; i < m; i++) {
          const wp = Wt[rp + i];
          const wq = Wt[rq + i];
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const wp = Wt[rp + i];
          const wq = Wt[rq + i];
          Wt[rp + i] = c * wp - s * wq;
          Wt[rq + i] = s * wp + c * wq;
        }
        const vp = p * n;
        const vq = q * n;
        for (let i = 0; i < n; i++) {
          const a = Vt[vp + i];
          const b = Vt[vq + i];
          Vt[vp + i] = c * a - s * b;
          Vt[vq + i] = s * a + c * b;
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * Fills the rows of Q (k x m) not listed in `filled` with unit vectors orthogonal to
 * all others: random directions (fixed seed) with the existing rows projected out
 * twice, which keeps a healthy residual however many rows are missing.
 */
function completeOrthonormal(Q: Float64Array, k: number, m: number, filled: number[]): void {
  const done = new Set(filled);
  const rng = seededRandom(0x5eed);
  for (let row = 0; row < k; row++) {
    if (done.has(row)) continue;
    const r = Q.subarray(row * m, row * m + m);
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < m; i++) r[i] = rng.normal();
      let start = 0;
      for (let i = 0; i < m; i++) start += r[i] * r[i];
      for (let pass = 0; pass < 2; pass++) {
        for (const o of done) {
          const q = Q.subarray(o * m, o * m + m);
          let dot = 0;
          for (let i = 0; i < m; i++) dot += q[i] * r[i];
          for (let i = 0; i < m; i++) r[i] -= dot * q[i];
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += r[i] * r[i];
      if (norm > 1e-6 * start) {
        norm = Math.sqrt(norm);
        for (let i = 0; i < m; i++) r[i] /= norm;
        break;
      }
    }
    done.add(row);
  }
}

/**
 * Largest eigenvalue of A^T A (= ||A||_2^2, the squared largest singular value) for A
 * (m x n), by power iteration from a fixed start. Converges geometrically in the ratio
 * of the two largest squared singular values; the result never exceeds the truth.
 */
export function powerIteration(A: Vec, m: number, n: number, iters = 100): number {
  let v = new Float64Array(n);
  // A fixed, non-special start: unlikely to be orthogonal to the top vector.
  for (let i = 0; i < n; i++) v[i] = 1 + 0.5 * Math.sin(1 + 2.3 * i);
  let lambda = 0;
  const Av = new Float64Array(m);
  for (let it = 0; it < iters; it++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    for (let i = 0; i < n; i++) v[i] /= norm;
    let av2 = 0;
    for (let r = 0; r < m; r++) {
      let s = 0;
      const row = r * n;
      for (let j = 0; j < n; j++) s += A[row + j] * v[j];
      Av[r] = s;
      av2 += s * s;
    }
    lambda = av2; // Rayleigh quotient v^T A^T A v with |v| = 1
    const next = new Float64Array(n);
    for (let r = 0; r < m; r++) {
      const s = Av[r];
      if (s === 0) continue;
      const row = r * n;
      for (let j = 0; j < n; j++) next[j] += s * A[row + j];
    }
    v = next;
  }
  return lambda;
}

/**
 * Orthogonal Procrustes: the A = U V^T (m x n, orthonormal columns if m >= n, rows
 * otherwise) closest to Sigma = U S V^T. With Sigma = E[phi_ref phi_new^T], A
 * minimizes E||phi_ref - A phi_new||^2 among such matrices.
 */
export function procrustes(Sigma: Vec, m: number, n = m): Float64Array {
  const { U, V, k } = svd(Sigma, m, n);
  // U (m x k) times V^T (k x n)
  return matmul(U, transpose(V, n, k), m, k, n);
}
