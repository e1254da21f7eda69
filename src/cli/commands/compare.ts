/**
 * `wavegraph compare <a.json> [<b.json> ...] --data <name> [--epochs N] [--seed S]
 *  [--variant node.param=value] [--limit N] [--filters N] [--json] [--out runs.json]`:
 * train graphs side by side with the same seed, data order and hyper-parameters.
 */
import { writeFileSync } from 'node:fs';
import { checkSameInputs, compareRuns, compareTable } from '../../research/compare';
import { evolutionHooks } from '../../research/filter-evolution';
import { saveRunRecords } from '../../research/run-record';
import { combineHooks, spectraHooks, type SpectraSummaryRow } from '../../research/spectra-evolution';
import { loadGraphFile, printDiagnostics, type LoadedGraph } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, UsageError, type CliIO } from '../io';
import { checkDatasetFits, settingsFromFlags, setupRun } from '../train-setup';

const HELP = `Usage: wavegraph compare <a.json> [<b.json> ...] [options]
  Trains every graph with the same seed, data order and hyper-parameters.
  --variant node.param=value  compare the (single) graph with a copy where one param differs
  --data <name|path>   dataset (default: the first graph's)   --data-dir <dir>
  --epochs N  --batch B  --lr X  --seed S  --optimizer adam|sgd  --momentum M  --schedule constant|cosine
  --limit N  --test-limit N   keep the first N training / test samples
  --log-every N        step metrics every N steps (default 20)
  --filters N          snapshot the first-layer filter banks every N steps and score their wavelet-likeness
  --spectra N          every N steps, the eigenvalues of every learned layer's weight covariance against
                       white noise (Marchenko-Pastur): effective rank and distance from the law per snapshot
  --backend wasm|cpu  --no-cache  --workers N (threads sharing each batch; default: one per core)
  --json               one JSON object: the table and each run's curves
  --out <file>         write the run records (graph, seed, data, backend, metrics)`;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function parseVariant(text: string): { node: string; param: string; value: string | number | boolean } {
  const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(text);
  if (!m)
    throw new UsageError(
      `--variant takes node.param=value (for example conv1.mode=learned-from-noise), got "${text}".`,
    );
  const raw = m[3];
  const value =
    raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { node: m[1], param: m[2], value };
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const graphs: LoadedGraph[] = [];
  for (const path of p.positional) {
    const g = loadGraphFile(path, io);
    if (!g) return 1;
    if (!g.analysis.ok) {
      printDiagnostics(
        io,
        g.analysis.diagnostics.filter((d) => d.severity === 'error'),
        `${path}: `,
      );
      return 1;
    }
    graphs.push(g);
  }
  const entries = graphs.map((g) => ({ doc: g.doc, label: g.doc.name ?? g.path }));
  const variant = flagString(p, 'variant');
  if (variant) {
    if (graphs.length !== 1)
      throw new UsageError('--variant compares one graph with a copy of itself: give exactly one graph file.');
    const v = parseVariant(variant);
    const n = graphs[0].doc.nodes.find((x) => x.id === v.node);
    if (!n)
      throw new UsageError(
        `--variant: the graph has no node "${v.node}" (its nodes: ${graphs[0].doc.nodes.map((x) => x.id).join(', ')}).`,
      );
    const doc = {
      ...graphs[0].doc,
      nodes: graphs[0].doc.nodes.map((x) =>
        x.id === v.node ? { ...x, params: { ...x.params, [v.param]: v.value } } : x,
      ),
    };
    entries.push({ doc, label: `${entries[0].label} [${v.node}.${v.param}=${v.value}]` });
  }
  if (entries.length < 2) {
    io.err(
      'Give two graph files to compare (wavegraph compare a.json b.json), or one graph and --variant node.param=value.',
    );
    return 1;
  }
  const refused = checkSameInputs(entries);
  if (refused.length) {
    printDiagnostics(io, refused);
    return 1;
  }
  const settings = settingsFromFlags(p, graphs[0].doc);
  const filterEvery = flagNumber(p, 'filters', { int: true, min: 1 });
  if (filterEvery) settings.logEvery = gcd(settings.logEvery, filterEvery);
  const spectraEvery = flagNumber(p, 'spectra', { int: true, min: 1 });
  if (spectraEvery) settings.logEvery = gcd(settings.logEvery, spectraEvery);
  const ctx = await setupRun(p, graphs[0], settings, io);
  if (!ctx) return 1;
  for (const g of graphs.slice(1)) {
    const misfit = checkDatasetFits(g.analysis, ctx.data);
    if (misfit.length) {
      printDiagnostics(io, misfit, `${g.path}: `);
      return 1;
    }
  }
  if (!json)
    io.out(
      `Comparing ${entries.length} runs on ${ctx.data.name} (${ctx.data.train.count} train, ${ctx.data.test.count} test), seed ${settings.seed}, ${settings.epochs} epoch(s), backend ${ctx.tf.getBackend()}`,
    );
  const result = await compareRuns(entries, ctx, {
    runHooks: (_i, doc) =>
      combineHooks(
        filterEvery ? evolutionHooks(doc, { every: filterEvery }) : {},
        spectraEvery ? spectraHooks(spectraEvery) : {},
      ),
    onRunStart: (i, label) => {
      if (!json) io.out(`\n[${i + 1}/${entries.length}] ${label}`);
    },
    onEpoch: (_i, m) => {
      if (!json)
        io.out(
          `  epoch ${m.epoch}  loss ${m.loss.toFixed(4)}  train acc ${pct(m.trainAcc)}  test acc ${pct(m.testAcc)}  ${m.seconds.toFixed(1)} s`,
        );
    },
  });
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  const out = flagString(p, 'out');
  if (out) writeFileSync(out, saveRunRecords(result.runs));
  const table = compareTable(result.runs);
  if (json) {
    const runs = result.runs.map((r) => ({
      label: r.label,
      settings: r.settings,
      data: r.data,
      backend: r.backend,
      metrics: r.metrics,
    }));
    io.out(JSON.stringify({ table, runs }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    return 0;
  }
  io.out('');
  io.out(
    'run'.padEnd(41) +
      'trainable'.padStart(11) +
      'fixed'.padStart(9) +
      'test acc'.padStart(10) +
      'train acc'.padStart(11) +
      's/epoch'.padStart(9),
  );
  for (const r of table) {
    io.out(
      r.label.slice(0, 40).padEnd(41) +
        String(r.trainable).padStart(11) +
        String(r.fixed).padStart(9) +
        pct(r.testAcc).padStart(10) +
        pct(r.trainAcc).padStart(11) +
        r.secondsPerEpoch.toFixed(1).padStart(9),
    );
  }
  for (const r of result.runs) {
    const filters = r.metrics.extra?.filters as
      | {
          nodeId: string;
          mode: string;
          noiseScore: number;
          trace: { step: number; meanScore: number; distanceFromWired?: number }[];
        }[]
      | undefined;
    for (const f of filters ?? []) {
      const first = f.trace[0],
        last = f.trace.at(-1)!;
      const dist =
        last.distanceFromWired !== undefined ? `, distance from wired ${last.distanceFromWired.toFixed(3)}` : '';
      io.out(
        `${r.label}: ${f.nodeId} (${f.mode}) wavelet-likeness ${first.meanScore.toFixed(3)} at step 0 -> ${last.meanScore.toFixed(3)} at step ${last.step} (white noise scores ${f.noiseScore.toFixed(3)})${dist}`,
      );
    }
  }
  for (const r of result.runs) {
    for (const l of (r.metrics.extra?.spectra as SpectraSummaryRow[] | undefined) ?? []) {
      const first = l.trace[0],
        last = l.trace.at(-1)!;
      io.out(
        `${r.label}: ${l.node} (${l.neurons} x ${l.inputs}) effective rank ${first.entropyRank.toFixed(1)} at step 0 -> ${last.entropyRank.toFixed(1)} at step ${last.step}; distance from white noise (KS) ${first.ks.toFixed(3)} -> ${last.ks.toFixed(3)}; ${last.outliers} eigenvalues above the noise band`,
      );
    }
  }
  if (out) io.out(`Run records written to ${out}`);
  return 0;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
