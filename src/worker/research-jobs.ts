/**
 * One research request, performed: each instrument is a headless runner from
 * src/research; this file only loads what it needs, calls it, and posts the result.
 */
import { analyze, diag, type Diagnostic } from '../../compiler/index';
import { isDiagnostic } from '../../nodes/shapes';
import type { CompiledModel } from '../../compiler/3-lower';
import { checkDatasetFits, datasetForGraph, type Dataset } from '../../compiler/dataset';
import { layerGaussianity } from '../research/gaussianity';
import { probeModel } from '../research/probe';
import { resample } from '../research/resample';
import { covarianceLayerTypes, layerSpectrum, words } from '../research/layer-spectrum';
import { whiteNoiseReference } from '../research/spectrum';
import { widthSweep } from '../research/width-sweep';
import { abRuns } from './research-ab';
import { jammingJob } from './research-jamming';
import { listaReadouts } from './research-lista';
import { lazyJob, stabilityErrorJob } from './research-thesis';
import type { ModelSource, ResearchRequest, SpectrumRow } from './research-protocol';
import { datasetName, networkWork, workMeter, type ResearchContext } from './research-context';

export async function runJob(s: ResearchContext, req: ResearchRequest): Promise<Diagnostic[]> {
  switch (req.type) {
    case 'research-ab':
      return abRuns(s, req);
    case 'research-probe':
      return withModel(s, req.id, req.dataset, req.source, async (model, data, label) => {
        s.progress(req.id, { message: `Probing ${label} at T = ${req.T.toPrecision(3)}, c = ${req.c}…` });
        const meter = workMeter(s, req.id);
        const types = new Map([...model.validation.nodes].map(([id, n]) => [id, n.def.type]));
        const report = await probeModel(
          model,
          data.test.images,
          data.test.count,
          data.shape,
          {
            T: req.T,
            c: req.c,
            seed: req.seed,
            samples: req.samples,
            platform: s.env.platform,
            onProgress: (done, total) => meter(`Probing ${label}: images deformed and measured`, done, total),
          },
          types,
        );
        s.env.post({ type: 'research-result', id: req.id, result: { kind: 'probe', report, source: label } });
      });
    case 'research-spectra':
      return withModel(s, req.id, req.dataset, req.source, async (model, _data, label) => {
        const layers: SpectrumRow[] = [];
        const report = workMeter(s, req.id);
        const weighted = model.order.filter((id) => model.validation.nodes.get(id)!.def.inputWeight);
        for (const [k, id] of weighted.entries()) {
          const type = model.validation.nodes.get(id)!.def.type;
          s.progress(req.id, { message: `Spectrum of ${id}…` });
          report(`Spectrum of ${id} (layer ${k + 1} of ${weighted.length})`, k, weighted.length);
          const sp = layerSpectrum(model, id, type);
          if (isDiagnostic(sp)) continue;
          const ref = whiteNoiseReference(sp.eigenvalues, sp.neurons, sp.inputs);
          layers.push({
            node: id,
            type,
            neurons: sp.neurons,
            inputs: sp.inputs,
            eigenvalues: sp.eigenvalues,
            whiteNoise: ref.quantiles,
            lo: ref.law.lo,
            hi: ref.law.hi,
            effectiveRank: sp.effectiveRank,
          });
          await s.env.platform.yield();
        }
        report('Spectra', weighted.length, weighted.length);
        if (!layers.length) {
          const kinds = words(covarianceLayerTypes(), 'or');
          return [
            diag('bad-argument', `This graph has no ${kinds} layer: there is no weight covariance to show.`, {
              fix: `Add a ${kinds} layer, or open templates such as mlp, cnn or rainbow.`,
            }),
          ];
        }
        s.env.post({ type: 'research-result', id: req.id, result: { kind: 'spectra', layers, source: label } });
      });
    case 'research-gaussianity':
      return withModel(s, req.id, req.dataset, req.source, async (model, _data, label) => {
        s.progress(req.id, { message: `Whitening the weights of ${label}…` });
        const report = workMeter(s, req.id);
        const layers = await layerGaussianity(
          model,
          () => s.env.platform.yield(),
          (done, total) => report(`Whitening the weights of ${label} (layers)`, done, total),
        );
        if (!layers.length)
          return [
            diag(
              'bad-argument',
              'This graph has no learned Dense or Conv2D layer: there are no weights whose law to test.',
              {
                fix: 'Open a graph with learned layers (cnn, learned-scattering, mlp).',
              },
            ),
          ];
        s.env.post({ type: 'research-result', id: req.id, result: { kind: 'gaussianity', layers, source: label } });
      });
    case 'research-resample': {
      const run = s.runs.get(req.runId);
      if (!run)
        return [
          diag(
            'bad-argument',
            `Run "${req.runId}" has no trained weights in memory: resampling needs a trained network.`,
            { fix: 'Train it in an A/B run first, then press Resample.' },
          ),
        ];
      const data = await s.dataset(req.id, req.dataset);
      if (isDiagnostic(data)) return [data];
      const r = await resample(s.env.tf, run.doc, run.weights, data, {
        draws: req.draws,
        retrainHead: req.retrainHead,
        everyLayer: req.everyLayer,
        widthFactor: req.widthFactor,
        batch: req.everyLayer ? 64 : undefined, // wavelet layers of a deep graph are memory-hungry on WASM
        seed: run.seed,
        platform: s.env.platform,
        onProgress: (message, done, total) =>
          s.progress(req.id, { message, work: { what: `Redrawing and measuring networks`, done, total } }),
      });
      if (!r.ok) return r.diagnostics;
      s.env.post({
        type: 'research-result',
        id: req.id,
        result: { kind: 'resample', report: r.report, runId: req.runId },
      });
      return [];
    }
    case 'research-sweep': {
      const loaded = await s.dataset(req.id, req.dataset);
      if (isDiagnostic(loaded)) return [loaded];
      const a = analyze(req.doc);
      if (!a.ok) return a.diagnostics.filter((d) => d.severity === 'error');
      const misfit = checkDatasetFits(a.validation, loaded);
      if (misfit.length) return misfit;
      // A hinge loss trains on its own two classes.
      const data = datasetForGraph(a.validation, loaded);
      s.progress(req.id, { message: `Sweeping ${req.node}.${req.param} over ${req.values.join(', ')}…` });
      // One unit per value, in the order the sweep trains them; a fit may stop early.
      const report = workMeter(s, req.id);
      const values = [...new Set(req.values)].sort((a, b) => a - b);
      let k = 0;
      const cap = (n: number) => (req.maxSteps !== undefined ? Math.min(n, req.maxSteps) : n);
      const r = await widthSweep(
        req.doc,
        {
          tf: s.env.tf,
          platform: s.env.platform,
          data,
          dataSpec: { spec: datasetName(req.dataset) },
          settings: req.settings,
          control: s.control,
          onWork: (phase, done, total) =>
            networkWork(report, k, values.length, `${req.param} = ${values[k]}`)(phase, cap(done), cap(total)),
        },
        { node: req.node, param: req.param, values: req.values, maxSteps: req.maxSteps },
        (sweep) => {
          k++;
          s.progress(req.id, {
            sweep,
            message: `${req.param} = ${sweep.value}: train error ${(100 * sweep.trainError).toFixed(1)}%, test error ${(100 * sweep.testError).toFixed(1)}%`,
          });
        },
      );
      if (!r.ok) return r.diagnostics;
      s.env.post({ type: 'research-result', id: req.id, result: { kind: 'sweep', report: r.report } });
      return [];
    }
    case 'research-jamming':
      return jammingJob(s, req);
    case 'research-lazy':
      return lazyJob(s, req);
    case 'research-stability-error':
      return stabilityErrorJob(s, req);
    case 'research-lista':
      return withModel(s, req.id, req.dataset, req.source, async (model, data, label) => {
        const rows = await listaReadouts(model, data, req.samples);
        if (!rows.length)
          return [
            diag('bad-argument', 'This graph has no LISTA or ISTC node: there are no unrolled steps to read out.', {
              fix: 'Open the scattering-lista template, or add a LISTA node.',
            }),
          ];
        s.env.post({ type: 'research-result', id: req.id, result: { kind: 'lista', rows, source: label } });
      });
  }
}

/** Load the data, build the model a source names, run `fn`, always free the model. */
async function withModel(
  s: ResearchContext,
  id: number,
  spec: ResearchRequest['dataset'],
  source: ModelSource,
  fn: (model: CompiledModel, data: Dataset, label: string) => Promise<Diagnostic[] | void>,
): Promise<Diagnostic[]> {
  const data = await s.dataset(id, spec);
  if (isDiagnostic(data)) return [data];
  const built = s.build(source, data);
  if (!built.model)
    return built.diagnostics.length ? built.diagnostics : [diag('lower-failed', `Could not build ${built.label}.`)];
  try {
    return (await fn(built.model, data, built.label)) ?? [];
  } finally {
    built.model.dispose();
  }
}
