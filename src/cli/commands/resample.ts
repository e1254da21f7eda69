/**
 * `wavegraph resample <graph.json> --weights <dir> --data <name> [--draws K]
 *  [--width N] [--every-layer] [--retrain-head] [--json]`: accuracy of the trained network and of K
 *  networks redrawn from its learned weight covariances (docs/science.md, Rainbow networks).
 */
import { resample } from '../../research/resample';
import { nodePlatform, tf } from '../../platform/tf-node';
import { loadWeights } from '../../platform/weights-node';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { checkDatasetFits, chooseBackend, datasetSpec, loadDataset } from '../train-setup';

const HELP = `Usage: wavegraph resample <graph.json> --weights <dir> --data <name|path> [options]
  --weights <dir>       trained weights (from "wavegraph train --save <dir>")
  --data <name|path>    dataset: alignment and head retraining use its training split, accuracy its test split
  --draws K             number of fresh draws (default 3)
  --width N             width of every resampled layer (default: the trained width)
  --width-factor F      every resampled layer at F times its trained width (2: twice as wide)
  --every-layer         redraw convolutions too (covariance over input channels x kernel positions),
                        not only RandomFeature and hidden Dense layers
  --retrain-head        also retrain the classifier alone on each draw (--head-epochs, default 2)
  --limit N             training samples to load (default 10000)
  --batch B             samples per forward pass (default 256; lower it when a wide network runs out of memory)
  --align-samples N     training samples for the Procrustes alignment (default 1000)
  --test-limit N        evaluate on the first N test samples
  --data-dir <dir>  --backend wasm|cpu  --seed S  --json`;

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'retrain-head', 'every-layer']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const draws = flagNumber(p, 'draws', { int: true }) ?? 3;
  if (draws < 1) {
    io.err(
      `--draws must be at least 1, got ${draws}: resampling measures at least one fresh network drawn from the learned covariances.`,
    );
    return 1;
  }
  const width = flagNumber(p, 'width', { int: true, min: 1 });
  const widthFactor = flagNumber(p, 'width-factor');
  if (widthFactor !== undefined && !(widthFactor > 0)) {
    io.err(`--width-factor must be a positive number, got ${widthFactor}.`);
    return 1;
  }
  const headEpochs = flagNumber(p, 'head-epochs', { int: true, min: 1 }) ?? 2;
  const weightsDir = flagString(p, 'weights');
  if (!weightsDir) {
    io.err('Give the trained weights with --weights <dir> (saved by "wavegraph train <graph.json> --save <dir>").');
    return 1;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) return 1;
  const backend = await chooseBackend(flagString(p, 'backend'), io);
  if (!backend) return 1;
  const loaded = loadWeights(weightsDir, tf);
  if (!loaded.weights) {
    printDiagnostics(io, [loaded.diagnostic!]);
    return 1;
  }
  const seed = flagNumber(p, 'seed', { int: true }) ?? g.doc.training?.seed ?? 1;
  const spec = datasetSpec(g.doc, g.analysis, flagString(p, 'data'));
  const data = await loadDataset(
    spec,
    {
      dataDir: flagString(p, 'data-dir'),
      limit: flagNumber(p, 'limit', { int: true, min: 1 }) ?? 10000,
      seed,
      testLimit: flagNumber(p, 'test-limit', { int: true, min: 1 }),
    },
    io,
  );
  if (!data) return 1;
  const misfit = checkDatasetFits(g.analysis, data);
  if (misfit.length) {
    printDiagnostics(io, misfit);
    return 1;
  }
  const result = await resample(tf, g.doc, loaded.weights, data, {
    draws,
    width,
    widthFactor,
    retrainHead: flagBool(p, 'retrain-head'),
    everyLayer: flagBool(p, 'every-layer'),
    headEpochs,
    alignSamples: flagNumber(p, 'align-samples', { int: true, min: 1 }),
    batch: flagNumber(p, 'batch', { int: true, min: 1 }),
    seed,
    platform: nodePlatform,
    onProgress: json ? undefined : (m) => io.out(m),
  });
  for (const t of loaded.weights.values()) t.dispose();
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  const r = result.report;
  if (json) {
    io.out(JSON.stringify({ graph: g.doc.name ?? g.path, data: data.name, backend, ...r }));
    return 0;
  }
  io.out(
    `Resampled layers: ${r.layers.map((l) => `${l.node} (${l.type}, width ${l.width} -> ${l.newWidth})`).join(', ')}`,
  );
  io.out(`trained network            ${pct(r.trained)}`);
  const line = (label: string, s: { mean: number; std: number; min: number; max: number }) =>
    io.out(
      `${label.padEnd(27)}${pct(s.mean)} ± ${(100 * s.std).toFixed(2)} (min ${pct(s.min)}, max ${pct(s.max)}, ${r.draws.length} draws)`,
    );
  line('resampled, head reused', r.reused);
  if (r.retrained) line('resampled, head retrained', r.retrained);
  for (const n of r.notes) io.out(`note: ${n}`);
  return 0;
}
