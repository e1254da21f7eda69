/**
 * `wavegraph stability-vs-error [<a.json> ...] --data <name> [--limit P] [--epochs N]
 *  [--T x] [--c x] [--samples N] [--json]`: train several graphs (every template that
 * takes the dataset's images, when none is given) with the same budget, probe each with
 * the same deformations and noise, and fit test error against R_f in log-log.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { checkSameInputs, inputShape } from '../../research/compare';
import { defaultTemperature } from '../../research/probe';
import { stabilityVsError, type StabilityErrorPoint } from '../../research/stability-vs-error';
import { notTrainable } from '../../../compiler/3-lower';
import { loadGraphFile, printDiagnostics, type LoadedGraph } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, UsageError, type CliIO } from '../io';
import { settingsFromFlags, setupRun } from '../train-setup';

const HELP = `Usage: wavegraph stability-vs-error [<a.json> <b.json> ...] [options]
  Test error against relative stability R_f = D_f / G_f (Petrini, Favero, Geiger & Wyart 2021): trains each
  graph with the same seed, data and budget, probes each trained network with the same deformations and
  matched noise, and fits log(test error) against log(R_f). Also D_f of the output against the deformation
  temperature T for each network, with its log-log slope (1 for a map Lipschitz to deformations).
  With no graph, every template whose Input takes the dataset's images is used.
  --data <name|path>   dataset (default: the first graph's)   --data-dir <dir>
  --limit P  --test-limit N   training and test samples
  --epochs N  --batch B  --lr X  --seed S  --optimizer adam|sgd  --schedule constant|cosine
                       the same for every graph; unset ones come from the first graph's training
                       settings (with no graph named, templates in file order: cnn's 1 epoch)
  --T x                deformation temperature (default: geometric middle of [T_min, T_max])
  --c x                high-frequency cut-off (default 3)
  --samples N          test images probed (default 256)
  --curve-T a,b,...    temperatures of the D_f(T) curves (default: 5 over the useful range)
  --backend wasm|cpu  --no-cache  --workers N
  --out <file>         also write the JSON object to a file
  --json               one JSON object with every network and the fit`;

// The folder of a template this command knows is there (a URL to the folder itself is not a module to follow).
const TEMPLATES = dirname(fileURLToPath(new URL('../../../templates/cnn.json', import.meta.url)));

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const graphs: LoadedGraph[] = [];
  const chosen = p.positional.length > 0;
  const paths = chosen
    ? p.positional
    : readdirSync(TEMPLATES)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(TEMPLATES, f));
  for (const path of paths) {
    const g = loadGraphFile(path, io, chosen ? { requireValid: true } : {});
    if (!g) return 1;
    // Templates that are statistics models, or do not analyze, are not candidates.
    if (!chosen && (!g.analysis.ok || notTrainable(g.analysis.validation))) continue;
    graphs.push(g);
  }
  if (chosen && graphs.length < 2)
    throw new UsageError('Give at least two graphs to compare (or none, for every template that fits the dataset).');
  const settings = { ...settingsFromFlags(p, graphs[0].doc) };
  let entries = graphs.map((g) => ({ doc: g.doc, label: g.doc.name ?? g.path, g }));
  const first = chosen ? entries[0] : undefined;
  if (chosen) {
    const refused = checkSameInputs(entries);
    if (refused.length) {
      printDiagnostics(io, refused);
      return 1;
    }
  }
  // The dataset is resolved from the first graph (or --data); without a choice, keep the templates that take its images.
  const wanted = flagString(p, 'data') ?? 'fashion-mnist';
  const ctx = await setupRun(
    p,
    first?.g ?? graphs.find((g) => g.doc.training?.dataset === wanted) ?? graphs[0],
    settings,
    io,
  );
  if (!ctx) return 1;
  const { data } = ctx;
  if (!chosen) entries = entries.filter((e) => inputShape(e.doc)?.join() === data.shape.join());
  if (entries.length < 2) {
    io.err(
      `Fewer than two templates take ${data.name}'s ${data.shape.join(' x ')} images: give the graphs to compare.`,
    );
    return 1;
  }
  const c = flagNumber(p, 'c', { min: 1 }) ?? 3;
  const T = flagNumber(p, 'T', { min: 0 }) ?? defaultTemperature(Math.max(data.shape[0], data.shape[1]), c);
  const samples = Math.min(flagNumber(p, 'samples', { int: true, min: 2 }) ?? 256, data.test.count);
  const curveText = flagString(p, 'curve-T');
  const curveTs = curveText?.split(',').map(Number);
  if (curveTs && curveTs.some((t) => !(t > 0)))
    throw new UsageError(`--curve-T takes positive temperatures separated by commas, got "${curveText}".`);
  if (!json)
    io.out(
      `Training ${entries.length} graphs on ${data.name} (${data.train.count} train, ${data.test.count} test), ${settings.epochs} epoch(s) each; probing ${samples} test images at T = ${T.toPrecision(3)}, c = ${c}`,
    );
  const result = await stabilityVsError(
    entries.map(({ doc, label }) => ({ doc, label })),
    ctx,
    { T, c, seed: settings.seed, samples, curveTs },
    (m) => {
      if (!json) io.out(`  ${line(m)}`);
    },
  );
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  const r = result.report;
  const text = JSON.stringify(
    { data: data.name, train: data.train.count, test: data.test.count, settings, ...r },
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
  );
  const out = flagString(p, 'out');
  if (out) writeFileSync(out, text + '\n');
  if (json) {
    io.out(text);
    return 0;
  }
  io.out(
    r.fit
      ? `log(test error) = ${r.fit.intercept.toFixed(2)} + ${r.fit.slope.toFixed(2)} log(R_f) (slope ± ${r.fit.slopeStdErr.toFixed(2)}, r² = ${r.fit.r2.toFixed(2)}, ${r.fit.n} networks): ${r.fit.slope > 0 ? 'more stable to deformations (smaller R_f), lower error' : 'error does not fall with R_f here'}.`
      : 'Too few networks with a positive error and R_f to fit a line.',
  );
  return 0;
}

function line(m: StabilityErrorPoint): string {
  const slope = m.curveSlope ? `, D_f ~ T^${m.curveSlope.slope.toFixed(2)}` : '';
  return `${m.label}: test error ${(100 * m.testError).toFixed(2)}%, R_f = ${m.R.toPrecision(3)} (±${(100 * m.logRStdErr).toFixed(0)}%), D_f = ${m.D.toPrecision(3)}, G_f = ${m.G.toPrecision(3)}${slope}, ${m.trainable.toLocaleString('en-US')} trainable`;
}
