/**
 * Are a layer's weights Gaussian? (SCIENCE.md section 6.) The rainbow model says the
 * rows of a learned layer are draws from N(0, C). Their covariance is C = WᵀW / N by
 * construction, so what is tested is the shape of the law: every row is projected on
 * C's eigenvectors and divided by the square root of the eigenvalue, which leaves, for
 * a Gaussian layer, i.i.d. standard normal values in every direction.
 *
 * Reported per layer: the excess kurtosis of each direction (0 for a normal, about
 * ±√(24 / N) of noise), the pooled excess kurtosis and KS distance to N(0, 1), and QQ
 * points (sample quantile against normal quantile) to draw.
 *
 * The verdict: the pooled excess kurtosis within 4 standard errors of its Gaussian value
 * −6 / (N + 1), and the KS distance below 1.63 / √n (the 1% level); the quantiles are
 * not independent (each direction is normalized by its own sample variance), which these
 * wide margins absorb.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import { svd } from '../../nodes/math/linalg';
import { learnedLayers } from './redraw-plan';
import { weightRows } from './redraw';
import { spectrumOf } from './spectra-evolution';

export interface Gaussianity {
  neurons: number;
  inputs: number;
  /** Directions with a non-zero eigenvalue, the largest first. */
  directions: number;
  kurtosis: Float64Array;
  pooledKurtosis: number;
  /** Standard error of the pooled kurtosis for a Gaussian layer. */
  kurtosisError: number;
  ks: number;
  ksLimit: number;
  /** QQ points: normal quantile, sample quantile. */
  qq: { normal: number[]; sample: number[] };
  gaussian: boolean;
}

/** Φ⁻¹(p), Acklam's rational approximation refined by one Halley step (|error| < 1e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Φ(x) through erfc (W. J. Cody's rational fit as in Numerical Recipes' erfcc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Whitened projections of rows W (N x D) on their covariance's eigenvectors, and their statistics. */
export function gaussianity(W: ArrayLike<number>, N: number, D: number, qqPoints = 101): Gaussianity {
  const { U, S, k } = svd(Float64Array.from(W), N, D);
  // W v_j = U_j S_j, and λ_j = S_j² / N: the whitened projection is √N U_j.
  let dirs = 0;
  while (dirs < k && S[dirs] > 1e-6 * S[0]) dirs++;
  const kurt = new Float64Array(dirs);
  const pooled = new Float64Array(N * dirs);
  const scale = Math.sqrt(N);
  let m4 = 0;
  for (let j = 0; j < dirs; j++) {
    let s4 = 0;
    for (let i = 0; i < N; i++) {
      const z = U[i * k + j] * scale;
      pooled[j * N + i] = z;
      s4 += z ** 4;
    }
    kurt[j] = s4 / N - 3;
    m4 += s4;
  }
  const n = pooled.length;
  const pooledKurtosis = n ? m4 / n - 3 : NaN;
  pooled.sort();
  let ks = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(pooled[i]);
    ks = Math.max(ks, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  const qq = { normal: [] as number[], sample: [] as number[] };
  for (let q = 0; q < qqPoints && n; q++) {
    const p = (q + 0.5) / qqPoints;
    qq.normal.push(normalQuantile(p));
    qq.sample.push(pooled[Math.min(n - 1, Math.floor(p * n))]);
  }
  const kurtosisError = Math.sqrt(24 / Math.max(n, 1));
  const ksLimit = 1.63 / Math.sqrt(Math.max(n, 1));
  const gaussian = n > 0 && Math.abs(pooledKurtosis + 6 / (N + 1)) < 4 * kurtosisError && ks < ksLimit;
  return {
    neurons: N,
    inputs: D,
    directions: dirs,
    kurtosis: kurt,
    pooledKurtosis,
    kurtosisError,
    ks,
    ksLimit,
    qq,
    gaussian,
  };
}

export interface LayerGaussianity {
  node: string;
  type: string;
  neurons: number;
  inputs: number;
  spectrum: { effectiveRank: { entropy: number; participation: number }; ks: number; outliers: number };
  gaussianity: Gaussianity;
}

/**
 * Every learned Dense or Conv2D layer of a model (RandomFeature's covariance factor has
 * no weights of its own to test): its whitened weights and its spectrum against white
 * noise. Shared by `wavegraph gaussianity` and the Research tab.
 */
export async function layerGaussianity(
  model: CompiledModel,
  yieldNow?: () => Promise<void>,
  onLayer?: (done: number, total: number) => void,
): Promise<LayerGaussianity[]> {
  const rows: LayerGaussianity[] = [];
  const layers = learnedLayers(model).filter((l) => l.layout !== 'covariance-factor');
  for (const l of layers) {
    onLayer?.(rows.length, layers.length);
    const values = (await l.variable.variable.data()) as Float32Array;
    const shape = l.variable.variable.shape as number[];
    const { W, N, D } = weightRows(l.layout, values, shape);
    const type = model.validation.nodes.get(l.node)!.def.type;
    const s = spectrumOf({ node: l.node, type, layout: l.layout, neurons: N, inputs: D }, values, shape);
    rows.push({
      node: l.node,
      type,
      neurons: N,
      inputs: D,
      spectrum: { effectiveRank: s.effectiveRank, ks: s.ks, outliers: s.outliers },
      gaussianity: gaussianity(W, N, D),
    });
    await yieldNow?.();
  }
  onLayer?.(layers.length, layers.length);
  return rows;
}
