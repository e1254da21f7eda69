/**
 * The jamming sweep in the worker: the dataset checked against the graph's loss (a
 * hinge loss needs its binary split), regrouped into the loss's two classes, then
 * src/research/jamming.ts with each network's figures posted as it finishes.
 */
import type { Diagnostic } from '../../document/diagnostics';
import { checkDatasetFits, datasetForGraph } from '../../compiler/dataset';
import { analyze } from '../../compiler/index';
import { isDiagnostic } from '../../nodes/shapes';
import { jammingSweep } from '../research/jamming';
import type { ResearchRequest } from './research-protocol';
import { datasetName, workMeter, type ResearchContext } from './research-context';

type JammingRequest = Extract<ResearchRequest, { type: 'research-jamming' }>;

export async function jammingJob(s: ResearchContext, req: JammingRequest): Promise<Diagnostic[]> {
  const a = analyze(req.doc);
  if (!a.ok) return a.diagnostics.filter((d) => d.severity === 'error');
  const loaded = await s.dataset(req.id, req.dataset);
  if (isDiagnostic(loaded)) return [loaded];
  const misfit = checkDatasetFits(a.validation, loaded);
  if (misfit.length) return misfit;
  const data = datasetForGraph(a.validation, loaded);
  s.progress(req.id, {
    message: `Jamming sweep of ${req.node}.${req.param} at P = ${req.sizes.join(', ')}…`,
  });
  const report = workMeter(s, req.id);
  const nets = new Set(req.sizes).size * new Set(req.widths).size * Math.max(1, req.ensemble);
  let fitted = 0;
  report('Fitting networks to their training sets', 0, nets);
  const r = await jammingSweep(
    req.doc,
    {
      tf: s.env.tf,
      platform: s.env.platform,
      data,
      dataSpec: { spec: datasetName(req.dataset) },
      settings: req.settings,
      control: s.control,
    },
    {
      node: req.node,
      param: req.param,
      widths: req.widths,
      sizes: req.sizes,
      ensemble: req.ensemble,
      minimize: { learningRate: req.learningRate, maxSteps: req.maxSteps },
    },
    (jamming) => {
      s.progress(req.id, {
        jamming,
        message: `P = ${jamming.P}, ${req.param} = ${jamming.width} (N = ${jamming.N}): ${jamming.net.unsatisfied} unsatisfied, test error ${(100 * jamming.net.testError).toFixed(1)}%`,
      });
      report('Fitting networks to their training sets', ++fitted, nets);
    },
  );
  if (!r.ok) return r.diagnostics;
  s.env.post({ type: 'research-result', id: req.id, result: { kind: 'jamming', report: r.report } });
  return [];
}
