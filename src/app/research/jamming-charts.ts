/**
 * The jamming figures as chart series, from a sweep's report: the phase diagram (N*
 * against P, the last jammed N below it, the fitted line), the test error against N/P
 * (one curve per P: the cusp at N*) and the ensemble's error and output spread against N.
 */
import type { JammingReport } from '../../research/jamming';
import { PALETTE, type XY } from './LinePlot';

export interface JammingCharts {
  phase: XY[];
  error: XY[];
  ensemble: XY[];
  spread: XY[];
}

export function jammingCharts(r: JammingReport): JammingCharts {
  const found = r.thresholds.filter((t) => t.nStar !== null);
  const below = r.thresholds.filter((t) => t.nBelow !== null);
  const phase: XY[] = [
    {
      label: 'N* (all fitted from here)',
      x: found.map((t) => t.P),
      y: found.map((t) => t.nStar),
      points: true,
      line: false,
    },
    {
      label: 'widest N still jammed',
      x: below.map((t) => t.P),
      y: below.map((t) => t.nBelow),
      points: true,
      line: false,
      color: PALETTE[4],
    },
  ];
  if (r.fit) {
    const xs = [0, ...r.thresholds.map((t) => t.P)];
    const fit = r.fit;
    phase.push({
      label: `fit N* = ${fit.slope.toFixed(2)}·P ${fit.intercept >= 0 ? '+' : '−'} ${Math.abs(fit.intercept).toFixed(0)}`,
      x: xs,
      y: xs.map((P) => fit.slope * P + fit.intercept),
      dash: [6, 4],
      color: PALETTE[2],
    });
  }
  const error: XY[] = [];
  const ensemble: XY[] = [];
  const spread: XY[] = [];
  r.thresholds.forEach((t, i) => {
    const pts = r.points.filter((p) => p.P === t.P);
    const color = PALETTE[i % PALETTE.length];
    error.push({
      label: `P = ${t.P}`,
      x: pts.map((p) => p.N / p.P),
      y: pts.map((p) => p.testError),
      points: true,
      color,
    });
    if (r.ensemble > 1) {
      const N = pts.map((p) => p.N);
      ensemble.push({ label: `P = ${t.P}, one network`, x: N, y: pts.map((p) => p.testError), points: true, color });
      ensemble.push({
        label: `P = ${t.P}, average of ${r.ensemble}`,
        x: N,
        y: pts.map((p) => p.ensembleTestError ?? null),
        dash: [6, 4],
        color,
      });
      spread.push({ label: `P = ${t.P}`, x: N, y: pts.map((p) => p.spread ?? null), points: true, color });
    }
  });
  return { phase, error, ensemble, spread };
}

/** A report read from a file (`wavegraph jamming --json`), or why it is not one. */
export function readJammingReport(text: string): JammingReport | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'This file is not JSON.';
  }
  const r = v as Partial<JammingReport>;
  if (!r || !Array.isArray(r.points) || !Array.isArray(r.thresholds) || typeof r.ensemble !== 'number')
    return 'This JSON is not a jamming report: save one with "wavegraph jamming --json" or the Save report button.';
  return r as JammingReport;
}
