/**
 * The feature-against-lazy sweep and the error-against-stability comparison, run for
 * the research panel: each calls its headless instrument (src/research) and posts
 * progress per trained network, then the report.
 */
import { analyze, type Diagnostic } from '../../compiler/index';
import { lower } from '../../compiler/3-lower';
import { isDiagnostic } from '../../nodes/shapes';
import { lazySweep } from '../research/lazy-sweep';
import { stabilityVsError } from '../research/stability-vs-error';
import { tangentKernelLimit, type TangentKernelReport } from '../research/tangent-kernel';
import { datasetName, networkWork, workMeter, type ResearchContext } from './research-context';
import type { ResearchRequest } from './research-protocol';

type Req<T extends ResearchRequest['type']> = Extract<ResearchRequest, { type: T }>;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function lazyJob(s: ResearchContext, req: Req<'research-lazy'>): Promise<Diagnostic[]> {
  const data = await s.dataset(req.id, req.dataset);
  if (isDiagnostic(data)) return [data];
  const a = analyze(req.doc);
  if (!a.ok) return a.diagnostics.filter((d) => d.severity === 'error');
  // One unit per alpha, in the order the sweep trains them.
  const report = workMeter(s, req.id);
  const alphas = [...new Set(req.alphas)].sort((x, y) => x - y);
  let k = 0;
  const ctx = {
    tf: s.env.tf,
    platform: s.env.platform,
    data,
    dataSpec: { spec: datasetName(req.dataset) },
    settings: req.settings,
    control: s.control,
    onWork: (phase: 'front end' | 'training', done: number, total: number) =>
      networkWork(report, k, alphas.length, `at alpha = ${alphas[k]}`)(phase, done, total),
  };
  s.progress(req.id, { message: `Training at alpha = ${req.alphas.join(', ')}…` });
  const r = await lazySweep(req.doc, ctx, req.alphas, (lazy) => {
    k++;
    s.progress(req.id, {
      lazy,
      message: `alpha = ${lazy.alpha}: test error ${pct(lazy.testError)}, ||w - w0|| / ||w0|| = ${lazy.weightChange.toExponential(2)}`,
    });
  });
  if (!r.ok) return r.diagnostics;
  let tangentKernel: TangentKernelReport | undefined;
  if (req.tangentKernel && !s.control.stop) {
    s.progress(req.id, { message: 'Tangent kernel at initialization…' });
    const built = lower(a.validation, a.shapes, { tf: s.env.tf, seed: req.settings.seed });
    if (!built.model) return built.diagnostics;
    const k = await tangentKernelLimit(built.model, data, { ...req.tangentKernel, platform: s.env.platform });
    built.model.dispose();
    // A network too large for the kernel still gets its sweep; the reason is shown beside it.
    if (!k.ok) {
      s.env.post({ type: 'research-result', id: req.id, result: { kind: 'lazy', report: r.report } });
      return k.diagnostics.map((d) => ({ ...d, severity: 'warning' }));
    }
    tangentKernel = k.report;
  }
  s.env.post({ type: 'research-result', id: req.id, result: { kind: 'lazy', report: r.report, tangentKernel } });
  return [];
}

export async function stabilityErrorJob(
  s: ResearchContext,
  req: Req<'research-stability-error'>,
): Promise<Diagnostic[]> {
  const data = await s.dataset(req.id, req.dataset);
  if (isDiagnostic(data)) return [data];
  const report = workMeter(s, req.id);
  let k = 0;
  const r = await stabilityVsError(
    req.graphs,
    {
      tf: s.env.tf,
      platform: s.env.platform,
      data,
      dataSpec: { spec: datasetName(req.dataset) },
      settings: req.settings,
      control: s.control,
      onWork: (phase, done, total) =>
        networkWork(report, k, req.graphs.length, req.graphs[k]?.label ?? '')(phase, done, total),
    },
    { T: req.T, c: req.c, seed: req.settings.seed, samples: req.samples, platform: s.env.platform },
    (stabilityError) =>
      s.progress(req.id, {
        stabilityError,
        message: `${stabilityError.label}: test error ${pct(stabilityError.testError)}, R_f = ${stabilityError.R.toPrecision(3)}`,
      }),
    (label, i) => {
      k = i;
      s.progress(req.id, { message: `Training ${label} (${i + 1} of ${req.graphs.length})…` });
    },
  );
  if (!r.ok) return r.diagnostics;
  s.env.post({ type: 'research-result', id: req.id, result: { kind: 'stability-error', report: r.report } });
  return [];
}
