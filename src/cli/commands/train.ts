/**
 * `wavegraph train <graph.json> --data <name|path> [--epochs N] [--batch B] [--lr X]
 *  [--seed S] [--limit N] [--backend B] [--json] [--save DIR]`
 */
import { analyze, FeatureBank, train, type TrainSettings } from '../../../compiler';
import { nodePlatform } from '../../platform/tf-node';
import { parallelRunner } from '../../platform/train-parallel-node';
import { checkWeightsCover } from '../../platform/weights';
import { loadWeights, saveWeights } from '../../platform/weights-node';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagString, parseArgs, type CliIO } from '../io';
import { buildModel, explicitWorkers, settingsFromFlags, setupRun, workerCount } from '../train-setup';

const HELP = `Usage: wavegraph train <graph.json> [options]
  --data <name|path>   synthetic, fashion-mnist, mnist, cifar10 or a folder (default: the graph's)
  --data-dir <dir>     folder holding the named dataset
  --epochs N  --batch B  --lr X  --seed S  --optimizer adam|sgd  --momentum M  --schedule constant|cosine
  --alpha X            lazy training: output alpha (f_w - f_w0), loss / alpha^2 (see "wavegraph lazy --help")
  --limit N            keep the first N training samples
  --test-limit N       evaluate on the first N test samples
  --backend wasm|cpu   force a backend (default: the fastest available)
  --workers N          worker threads sharing each batch, one model copy each (default: one per core when the
                       run is long enough to be worth starting them; 1: this thread)
  --save <dir>         write the trained weights (weights.json + weights.bin)
  --weights <dir>      continue from saved weights (Wavegraph's, or saved by an exported train.py)
  --no-cache           recompute a frozen front end instead of reading the disk cache
  --json               one JSON object per line per epoch, then a final line`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const loaded = loadGraphFile(p.positional[0], io);
  if (!loaded) return 1;
  const settings: TrainSettings = settingsFromFlags(p, loaded.doc);
  // Checked again at the batch size this run uses: the memory estimate depends on it.
  const g = { ...loaded, analysis: analyze(loaded.doc, { batchSize: settings.batchSize }) };
  if (!g.analysis.ok) {
    printDiagnostics(
      io,
      g.analysis.diagnostics.filter((d) => d.severity === 'error'),
      `${g.path}: `,
    );
    return 1;
  }
  const ctx = await setupRun(p, g, settings, io);
  if (!ctx) return 1;
  const { data } = ctx;
  const backend = ctx.tf.getBackend();
  const from = flagString(p, 'weights') ? loadWeights(flagString(p, 'weights')!, ctx.tf) : undefined;
  if (from?.diagnostic) {
    printDiagnostics(io, [from.diagnostic]);
    return 1;
  }
  const model = buildModel(g.analysis, settings.seed, io, from?.weights);
  if (!model) return 1;
  const uncovered = from?.weights ? checkWeightsCover(model, from.weights) : [];
  if (uncovered.length) {
    printDiagnostics(io, uncovered);
    model.dispose();
    return 1;
  }
  if (!json) {
    io.out(
      `Training ${g.doc.name ?? g.path} on ${data.name} (${data.train.count} train, ${data.test.count} test) with the ${backend} backend`,
    );
  }
  const bank = ctx.makeBank?.(model, data) ?? new FeatureBank(model, data);
  const bar = io.isTTY && !json ? progressBar(settings.batchSize) : undefined;
  const result = await train(
    model,
    data,
    settings,
    nodePlatform,
    {
      onFrozen: ({ nodes, seconds }) => {
        if (!json)
          io.out(`Frozen front end (${nodes.join(', ')}) ready in ${seconds.toFixed(1)} s; training the rest.`);
      },
      onStep: (m) => bar?.(m.epoch, settings.epochs, m.step, m.stepsPerEpoch, m.loss, m.trainAcc, m.samplesPerSec),
      onEpoch: (m) => {
        bar?.clear();
        const rec = {
          epoch: m.epoch,
          loss: m.loss,
          trainAcc: m.trainAcc,
          testAcc: m.testAcc,
          samplesPerSec: m.samplesPerSec,
          seconds: m.seconds,
          backend: m.backend,
        };
        if (json) io.out(JSON.stringify(rec));
        else
          io.out(
            `epoch ${m.epoch}/${settings.epochs}  loss ${m.loss.toFixed(4)}  train acc ${(100 * m.trainAcc).toFixed(2)}%  test acc ${(100 * m.testAcc).toFixed(2)}%  ${m.samplesPerSec.toFixed(0)} samples/s  (${m.seconds.toFixed(1)} s)`,
          );
      },
    },
    {},
    bank,
    workerCount(p) > 1
      ? parallelRunner(g.doc, {
          workers: explicitWorkers(p),
          onWorkers: (w) => {
            if (!json) io.out(`Each batch is shared by ${w.length} worker threads, one copy of the model each.`);
          },
        })
      : undefined,
  );
  bank.dispose();
  if (result.status === 'diverged' || result.status === 'failed') {
    printDiagnostics(io, result.diagnostics);
    model.dispose();
    return 1;
  }
  const save = flagString(p, 'save');
  if (save) {
    await saveWeights(model, save, g.doc.name);
    if (!json) io.out(`Weights saved to ${save}`);
  }
  if (json)
    io.out(JSON.stringify({ final: true, testAcc: result.finalTestAcc, backend, epochs: result.epochs.length }));
  else io.out(`Final test accuracy: ${(100 * result.finalTestAcc).toFixed(2)}%`);
  model.dispose();
  return 0;
}

function progressBar(batch: number) {
  const write = (s: string) => process.stderr.write(s);
  const draw = (epoch: number, epochs: number, step: number, steps: number, loss: number, acc: number, sps: number) => {
    const width = 24;
    const filled = Math.round((width * step) / steps);
    const left = sps > 0 ? Math.round(((steps - step) * batch) / sps) : 0;
    write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] epoch ${epoch}/${epochs} step ${step}/${steps} loss ${loss.toFixed(3)} acc ${(100 * acc).toFixed(1)}% ${sps.toFixed(0)}/s, ${left}s left `,
    );
  };
  draw.clear = () => write('\r\x1b[K');
  return draw;
}
