/**
 * `wavegraph jamming [graph.json] --sizes 250,500,1000 --values 2..40:6 [--ensemble K] [--json]`:
 * at each training-set size P, train each width to a true minimum of the quadratic hinge
 * loss and count the constraints left unsatisfied; print N* per P, its line against P,
 * the test error against N/P and, with K networks per point, the error of their average.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printDiagnostics, loadGraphFile } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { getNodeDefinition } from '../../../nodes/registry';
import { parseSweepValues } from '../../research/sweep';
import { checkJamming, jammingSweep, phaseDiagram, type JammingReport } from '../../research/jamming';
import { settingsFromFlags, setupRun } from '../train-setup';

const TEMPLATE = fileURLToPath(new URL('../../../templates/jamming-mlp.json', import.meta.url));

const HELP = `Usage: wavegraph jamming [graph.json] --sizes <list> --values <list|range> [options]
  graph.json           a graph ending in one score and a Quadratic hinge loss (default: templates/jamming-mlp.json)
  --sizes 250,500,1000 training-set sizes P (the first P of the loaded training images)
  --values 2..40:6     widths: a list, or N log-spaced integers from a to b
  --node <id> --param <name>   what to sweep (default: the first node with a width)
  --ensemble K         K networks per point (seeds S..S+K-1): error of their averaged output, spread of their outputs
  --lr X               Adam's starting learning rate (default 0.01), halved when the loss stops falling
  --batch B            samples per step (default: the whole training set)
  --max-steps N        step budget per network (default 4000)
  --patience N         epochs without a 0.1% fall of the loss before the rate is halved (default 50)
  --slack x            a shortfall 1 − y·f above x counts as unsatisfied (default 1e-4)
  --data <name|path>   dataset (default: the graph's)   --data-dir <dir>   --test-limit N   --seed S   --backend wasm|cpu
  --json               one JSON object with every network, the thresholds and the fit
  --out <file>         also write that JSON object to a file (the Research tab's Jamming view opens it)

       wavegraph jamming --report <file.json>
  print the figures of a saved report again (N* and the fit recomputed from its networks)`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const saved = flagString(p, 'report');
  if (saved) return reprint(saved, io);
  const sizesText = flagString(p, 'sizes');
  const valuesText = flagString(p, 'values');
  if (!sizesText || !valuesText) {
    io.err('Say which training-set sizes and widths to try: --sizes 250,500,1000 --values 2..40:6.');
    return 1;
  }
  const sizes = parseSweepValues(sizesText);
  const widths = parseSweepValues(valuesText);
  for (const r of [sizes, widths])
    if (!r.ok) {
      io.err(r.message);
      return 1;
    }
  if (!sizes.ok || !widths.ok) return 1;
  const g = loadGraphFile(p.positional[0] ?? TEMPLATE, io, { requireValid: true });
  if (!g) return 1;
  const v = g.analysis.validation;
  const swept = [...v.order].map((id) => v.nodes.get(id)!).find((n) => getNodeDefinition(n.node.type)?.widthParam);
  const node = flagString(p, 'node') ?? swept?.node.id ?? '';
  const param = flagString(p, 'param') ?? (swept && getNodeDefinition(swept.node.type)?.widthParam) ?? '';
  const options = {
    node,
    param,
    widths: widths.values,
    sizes: sizes.values,
    ensemble: flagNumber(p, 'ensemble', { int: true, min: 1, max: 64 }) ?? 1,
    minimize: {
      learningRate: flagNumber(p, 'lr', { min: 0 }) ?? 0.01,
      batchSize: flagNumber(p, 'batch', { int: true, min: 1 }),
      maxSteps: flagNumber(p, 'max-steps', { int: true, min: 1 }) ?? 4000,
      patience: flagNumber(p, 'patience', { int: true, min: 1 }) ?? 50,
      slack: flagNumber(p, 'slack', { min: 0 }),
    },
  };
  const problems = checkJamming(g.doc, options);
  if (problems.length) {
    printDiagnostics(io, problems, `${g.path}: `);
    return 1;
  }
  // Load exactly as many training images as the largest P needs.
  if (!p.flags.has('limit')) p.flags.set('limit', String(Math.max(...sizes.values)));
  const ctx = await setupRun(p, g, settingsFromFlags(p, g.doc), io);
  if (!ctx) return 1;
  if (!json)
    io.out(
      `Jamming sweep of ${node}.${param} over ${widths.values.join(', ')} at P = ${sizes.values.join(', ')} on ${ctx.data.name} (${ctx.data.classNames.join(' / ')}; ${ctx.data.test.count} test images)${options.ensemble > 1 ? `, ${options.ensemble} networks per point` : ''}`,
    );
  const t0 = Date.now();
  const result = await jammingSweep(g.doc, ctx, options, (m) => {
    if (!json)
      io.out(
        `  P = ${m.P}, ${param} = ${m.width} (N = ${m.N})${options.ensemble > 1 ? ` #${m.member + 1}` : ''}: ${m.net.unsatisfied} unsatisfied, loss ${m.net.loss.toExponential(2)}, test error ${pct(m.net.testError)}, ${m.net.steps} steps, ${m.net.status} (${m.seconds.toFixed(1)} s)`,
      );
  });
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics, `${g.path}: `);
    return 1;
  }
  const r = result.report;
  const seconds = (Date.now() - t0) / 1000;
  const text = JSON.stringify({ graph: g.doc.name ?? g.path, data: ctx.data.name, seconds, ...r }, (_k, x) =>
    typeof x === 'number' && !Number.isFinite(x) ? null : x,
  );
  const out = flagString(p, 'out');
  if (out) writeFileSync(out, text + '\n');
  if (json) {
    io.out(text);
    return 0;
  }
  for (const line of tables(r, param)) io.out(line);
  io.out(`(${seconds.toFixed(0)} s)`);
  return 0;
}

function reprint(path: string, io: CliIO): number {
  let r: JammingReport;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as JammingReport;
  } catch (e) {
    io.err(`Cannot read the report "${path}": ${(e as Error).message}.`);
    return 1;
  }
  if (!Array.isArray(r.points) || !r.param) {
    io.err(`"${path}" is not a jamming report: write one with wavegraph jamming --out <file>.`);
    return 1;
  }
  for (const line of tables({ ...r, ...phaseDiagram(r.points) }, r.param)) io.out(line);
  return 0;
}

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(2)}%`;
}

/** The figure as text: one table per P, then the phase diagram and its fit. */
export function tables(r: JammingReport, param: string): string[] {
  const out: string[] = [];
  const ens = r.ensemble > 1;
  for (const t of r.thresholds) {
    out.push(
      `\nP = ${t.P}\n` +
        param.padEnd(8) +
        'N'.padStart(8) +
        'N/P'.padStart(8) +
        'unsat'.padStart(8) +
        'loss'.padStart(11) +
        'test err'.padStart(10) +
        (ens ? 'ensemble'.padStart(10) + 'spread'.padStart(10) : ''),
    );
    for (const pt of r.points.filter((x) => x.P === t.P)) {
      const unsat = pt.nets.reduce((s, n) => s + n.unsatisfied, 0) / pt.nets.length;
      const loss = pt.nets.reduce((s, n) => s + n.loss, 0) / pt.nets.length;
      out.push(
        String(pt.width).padEnd(8) +
          String(pt.N).padStart(8) +
          (pt.N / pt.P).toFixed(2).padStart(8) +
          String(Number(unsat.toFixed(1))).padStart(8) +
          loss.toExponential(2).padStart(11) +
          pct(pt.testError).padStart(10) +
          (ens ? pct(pt.ensembleTestError).padStart(10) + (pt.spread ?? NaN).toExponential(2).padStart(10) : ''),
      );
    }
  }
  out.push('\nPhase diagram (N* = first N from which, at every larger N too, most networks fit every constraint)');
  out.push('P'.padEnd(8) + 'N*'.padStart(8) + 'N below'.padStart(10) + 'P/N*'.padStart(8));
  for (const t of r.thresholds)
    out.push(
      String(t.P).padEnd(8) +
        String(t.nStar ?? '> widest').padStart(8) +
        String(t.nBelow ?? '< narrowest').padStart(10) +
        (t.nStar ? (t.P / t.nStar).toFixed(2) : '—').padStart(8),
    );
  out.push(
    r.fit
      ? `Fit: N* = ${r.fit.slope.toFixed(3)}·P ${r.fit.intercept >= 0 ? '+' : '−'} ${Math.abs(r.fit.intercept).toFixed(0)}${Number.isFinite(r.fit.r2) ? ` (r² = ${r.fit.r2.toFixed(3)})` : ''}; through the origin N* = ${r.fit.slopeThroughOrigin.toFixed(3)}·P`
      : 'No line: N* was found at fewer than two sizes (widen --values or raise --max-steps).',
  );
  return out;
}
