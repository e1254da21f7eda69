/**
 * `wavegraph probe stability <graph.json> (--weights <dir> | --init) --data <name>
 *  [--T x] [--c x] [--samples N] [--seed S] [--json]`: deformation stability D_f,
 * G_f, R_f of a trained (or freshly initialized) network, per layer.
 */
import { tf } from '../../platform/tf-node';
import { checkWeightsCover } from '../../platform/weights';
import { loadWeights } from '../../platform/weights-node';
import { defaultTemperature, probeModel, type LayerRow } from '../../research/probe';
import { nodePlatform } from '../../platform/tf-node';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { buildModel, checkDatasetFits, chooseBackend, datasetSpec, loadDataset } from '../train-setup';

const HELP = `Usage: wavegraph probe stability <graph.json> (--weights <dir> | --init) [options]
  Relative stability to smooth deformations (docs/science.md, Stability to deformations), for the output and every layer:
  D_f (deformation), G_f (matched-norm noise), R_f = D_f / G_f, on test images.
  --weights <dir>      trained weights (from "wavegraph train <graph.json> --save <dir>")
  --init               probe the untrained network, initialized with --seed
  --data <name|path>   dataset whose test images are used (default: the graph's)   --data-dir <dir>
  --T x                deformation temperature (default: geometric middle of [T_min, T_max])
  --c x                high-frequency cut-off (default 3)
  --samples N          test images x (default 256)
  --seed S             deformations, noise and (with --init) the weights
  --backend wasm|cpu  --json`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'init']);
  if (flagBool(p, 'help') || p.positional.length === 0) {
    io.out(HELP);
    return flagBool(p, 'help') ? 0 : 1;
  }
  const [what, path] = p.positional;
  if (what !== 'stability') {
    io.err(
      `Unknown probe "${what}". The probe available is "stability": wavegraph probe stability <graph.json> --weights <dir>.`,
    );
    return 1;
  }
  const json = flagBool(p, 'json');
  const init = flagBool(p, 'init');
  const weightsDir = flagString(p, 'weights');
  if (!weightsDir && !init) {
    io.err(
      'The probe measures a trained network: give its weights with --weights <dir> (saved by "wavegraph train <graph.json> --save <dir>"), or pass --init to probe the untrained network.',
    );
    return 1;
  }
  if (weightsDir && init) {
    io.err('Give either --weights <dir> (a trained network) or --init (an untrained one), not both.');
    return 1;
  }
  const g = loadGraphFile(path, io);
  if (!g) return 1;
  if (!g.analysis.ok) {
    printDiagnostics(
      io,
      g.analysis.diagnostics.filter((d) => d.severity === 'error'),
    );
    return 1;
  }
  const c = flagNumber(p, 'c', { min: 1 }) ?? 3;
  const seed = flagNumber(p, 'seed', { int: true }) ?? g.doc.training?.seed ?? 1;
  const samples = flagNumber(p, 'samples', { int: true, min: 2 }) ?? 256;
  if (!(await chooseBackend(flagString(p, 'backend'), io))) return 1;
  const spec = datasetSpec(g.doc, g.analysis, flagString(p, 'data'));
  const data = await loadDataset(spec, { dataDir: flagString(p, 'data-dir'), limit: 1, seed, testLimit: samples }, io);
  if (!data) return 1;
  const misfit = checkDatasetFits(g.analysis, data);
  if (misfit.length) {
    printDiagnostics(io, misfit);
    return 1;
  }
  const T = flagNumber(p, 'T', { min: 0 }) ?? defaultTemperature(Math.max(data.shape[0], data.shape[1]), c);
  let weights: Map<string, import('../../../nodes/types').Tensor> | undefined;
  if (weightsDir) {
    const loaded = loadWeights(weightsDir, tf);
    if (!loaded.weights) {
      printDiagnostics(io, [loaded.diagnostic!]);
      return 1;
    }
    weights = loaded.weights;
  }
  const model = buildModel(g.analysis, seed, io, weights);
  if (!model) return 1;
  if (weights) {
    const missing = checkWeightsCover(model, weights);
    for (const t of weights.values()) t.dispose();
    if (missing.length) {
      printDiagnostics(io, missing);
      model.dispose();
      return 1;
    }
  }
  const types = new Map([...g.analysis.validation.nodes].map(([id, n]) => [id, n.def.type]));
  const report = await probeModel(
    model,
    data.test.images,
    data.test.count,
    data.shape,
    { T, c, seed, samples, platform: nodePlatform },
    types,
  );
  model.dispose();
  const rows = [...report.layers, report.output];
  if (json) {
    const { examples: _e, ...rest } = report;
    io.out(
      JSON.stringify(
        {
          graph: g.doc.name ?? g.path,
          weights: weightsDir ?? 'init',
          data: data.name,
          backend: tf.getBackend(),
          ...rest,
        },
        (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      ),
    );
    return 0;
  }
  io.out(
    `Stability of ${g.doc.name ?? g.path} (${weightsDir ? `weights ${weightsDir}` : `initialized, seed ${seed}`}) on ${report.samples} ${data.name} test images`,
  );
  io.out(
    `T = ${T.toPrecision(3)} (useful range ${report.temperatureRange.Tmin.toPrecision(3)} to ${report.temperatureRange.Tmax.toPrecision(3)}), c = ${c}: displacement ${report.displacement.toFixed(2)} px rms (formula ${report.typicalDisplacement.toFixed(2)} px)`,
  );
  io.out(
    'layer'.padEnd(24) +
      'type'.padEnd(22) +
      'dim'.padStart(8) +
      'D_f'.padStart(11) +
      'G_f'.padStart(11) +
      'R_f'.padStart(11),
  );
  for (const r of rows) io.out(line(r));
  return 0;
}

function line(r: LayerRow): string {
  const name = r.layer === '@output' ? `output (${r.node})` : r.layer;
  const f = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : 'n/a').padStart(11);
  return (
    name.slice(0, 23).padEnd(24) +
    r.type.slice(0, 21).padEnd(22) +
    String(r.dim).padStart(8) +
    f(r.D) +
    f(r.G) +
    f(r.R) +
    (Number.isFinite(r.logRStdErr) ? `  (±${(100 * r.logRStdErr).toFixed(0)}%)` : '')
  );
}
