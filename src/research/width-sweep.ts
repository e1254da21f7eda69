/**
 * Width sweep (docs/science.md, Width sweeps): train the graph at several values of one
 * integer param (a width), each until the training set is fitted or a budget runs
 * out, and record train and test error against the number of parameters. With an
 * ensemble, k networks with different seeds are trained per point and their logits
 * averaged on the test set. Platform-free.
 */
import { analyze } from '../../compiler';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { CompiledModel } from '../../compiler/3-lower';
import { evaluate, lossObjective } from '../../compiler/4-train';
import type { FeatureBank } from '../../compiler/feature-bank';
import { withParam, runGraph, type RunContext } from './compare';
import { interpolationThreshold, summarizeSweep, type SweepPoint, type SweepRun, type SweepSummaryRow } from './sweep';

export interface SweepOptions {
  node: string;
  param: string;
  values: number[];
  /** Networks per point (seeds seed, seed + 1, ...); their logits are averaged. */
  ensemble?: number;
  /** Stop a network once its running training error over an epoch is at most this. */
  targetTrainError?: number;
  /** Step budget per network (on top of the settings' epoch budget). */
  maxSteps?: number;
}

export interface SweepProgress {
  value: number;
  member: number;
  trainError: number;
  testError: number;
  steps: number;
  seconds: number;
}

export interface SweepReport {
  node: string;
  param: string;
  points: SweepPoint[];
  rows: SweepSummaryRow[];
  /** First point from which training error stays at the target (the jamming threshold N*). */
  threshold: SweepSummaryRow | null;
}

/** The node and param exist, the param is an integer, every value is in its range. */
export function checkSweep(doc: GraphDocument, node: string, param: string, values: number[]): Diagnostic[] {
  const v = analyze(doc).validation;
  const n = v.nodes.get(node);
  if (!n) {
    const widths = [...v.nodes]
      .filter(([, x]) => Object.values(x.def.params).some((s) => s.kind === 'int'))
      .map(([id]) => id);
    return [
      diag('bad-argument', `The graph has no node "${node}".`, {
        fix: `Sweep one of its nodes with integer params: ${widths.join(', ') || 'none'}.`,
      }),
    ];
  }
  const ints = Object.entries(n.def.params)
    .filter(([, s]) => s.kind === 'int')
    .map(([k]) => k);
  const spec = n.def.params[param];
  const where = { nodeId: node, nodeTitle: n.def.title, param };
  if (!spec) {
    return [
      diag('bad-argument', `is not a parameter of this node.`, {
        ...where,
        fix: ints.length
          ? `Sweep one of its integer parameters: ${ints.join(', ')}.`
          : 'This node has no integer parameter to sweep; pick another node.',
      }),
    ];
  }
  if (spec.kind !== 'int') {
    return [
      diag(
        'bad-argument',
        `is ${spec.kind === 'enum' ? 'a choice' : `a ${spec.kind}`}, not a whole number, so it cannot be swept as a width.`,
        {
          ...where,
          fix: ints.length
            ? `Sweep one of its integer parameters: ${ints.join(', ')}.`
            : 'Pick a node with an integer parameter.',
        },
      ),
    ];
  }
  const bad = values.filter((x) => !Number.isInteger(x) || x < spec.min || x > spec.max);
  if (bad.length) {
    return [
      diag(
        'bad-argument',
        `takes whole numbers from ${spec.min} to ${spec.max}; ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not.`,
        { ...where, fix: 'Give values in range, such as 8,16,32 or 8..512:6.' },
      ),
    ];
  }
  if (!values.length) return [diag('bad-argument', 'Give at least one value to sweep.')];
  return [];
}

/** Scores of every test image, (count x width) row-major: one per class, or one for a hinge loss. */
async function testLogits(
  model: CompiledModel,
  bank: FeatureBank,
  count: number,
  width: number,
  batch: number,
): Promise<Float32Array> {
  const { tf } = model;
  const out = new Float32Array(count * width);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    // Fixed batch shape, as evaluate() does: pad by repeating the first index.
    const idx = new Uint32Array(batch).map((_, i) => start + (i < n ? i : 0));
    const t = tf.tidy(() => {
      const { x, preset } = bank.batch('test', idx);
      return model.forward(x, { training: false, preset }).logits;
    });
    const v = (await t.data()) as Float32Array;
    t.dispose();
    out.set(v.subarray(0, n * width), start * width);
  }
  return out;
}

export async function widthSweep(
  doc: GraphDocument,
  ctx: RunContext,
  o: SweepOptions,
  onProgress?: (p: SweepProgress) => void,
): Promise<{ ok: true; report: SweepReport } | { ok: false; diagnostics: Diagnostic[] }> {
  const problems = checkSweep(doc, o.node, o.param, o.values);
  if (problems.length) return { ok: false, diagnostics: problems };
  const { data, settings } = ctx;
  const k = Math.max(1, o.ensemble ?? 1);
  const target = o.targetTrainError ?? 0;
  const points: SweepPoint[] = [];
  const ensembleError = new Map<number, number>();
  const batch = Math.max(1, Math.min(settings.batchSize, data.train.count));
  for (const value of [...new Set(o.values)].sort((a, b) => a - b)) {
    const variant = withParam(doc, o.node, o.param, value);
    const a = analyze(variant);
    if (!a.ok)
      return {
        ok: false,
        diagnostics: a.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => ({ ...d, message: `at ${o.param} = ${value}: ${d.message}` })),
      };
    const runs: SweepRun[] = [];
    // Scores per image (one per class, or one for a hinge loss) and the loss's own prediction rule.
    const src = a.validation.nodes.get(a.validation.lossNode!)!.inputs.in[0];
    const width = a.shapes.outputs.get(src.source)![src.sourcePort].shape[0];
    const objective = lossObjective(
      { tf: ctx.tf, validation: a.validation, lossNode: a.validation.lossNode! },
      data.classes,
    );
    const predicted = (scores: Float32Array) => {
      const t = ctx.tf.tidy(() => objective.predict(ctx.tf.tensor2d(scores, [data.test.count, width])));
      const v = t.dataSync();
      t.dispose();
      return v;
    };
    const sum = new Float32Array(data.test.count * width);
    for (let m = 0; m < k; m++) {
      const control = { stop: false };
      let steps = 0;
      let run: SweepRun | undefined;
      let fitted: { model: CompiledModel; bank: FeatureBank } | undefined;
      const seed = settings.seed + m;
      const r = await runGraph(
        variant,
        `${o.param}=${value}`,
        { ...ctx, settings: { ...settings, seed, logEvery: 1 }, control },
        {
          onStep: (s) => {
            steps = s.step;
            if (o.maxSteps !== undefined && steps >= o.maxSteps) control.stop = true;
            if (ctx.control?.stop) control.stop = true;
          },
          onModel: (model, bank) => void (fitted = { model, bank }),
          onEpoch: async (e) => {
            // The running accuracy mixes the weights of a whole epoch: when it says the
            // target is reached, confirm on the final weights before stopping.
            if (1 - e.trainAcc > target || !fitted) return;
            const exact = await evaluate(fitted.model, fitted.bank, data, batch, ctx.platform, 'train');
            if (1 - exact.accuracy <= target) control.stop = true;
          },
          afterTrain: async (model, bank) => {
            // The running accuracy mixes weights from a whole epoch: measure the fitted network exactly.
            const tr = await evaluate(model, bank, data, batch, ctx.platform, 'train');
            const logits = await testLogits(model, bank, data.test.count, width, batch);
            const pred = predicted(logits);
            let wrong = 0;
            for (let i = 0; i < data.test.count; i++) if (pred[i] !== data.test.labels[i]) wrong++;
            for (let i = 0; i < sum.length; i++) sum[i] += logits[i];
            run = { trainError: 1 - tr.accuracy, testError: wrong / Math.max(1, data.test.count), steps };
          },
        },
      );
      if (!r.ok)
        return {
          ok: false,
          diagnostics: r.diagnostics.map((d) => ({ ...d, message: `at ${o.param} = ${value}: ${d.message}` })),
        };
      runs.push(run!);
      onProgress?.({
        value,
        member: m,
        trainError: run!.trainError,
        testError: run!.testError,
        steps,
        seconds: r.record.metrics.epochs.reduce((s, e) => s + e.seconds, 0),
      });
      if (ctx.control?.stop) break;
    }
    points.push({ value, params: { ...a.shapes.total }, runs });
    if (k > 1 && runs.length === k) {
      const pred = predicted(sum);
      let wrong = 0;
      for (let i = 0; i < data.test.count; i++) if (pred[i] !== data.test.labels[i]) wrong++;
      ensembleError.set(value, wrong / Math.max(1, data.test.count));
    }
    if (ctx.control?.stop) break;
  }
  const rows = summarizeSweep(points, k > 1 ? ensembleError : undefined);
  return {
    ok: true,
    report: { node: o.node, param: o.param, points, rows, threshold: interpolationThreshold(rows, target) },
  };
}
