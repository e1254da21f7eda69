/**
 * `wavegraph gaussianity <graph.json> [--weights <dir>] [--seed S] [--json]`: for every
 * learned layer, its weights whitened on their covariance's eigenvectors (excess
 * kurtosis per direction, KS distance to the normal, QQ points) and its spectrum
 * against white noise (effective rank, KS distance to Marchenko-Pastur). Without
 * --weights, the initialization drawn from --seed: the "start" of a training run.
 */
import { layerGaussianity } from '../../research/gaussianity';
import { tf } from '../../platform/tf-node';
import { loadWeights } from '../../platform/weights-node';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { buildModel, chooseBackend } from '../train-setup';

const HELP = `Usage: wavegraph gaussianity <graph.json> [--weights <dir>] [--seed S] [--json]
  Per learned layer: are its weights Gaussian (whitened projections: kurtosis, KS, QQ), and how far is
  its covariance spectrum from white noise (effective rank, KS to Marchenko-Pastur)?
  --weights <dir>   trained weights; without it, the initialization of --seed (default: the graph's)`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) return 1;
  if (!(await chooseBackend(flagString(p, 'backend'), io))) return 1;
  const dir = flagString(p, 'weights');
  const loaded = dir ? loadWeights(dir, tf) : undefined;
  if (loaded && !loaded.weights) {
    printDiagnostics(io, [loaded.diagnostic!]);
    return 1;
  }
  const seed = flagNumber(p, 'seed', { int: true }) ?? g.doc.training?.seed ?? 1;
  const model = buildModel(g.analysis, seed, io, loaded?.weights);
  for (const t of loaded?.weights?.values() ?? []) t.dispose();
  if (!model) return 1;
  const missing = loaded ? model.variables.filter((v) => !loaded.weights!.has(v.key)) : [];
  if (missing.length) {
    model.dispose();
    io.err(
      `error [weights-mismatch] The weights in "${dir}" have no value for ${missing
        .slice(0, 3)
        .map((v) => `"${v.key}"`)
        .join(
          ', ',
        )}: they were saved for a different graph. Fix: pass the --weights folder saved when training this same graph.`,
    );
    return 1;
  }
  const rows = await layerGaussianity(model);
  model.dispose();
  if (!rows.length) {
    io.err(
      `"${g.doc.name ?? g.path}" has no learned Dense or Conv2D layer: there are no weights whose law to test. Fix: open a graph with learned layers (cnn, learned-scattering).`,
    );
    return 1;
  }
  if (flagBool(p, 'json')) {
    io.out(
      JSON.stringify({
        graph: g.doc.name ?? g.path,
        weights: dir ?? `initialization (seed ${seed})`,
        layers: rows.map((r) => ({
          ...r,
          gaussianity: { ...r.gaussianity, kurtosis: Array.from(r.gaussianity.kurtosis) },
        })),
      }),
    );
    return 0;
  }
  io.out(`${g.doc.name ?? g.path}: ${dir ? `weights ${dir}` : `initialization, seed ${seed}`}`);
  io.out(
    'layer'.padEnd(14) +
      'N x D'.padStart(12) +
      'eff. rank'.padStart(11) +
      'KS(MP)'.padStart(8) +
      'kurtosis'.padStart(10) +
      'median'.padStart(8) +
      'max'.padStart(8) +
      'KS(N)'.padStart(8) +
      '  Gaussian',
  );
  for (const r of rows) {
    const k = Array.from(r.gaussianity.kurtosis).sort((a, b) => a - b);
    const med = k.length ? k[Math.floor(k.length / 2)] : NaN;
    io.out(
      r.node.slice(0, 13).padEnd(14) +
        `${r.neurons} x ${r.inputs}`.padStart(12) +
        r.spectrum.effectiveRank.entropy.toFixed(1).padStart(11) +
        r.spectrum.ks.toFixed(3).padStart(8) +
        r.gaussianity.pooledKurtosis.toFixed(2).padStart(10) +
        med.toFixed(2).padStart(8) +
        (k.at(-1) ?? NaN).toFixed(2).padStart(8) +
        r.gaussianity.ks.toFixed(3).padStart(8) +
        `  ${r.gaussianity.gaussian ? 'yes' : 'no'}`,
    );
  }
  io.out(
    'kurtosis: excess kurtosis of the whitened weights, pooled, then the median and largest over directions (0 for a Gaussian).',
  );
  return 0;
}
