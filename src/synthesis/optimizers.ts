/**
 * Optimizers over one flat vector of pixels, framework-free: the caller supplies the
 * loss and its gradient (computed by TensorFlow.js on any backend), these update the
 * pixels on the host. L-BFGS (two-loop recursion, backtracking Armijo line search)
 * is the default: microcanonical synthesis is a smooth, badly conditioned problem
 * where curvature information saves most of the steps; Adam is there for comparison.
 */
export type Objective = (x: Float64Array) => Promise<{ value: number; grad: Float64Array }>;

export interface OptimizeOptions {
  iterations: number;
  /** Called after each iteration with the loss; return false to stop early. */
  onIteration?(iteration: number, loss: number, x: Float64Array): boolean | void | Promise<boolean | void>;
}

export interface OptimizeResult {
  x: Float64Array;
  losses: number[];
  /** Set when the loss stopped being a finite number. */
  diverged?: { iteration: number; value: number };
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Most bytes the L-BFGS pairs (two float64 vectors each) may hold. */
const MEMORY_BYTES = 128 * 2 ** 20;

export async function lbfgs(
  f: Objective,
  x0: Float64Array,
  opts: OptimizeOptions & { memory?: number },
): Promise<OptimizeResult> {
  // A long memory: the curvature it keeps saves steps, and beside one evaluation of a
  // statistics graph its cost is small. Turbulence at 128 x 128 under the phase-harmonic
  // template, loss after 300 steps: 1.8e-3 keeping 10 pairs, 1.0e-3 with 30, 7.0e-4 with
  // 60, 5.7e-4 with 120, 4.9e-4 with 250 (10 pairs need about 550 steps to reach 120's).
  // Held under MEMORY_BYTES for large fields and batches of samples.
  const m = opts.memory ?? Math.max(10, Math.min(120, Math.floor(MEMORY_BYTES / (16 * x0.length))));
  let x = Float64Array.from(x0);
  let { value, grad } = await f(x);
  const losses: number[] = [];
  if (!Number.isFinite(value)) return { x, losses, diverged: { iteration: 0, value } };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  for (let it = 1; it <= opts.iterations; it++) {
    // two-loop recursion: d = −H g
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], q);
      for (let i = 0; i < q.length; i++) q[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length
      ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1])
      : 1 / Math.sqrt(dot(grad, grad));
    for (let i = 0; i < q.length; i++) q[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], q);
      for (let i = 0; i < q.length; i++) q[i] += S[k][i] * (alpha[k] - beta);
    }
    let slope = -dot(grad, q);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from the gradient
      S.length = Y.length = rho.length = 0;
      const g = Math.sqrt(dot(grad, grad));
      for (let i = 0; i < q.length; i++) q[i] = grad[i] / g;
      slope = -g;
    }
    let t = 1;
    let next: { value: number; grad: Float64Array } | null = null;
    let xn = x;
    for (let tries = 0; tries < 30; tries++) {
      xn = Float64Array.from(x, (v, i) => v - t * q[i]);
      const r = await f(xn);
      if (Number.isFinite(r.value) && r.value <= value + 1e-4 * t * slope) {
        next = r;
        break;
      }
      t *= 0.5;
    }
    if (!next) {
      losses.push(value);
      break; // no decrease along the direction: converged to float precision
    }
    const s = Float64Array.from(xn, (v, i) => v - x[i]);
    const y = Float64Array.from(next.grad, (v, i) => v - grad[i]);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x = xn;
    value = next.value;
    grad = next.grad;
    losses.push(value);
    if ((await opts.onIteration?.(it, value, x)) === false) break;
  }
  return { x, losses };
}

export async function adam(
  f: Objective,
  x0: Float64Array,
  opts: OptimizeOptions & { learningRate?: number },
): Promise<OptimizeResult> {
  const lr = opts.learningRate ?? 0.05;
  const x = Float64Array.from(x0);
  const m1 = new Float64Array(x.length);
  const m2 = new Float64Array(x.length);
  const losses: number[] = [];
  for (let it = 1; it <= opts.iterations; it++) {
    const { value, grad } = await f(x);
    if (!Number.isFinite(value)) return { x, losses, diverged: { iteration: it, value } };
    const c1 = 1 - 0.9 ** it;
    const c2 = 1 - 0.999 ** it;
    for (let i = 0; i < x.length; i++) {
      m1[i] = 0.9 * m1[i] + 0.1 * grad[i];
      m2[i] = 0.999 * m2[i] + 0.001 * grad[i] * grad[i];
      x[i] -= (lr * m1[i]) / c1 / (Math.sqrt(m2[i] / c2) + 1e-8);
    }
    losses.push(value);
    if ((await opts.onIteration?.(it, value, x)) === false) break;
  }
  return { x, losses };
}
