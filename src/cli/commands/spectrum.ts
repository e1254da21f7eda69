/**
 * `wavegraph spectrum <graph.json> --weights <dir> --node <id> [--json]`: the
 * eigenvalues of a layer's weight covariance (QᵀQ for a covariance factor, WᵀW / N for
 * a dense or convolution weight), against the white-noise (Marchenko-Pastur) support.
 */
import { layerSpectrum } from '../../research/layer-spectrum';
import { tf } from '../../platform/tf-node';
import { loadWeights } from '../../platform/weights-node';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { buildModel, chooseBackend } from '../train-setup';
import { isDiagnostic } from '../../../nodes/shapes';

const HELP = `Usage: wavegraph spectrum <graph.json> --weights <dir> --node <id> [--json] [--top K]
  Eigenvalues of the node's weight covariance: QᵀQ (RandomFeature) or WᵀW / N (Dense, Conv2D flattened).`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const node = flagString(p, 'node');
  const weightsDir = flagString(p, 'weights');
  if (!node || !weightsDir) {
    io.err('Give the trained weights and the layer: --weights <dir> --node <id>.');
    return 1;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) return 1;
  const vn = g.analysis.validation.nodes.get(node);
  if (!vn) {
    io.err(
      `The graph has no node "${node}". Its learned layers: ${
        [...g.analysis.validation.nodes]
          .filter(([, n]) => n.def.inputWeight)
          .map(([id]) => id)
          .join(', ') || 'none'
      }.`,
    );
    return 1;
  }
  if (!(await chooseBackend(flagString(p, 'backend'), io))) return 1;
  const loaded = loadWeights(weightsDir, tf);
  if (!loaded.weights) {
    printDiagnostics(io, [loaded.diagnostic!]);
    return 1;
  }
  const model = buildModel(g.analysis, 1, io, loaded.weights);
  for (const t of loaded.weights.values()) t.dispose();
  if (!model) return 1;
  const missing = model.variables.filter((v) => v.nodeId === node && !loaded.weights!.has(v.key));
  const s = missing.length ? undefined : layerSpectrum(model, node, vn.def.type);
  model.dispose();
  if (!s) {
    io.err(
      `error [weights-mismatch] The weights in "${weightsDir}" have no value for ${missing.map((v) => `"${v.key}"`).join(', ')}: they were saved for a different graph. Fix: pass the --weights folder saved when training this same graph.`,
    );
    return 1;
  }
  if (isDiagnostic(s)) {
    printDiagnostics(io, [s]);
    return 1;
  }
  const values = Array.from(s.eigenvalues);
  if (flagBool(p, 'json')) {
    io.out(JSON.stringify({ ...s, eigenvalues: values }));
    return 0;
  }
  const top = flagNumber(p, 'top', { int: true, min: 1 }) ?? 10;
  io.out(`${node} (${s.type}): N = ${s.neurons} neurons, D = ${s.inputs} inputs; trace ${s.trace.toPrecision(4)}`);
  io.out(
    `effective rank: ${s.effectiveRank.entropy.toFixed(1)} (entropy), ${s.effectiveRank.participation.toFixed(1)} (participation) of ${s.inputs}`,
  );
  io.out(
    `white noise of the same shape and trace would spread over [${s.whiteNoise.lo.toPrecision(3)}, ${s.whiteNoise.hi.toPrecision(3)}]; above it: ${values.filter((v) => v > s.whiteNoise.hi).length} eigenvalues`,
  );
  io.out(
    `largest ${Math.min(top, values.length)}: ${values
      .slice(0, top)
      .map((v) => v.toPrecision(4))
      .join(' ')}`,
  );
  return 0;
}
