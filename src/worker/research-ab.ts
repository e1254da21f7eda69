/**
 * A/B runs in the worker: each graph trained by runGraph under the very same
 * settings (seed, data order, hyper-parameters), its filter evolution and the spectra
 * of its learned layers recorded at the same steps, its record posted as soon as it finishes, and its trained weights kept for the other
 * instruments.
 */
import type { Diagnostic } from '../../document/diagnostics';
import { checkSameInputs, runGraph, type RunContext } from '../research/compare';
import { evolutionHooks } from '../research/filter-evolution';
import { combineHooks, spectraHooks } from '../research/spectra-evolution';
import type { ResearchRequest } from './research-protocol';
import { datasetName, networkWork, workMeter, type ResearchContext } from './research-context';
import { checkDatasetFits } from '../../compiler/dataset';
import { analyze } from '../../compiler/index';
import { isDiagnostic } from '../../nodes/shapes';

type AbRequest = Extract<ResearchRequest, { type: 'research-ab' }>;

export async function abRuns(s: ResearchContext, req: AbRequest): Promise<Diagnostic[]> {
  const refused = checkSameInputs(req.graphs);
  if (refused.length) return refused;
  const data = await s.dataset(req.id, req.dataset);
  if (isDiagnostic(data)) return [data];
  for (const g of req.graphs) {
    const misfit = checkDatasetFits(analyze(g.doc).validation, data);
    if (misfit.length) return misfit.map((d) => ({ ...d, message: `(${g.label}) ${d.message}` }));
  }
  const batch = Math.max(1, Math.min(req.settings.batchSize, data.train.count));
  const stepsPerEpoch = Math.floor(data.train.count / batch);
  // About a hundred points per run and epoch on the charts, every step for short runs.
  const logEvery = Math.max(1, Math.floor(stepsPerEpoch / 100));
  const every = logEvery * Math.max(1, Math.ceil(req.snapshotEvery / logEvery));
  const settings = { ...req.settings, logEvery };
  const spec = req.dataset;
  const ctx: RunContext = {
    tf: s.env.tf,
    platform: s.env.platform,
    data,
    dataSpec: {
      spec: datasetName(spec),
      ...(spec.kind !== 'synthetic' && spec.limit !== undefined ? { limit: spec.limit } : {}),
    },
    settings,
    control: s.control,
  };
  const report = workMeter(s, req.id);
  for (const [k, g] of req.graphs.entries()) {
    s.progress(req.id, { message: `Training "${g.label}"…`, runId: g.runId });
    ctx.onWork = networkWork(report, k, req.graphs.length, `"${g.label}"`);
    const evo = evolutionHooks(g.doc, { every });
    const spectra = spectraHooks(every);
    const both = combineHooks(evo, spectra);
    const r = await runGraph(g.doc, g.label, ctx, {
      ...both,
      onStep: (step) => s.progress(req.id, { runId: g.runId, step }),
      onEpoch: (epoch) => s.progress(req.id, { runId: g.runId, epoch }),
      afterTrain: async (model, bank) => {
        await both.afterTrain?.(model, bank);
        s.keep(g.runId, g.label, g.doc, settings.seed, model);
      },
    });
    if (!r.ok) return r.diagnostics.map((d) => ({ ...d, message: `(${g.label}) ${d.message}` }));
    s.env.post({
      type: 'research-result',
      id: req.id,
      result: { kind: 'run', runId: g.runId, record: r.record, evolution: evo.result(), spectra: spectra.result() },
    });
    if (s.control.stop) break;
  }
  return [];
}
