/**
 * `wavegraph lazy <graph.json> --alphas 0.01..1000:6 --data <name> [--limit P] [--epochs N]
 *  [--ntk] [--json]`: feature against lazy training. The graph is trained at each output
 * scale alpha; test error and relative weight change against alpha, and the
 * tangent-kernel limit at initialization as the alpha -> infinity reference.
 */
import { writeFileSync } from 'node:fs';
import { lower } from '../../../compiler/3-lower';
import { tf } from '../../platform/tf-node';
import { checkAlphas, lazySweep, parseAlphas, type LazyPoint } from '../../research/lazy-sweep';
import { tangentKernelLimit, type TangentKernelReport } from '../../research/tangent-kernel';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { settingsFromFlags, setupRun } from '../train-setup';

const HELP = `Usage: wavegraph lazy <graph.json> --alphas <list|range> [options]
  Feature against lazy training (Geiger, Spigler, Jacot & Wyart 2020): trains the graph with its output
  replaced by alpha (f_w - f_w0) and the loss divided by alpha^2, at each alpha, with the same budget, and
  reports test error and the relative weight change ||w - w0|| / ||w0|| against alpha.
  --alphas 0.01,1,100 | 0.01..1000:6   a list, or N log-spaced values from a to b (default 0.01..1000:6)
  --data <name|path>   dataset (default: the graph's)   --data-dir <dir>
  --limit P  --test-limit N   training and test samples (small P: a few hundred to a few thousand)
  --epochs N           epoch budget per alpha (default 20)
  --ntk                also compute the tangent-kernel (lazy) limit: kernel regression with the empirical
                       neural tangent kernel at initialization (small networks and P only)
  --ntk-train P  --ntk-test N   images for the kernel (default: 200 and 200, at most the data's)
  --batch B  --lr X  --seed S  --optimizer adam|sgd  --momentum M  --schedule constant|cosine  --backend wasm|cpu
  --out <file>         also write the JSON object to a file
  --json               one JSON object with every point`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache', 'ntk']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const parsed = parseAlphas(flagString(p, 'alphas') ?? '0.01..1000:6');
  if (!parsed.ok) {
    io.err(parsed.message);
    return 1;
  }
  const bad = checkAlphas(parsed.values);
  if (bad.length) {
    printDiagnostics(io, bad);
    return 1;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) return 1;
  const settings = { ...settingsFromFlags(p, g.doc), epochs: flagNumber(p, 'epochs', { int: true, min: 1 }) ?? 20 };
  const ctx = await setupRun(p, g, settings, io);
  if (!ctx) return 1;
  const { data } = ctx;
  if (!json)
    io.out(
      `Training ${g.doc.name ?? g.path} at alpha = ${parsed.values.join(', ')} on ${data.name} (${data.train.count} train, ${data.test.count} test), ${settings.epochs} epochs each, ${settings.optimizer} at base rate ${settings.learningRate}`,
    );
  const result = await lazySweep(g.doc, ctx, parsed.values, (m) => {
    if (!json) io.out(`  ${line(m)}`);
  });
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  let ntk: TangentKernelReport | undefined;
  if (flagBool(p, 'ntk')) {
    const built = lower(g.analysis.validation, g.analysis.shapes, { tf, seed: settings.seed });
    if (!built.model) {
      printDiagnostics(io, built.diagnostics);
      return 1;
    }
    const train = flagNumber(p, 'ntk-train', { int: true, min: 1 }) ?? 200;
    const test = flagNumber(p, 'ntk-test', { int: true, min: 1 }) ?? 200;
    const k = await tangentKernelLimit(built.model, data, { train, test, platform: ctx.platform });
    built.model.dispose();
    if (!k.ok) {
      printDiagnostics(io, k.diagnostics);
      return 1;
    }
    ntk = k.report;
  }
  const r = result.report;
  const text = JSON.stringify(
    {
      graph: g.doc.name ?? g.path,
      data: data.name,
      train: data.train.count,
      test: data.test.count,
      settings,
      ...r,
      ...(ntk ? { tangentKernel: ntk } : {}),
    },
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
  );
  const out = flagString(p, 'out');
  if (out) writeFileSync(out, text + '\n');
  if (json) {
    io.out(text);
    return 0;
  }
  io.out(
    '\n' + 'alpha'.padEnd(10) + 'test err'.padStart(10) + 'train err'.padStart(11) + '||w-w0||/||w0||'.padStart(17),
  );
  for (const m of r.points)
    io.out(
      String(m.alpha).padEnd(10) +
        pct(m.testError).padStart(10) +
        pct(m.trainError).padStart(11) +
        m.weightChange.toExponential(3).padStart(17),
    );
  if (r.lazySlope)
    io.out(
      `Weight change ~ alpha^${r.lazySlope.slope.toFixed(2)} over the ${r.lazySlope.n} largest alphas (lazy training: -1).`,
    );
  io.out(
    r.crossover !== null
      ? `Crossover at alpha* ~ ${r.crossover.toPrecision(3)}, where the lazy law meets the feature regime's (weight change ~ alpha^${r.featureSlope!.slope.toFixed(2)} at the smallest alphas): feature training below, lazy above.`
      : 'No crossover in this range (too few alphas, or the two power laws do not meet): widen the alpha range.',
  );
  if (ntk)
    io.out(
      `Tangent-kernel limit (kernel regression, ${ntk.train} train / ${ntk.test} test images, ${ntk.params} weights): test error ${pct(ntk.testError)}, train error ${pct(ntk.trainError)}.`,
    );
  return 0;
}

function line(m: LazyPoint): string {
  if (m.diverged) return `alpha = ${m.alpha}: ${m.diverged} (lower --lr for the small alphas)`;
  return `alpha = ${m.alpha}: test error ${pct(m.testError)}, train error ${pct(m.trainError)}, ||w - w0|| / ||w0|| = ${m.weightChange.toExponential(2)} after ${m.steps} steps (${m.seconds.toFixed(1)} s)`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
