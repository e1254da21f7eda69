/**
 * Straight lines through log-log data: the power laws the research figures quote
 * (test error against R_f, D_f against T, weight change against alpha).
 */
export interface LineFit {
  /** log y = intercept + slope log x (natural logs). */
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN with fewer than three points). */
  slopeStdErr: number;
  /** Coefficient of determination of the fit in log-log. */
  r2: number;
  /** Points used (those with x > 0 and y > 0). */
  n: number;
}

/** Least-squares fit of log y against log x over the points where both are positive; null below two. */
export function fitLine(xs: ArrayLike<number>, ys: ArrayLike<number>): LineFit | null {
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    if (xs[i] > 0 && ys[i] > 0 && Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
      lx.push(Math.log(xs[i]));
      ly.push(Math.log(ys[i]));
    }
  }
  const n = lx.length;
  if (n < 2) return null;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residual = Math.max(0, syy - slope * sxy);
  return {
    slope,
    intercept,
    slopeStdErr: n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : NaN,
    r2: syy > 0 ? 1 - residual / syy : 1,
    n,
  };
}

/** The fitted line's y at x. */
export function lineAt(f: LineFit, x: number): number {
  return Math.exp(f.intercept + f.slope * Math.log(x));
}
