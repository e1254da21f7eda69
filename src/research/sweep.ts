/**
 * Pure helpers for the width sweep (docs/science.md, Width sweeps): the values to try, the
 * parameter count of each point, and where training error first reaches zero (the
 * jamming / interpolation threshold N*).
 */
import { mean, std } from './metrics';

/**
 * Up to `count` distinct integers from a to b (both included), evenly spaced in log
 * scale; fewer when rounding makes neighbours equal.
 */
export function logSpacedIntegers(a: number, b: number, count: number): number[] {
  if (!(a >= 1 && b >= a && count >= 1))
    throw new RangeError(`logSpacedIntegers: need 1 <= a <= b and count >= 1 (got ${a}, ${b}, ${count})`);
  const lo = Math.round(a),
    hi = Math.round(b);
  if (count === 1 || lo === hi) return [lo];
  const out = new Set<number>();
  const la = Math.log(lo),
    lb = Math.log(hi);
  for (let i = 0; i < count; i++) out.add(Math.round(Math.exp(la + ((lb - la) * i) / (count - 1))));
  out.add(lo);
  out.add(hi);
  return [...out].sort((x, y) => x - y);
}

export type ParseResult = { ok: true; values: number[] } | { ok: false; message: string };

/**
 * Sweep values as a user types them: a list "8,16,32", or a log-spaced range
 * "8..512:10" (10 values from 8 to 512).
 */
export function parseSweepValues(text: string): ParseResult {
  const t = text.trim();
  const range = /^(\d+(?:\.\d+)?)\s*\.\.\s*(\d+(?:\.\d+)?)\s*:\s*(\d+)$/.exec(t);
  if (range) {
    const [a, b, n] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!(a >= 1 && b >= a && n >= 1))
      return {
        ok: false,
        message: `The range "${t}" needs 1 <= start <= end and at least one value, as in 8..512:10.`,
      };
    return { ok: true, values: logSpacedIntegers(a, b, n) };
  }
  const parts = t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((v) => !Number.isFinite(v))) {
    return {
      ok: false,
      message: `Could not read the sweep values "${t}": give numbers separated by commas (8,16,32) or a range like 8..512:10.`,
    };
  }
  return { ok: true, values };
}

/** Weights and biases of a dense layer. */
export function denseParamCount(inputs: number, outputs: number, bias = true): number {
  return inputs * outputs + (bias ? outputs : 0);
}

/** Weights and biases of a kh x kw convolution. */
export function convParamCount(kh: number, kw: number, cin: number, cout: number, bias = true): number {
  return kh * kw * cin * cout + (bias ? cout : 0);
}

/** One trained network of a sweep point. */
export interface SweepRun {
  trainError: number;
  testError: number;
  steps?: number;
}

export interface SweepPoint {
  value: number;
  /** Trainable and fixed parameters of the whole network at this value. */
  params: { trainable: number; fixed: number };
  runs: SweepRun[];
}

export interface SweepSummaryRow {
  value: number;
  trainable: number;
  fixed: number;
  trainError: number;
  trainErrorStd: number;
  testError: number;
  testErrorStd: number;
  /** Test error of the ensemble (averaged outputs), when the caller measured it. */
  ensembleTestError?: number;
  runs: number;
}

/** Mean and spread of each point, sorted by number of trainable parameters. */
export function summarizeSweep(points: SweepPoint[], ensembleTestError?: Map<number, number>): SweepSummaryRow[] {
  return points
    .map((p) => {
      const tr = p.runs.map((r) => r.trainError);
      const te = p.runs.map((r) => r.testError);
      return {
        value: p.value,
        trainable: p.params.trainable,
        fixed: p.params.fixed,
        trainError: mean(tr),
        trainErrorStd: std(tr),
        testError: mean(te),
        testErrorStd: std(te),
        ensembleTestError: ensembleTestError?.get(p.value),
        runs: p.runs.length,
      };
    })
    .sort((a, b) => a.trainable - b.trainable);
}

/**
 * The interpolation threshold: the first row (in parameter order) from which the mean
 * training error stays at or below `tolerance`, or null if the sweep never gets there.
 */
export function interpolationThreshold(rows: SweepSummaryRow[], tolerance = 0): SweepSummaryRow | null {
  for (let i = 0; i < rows.length; i++) {
    if (rows.slice(i).every((r) => r.trainError <= tolerance)) return rows[i];
  }
  return null;
}
