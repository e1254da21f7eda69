/**
 * Feature against lazy training (Geiger, Spigler, Jacot & Wyart 2020): train one graph
 * at several output scales alpha (compiler/lazy.ts) with the same budget, and record
 * the test error and how far the weights moved, ||w - w0|| / ||w0||. Lazy training
 * (large alpha) moves them by O(1/alpha); feature training (small alpha) moves them by
 * O(1) or more. The tangent-kernel limit (tangent-kernel.ts) is the alpha -> infinity
 * end of the curve when it can be computed. Platform-free.
 */
import { checkAlpha, relativeWeightChange, snapshotWeights } from '../../compiler/lazy';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import { runGraph, type RunContext } from './compare';
import { fitLine, type LineFit } from './loglog';

export interface LazyPoint {
  alpha: number;
  testError: number;
  /** From the running accuracy of the last epoch. */
  trainError: number;
  /** Loss of the scaled output alpha (f_w - f_w0) over the last epoch (before the 1/alpha^2). */
  loss: number;
  /** ||w - w0|| / ||w0|| over the trainable weights. */
  weightChange: number;
  steps: number;
  seconds: number;
  /** The loss left the finite range (small alphas take large steps): the other figures are NaN. */
  diverged?: string;
}

export interface LazyReport {
  points: LazyPoint[];
  /** Slope of log(weight change) against log(alpha) over the largest alphas (-1 in the lazy regime). */
  lazySlope: LineFit | null;
  /** Slope of log(weight change) against log(alpha) over the smallest alphas (the feature regime). */
  featureSlope: LineFit | null;
  /**
   * The crossover alpha between feature (below) and lazy (above) training: where the
   * two power laws, fitted at the smallest and at the largest alphas, meet. Null when
   * there are not enough alphas for both fits or the lines do not cross.
   */
  crossover: number | null;
}

/** The alphas are positive and finite; at least one. */
export function checkAlphas(alphas: number[]): Diagnostic[] {
  if (!alphas.length) return [diag('bad-argument', 'Give at least one alpha, such as 0.01,1,100 or 0.01..1000:6.')];
  for (const a of alphas) {
    const bad = checkAlpha(a);
    if (bad) return [bad];
  }
  return [];
}

export async function lazySweep(
  doc: GraphDocument,
  ctx: RunContext,
  alphas: number[],
  onPoint?: (p: LazyPoint) => void,
): Promise<{ ok: true; report: LazyReport } | { ok: false; diagnostics: Diagnostic[] }> {
  const problems = checkAlphas(alphas);
  if (problems.length) return { ok: false, diagnostics: problems };
  const points: LazyPoint[] = [];
  for (const alpha of [...new Set(alphas)].sort((a, b) => a - b)) {
    let w0 = new Map<string, Float32Array>();
    let weightChange = NaN;
    let steps = 0;
    const r = await runGraph(
      doc,
      `alpha=${alpha}`,
      { ...ctx, settings: { ...ctx.settings, alpha } },
      {
        onModel: (model) => void (w0 = snapshotWeights(model)),
        onStep: (m) => void (steps = m.step),
        afterTrain: async (model) => void (weightChange = await relativeWeightChange(model, w0)),
      },
    );
    if (!r.ok && r.diagnostics.every((d) => d.code === 'non-finite-loss')) {
      // One alpha too fast for its learning rate does not void the others.
      const point: LazyPoint = {
        alpha,
        testError: NaN,
        trainError: NaN,
        loss: NaN,
        weightChange: NaN,
        steps,
        seconds: NaN,
        diverged: r.diagnostics[0]?.message ?? 'diverged',
      };
      points.push(point);
      onPoint?.(point);
      continue;
    }
    if (!r.ok)
      return {
        ok: false,
        diagnostics: r.diagnostics.map((d) => ({ ...d, message: `at alpha = ${alpha}: ${d.message}` })),
      };
    const m = r.record.metrics;
    const last = m.epochs.at(-1);
    const point: LazyPoint = {
      alpha,
      testError: 1 - m.finalTestAcc,
      trainError: 1 - m.finalTrainAcc,
      loss: last?.loss ?? NaN,
      weightChange,
      steps,
      seconds: m.epochs.reduce((s, e) => s + e.seconds, 0),
    };
    points.push(point);
    onPoint?.(point);
    if (ctx.control?.stop) break;
  }
  return { ok: true, report: summarizeLazy(points) };
}

/** The slopes of the two regimes and where they cross. */
export function summarizeLazy(points: LazyPoint[]): LazyReport {
  const ok = points.filter((p) => p.weightChange > 0 && Number.isFinite(p.weightChange));
  const fit = (part: LazyPoint[]) =>
    part.length >= 2
      ? fitLine(
          part.map((p) => p.alpha),
          part.map((p) => p.weightChange),
        )
      : null;
  // The largest half for the lazy law, the smallest third for the feature regime: disjoint from four alphas on.
  const lazySlope = fit(ok.slice(-Math.max(2, Math.floor(ok.length / 2))));
  const featureSlope = ok.length >= 4 ? fit(ok.slice(0, Math.max(2, Math.floor(ok.length / 3)))) : null;
  let crossover: number | null = null;
  if (lazySlope && featureSlope && featureSlope.slope > lazySlope.slope) {
    const at = Math.exp((lazySlope.intercept - featureSlope.intercept) / (featureSlope.slope - lazySlope.slope));
    if (at >= ok[0].alpha && at <= ok[ok.length - 1].alpha) crossover = at;
  }
  return { points, lazySlope, featureSlope, crossover };
}

/** "0.01,1,100" or a log-spaced range "0.01..1000:6"; values are checked by checkAlphas. */
export function parseAlphas(text: string): { ok: true; values: number[] } | { ok: false; message: string } {
  const t = text.trim();
  const num = '([0-9.]+(?:e[-+]?\\d+)?)';
  const range = new RegExp(`^${num}\\s*\\.\\.\\s*${num}\\s*:\\s*(\\d+)$`, 'i').exec(t);
  if (range) {
    const [a, b, n] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!(a > 0 && b >= a && n >= 1))
      return { ok: false, message: `The alpha range "${t}" needs 0 < start <= end and a count, as in 0.01..1000:6.` };
    if (n === 1) return { ok: true, values: [a] };
    return {
      ok: true,
      values: Array.from({ length: n }, (_, i) => Number((a * (b / a) ** (i / (n - 1))).toPrecision(4))),
    };
  }
  const parts = t.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (!t || parts.some((s) => !s) || values.some((v) => !Number.isFinite(v)))
    return {
      ok: false,
      message: `Could not read the alphas "${t}": give numbers separated by commas (0.01,1,100) or a range such as 0.01..1000:6.`,
    };
  return { ok: true, values };
}
