/**
 * `wavegraph sweep <graph.json> --node <id> --param <name> --values 8,16,32 | 8..512:6
 *  --data <name> [--limit N] [--epochs N] [--max-steps N] [--ensemble K] [--json]`:
 * train at each width until the training set is fitted (or the budget runs out) and
 * report train and test error against the number of parameters.
 */
import { printDiagnostics, loadGraphFile } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, type CliIO } from '../io';
import { parseSweepValues } from '../../research/sweep';
import { checkSweep, widthSweep } from '../../research/width-sweep';
import { settingsFromFlags, setupRun } from '../train-setup';

const HELP = `Usage: wavegraph sweep <graph.json> --node <id> --param <name> --values <list|range> [options]
  --values 8,16,32 | 8..512:6   a list, or N log-spaced integers from a to b
  --data <name|path>   dataset (default: the graph's)   --data-dir <dir>
  --limit N            training samples (a small training set shows the jamming transition)
  --test-limit N       test samples
  --epochs N           epoch budget per network (default 50)
  --max-steps N        step budget per network
  --target x           stop once the training error over an epoch is at most x (default 0)
  --ensemble K         train K networks per point (seeds S..S+K-1), also report the error of their averaged logits
  --batch B  --lr X  --seed S  --optimizer adam|sgd  --schedule constant|cosine  --backend wasm|cpu  --no-cache  --workers N (threads sharing each batch; default: one per core)
  --json               one JSON object with every point`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help', 'no-cache']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const node = flagString(p, 'node');
  const param = flagString(p, 'param');
  const valuesText = flagString(p, 'values');
  if (!node || !param || !valuesText) {
    io.err('Say what to sweep: --node <id> --param <name> --values 8,16,32 (or a range such as 8..512:6).');
    return 1;
  }
  const parsed = parseSweepValues(valuesText);
  if (!parsed.ok) {
    io.err(parsed.message);
    return 1;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) return 1;
  const problems = checkSweep(g.doc, node, param, parsed.values);
  if (problems.length) {
    printDiagnostics(io, problems);
    return 1;
  }
  const settings = { ...settingsFromFlags(p, g.doc), epochs: flagNumber(p, 'epochs', { int: true, min: 1 }) ?? 50 };
  const ctx = await setupRun(p, g, settings, io);
  if (!ctx) return 1;
  const ensemble = flagNumber(p, 'ensemble', { int: true, min: 1 }) ?? 1;
  if (!json)
    io.out(
      `Sweeping ${node}.${param} over ${parsed.values.join(', ')} on ${ctx.data.name} (${ctx.data.train.count} train, ${ctx.data.test.count} test), up to ${settings.epochs} epochs each${ensemble > 1 ? `, ${ensemble} networks per point` : ''}`,
    );
  const result = await widthSweep(
    g.doc,
    ctx,
    {
      node,
      param,
      values: parsed.values,
      ensemble,
      targetTrainError: flagNumber(p, 'target', { min: 0, max: 1 }) ?? 0,
      maxSteps: flagNumber(p, 'max-steps', { int: true, min: 1 }),
    },
    (m) => {
      if (!json)
        io.out(
          `  ${param} = ${m.value}${ensemble > 1 ? ` (network ${m.member + 1})` : ''}: train error ${pct(m.trainError)}, test error ${pct(m.testError)} after ${m.steps} steps (${m.seconds.toFixed(1)} s)`,
        );
    },
  );
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  const r = result.report;
  if (json) {
    io.out(
      JSON.stringify(
        {
          graph: g.doc.name ?? g.path,
          data: ctx.data.name,
          train: ctx.data.train.count,
          test: ctx.data.test.count,
          settings,
          ...r,
        },
        (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      ),
    );
    return 0;
  }
  io.out(
    '\n' +
      param.padEnd(10) +
      'trainable'.padStart(11) +
      'train err'.padStart(11) +
      'test err'.padStart(10) +
      (ensemble > 1 ? 'ensemble'.padStart(10) : ''),
  );
  for (const row of r.rows) {
    io.out(
      String(row.value).padEnd(10) +
        String(row.trainable).padStart(11) +
        pct(row.trainError).padStart(11) +
        pct(row.testError).padStart(10) +
        (row.ensembleTestError !== undefined ? pct(row.ensembleTestError).padStart(10) : ''),
    );
  }
  io.out(
    r.threshold
      ? `Training error reaches the target from ${param} = ${r.threshold.value} (${r.threshold.trainable} trainable parameters), where the test error is ${pct(r.threshold.testError)}.`
      : 'Training error never reached the target: raise --epochs or the widths.',
  );
  return 0;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
