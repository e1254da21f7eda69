/**
 * The jamming sweep (docs/science.md, Jamming): at each training-set size P, networks
 * of growing width are trained to a true minimum of the quadratic hinge loss
 * (minimize.ts); the unsatisfied constraints they leave give N*, where they vanish,
 * for the phase diagram (P against N*, with its fitted line); the test error against
 * N/P shows the cusp at N*; K networks per point give the error of their averaged
 * output and the spread of their outputs, which falls beyond N*. Platform-free.
 */
import { analyze } from '../../compiler';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import { lower } from '../../compiler/3-lower';
import type { Dataset } from '../../compiler/dataset';
import { FeatureBank } from '../../compiler/feature-bank';
import { withParam, type RunContext } from './compare';
import { jammingThreshold, linearFit, outputSpread, type LineFit } from './jamming-fit';
import { minimize, scores, signError, type MinimizeOptions, type MinimumStatus } from './minimize';
import { checkSweep } from './width-sweep';

export interface JammingOptions {
  node: string;
  param: string;
  widths: number[];
  /** Training-set sizes P (each at most the dataset's training count). */
  sizes: number[];
  /** Networks per point (seeds seed, seed + 1, ...). */
  ensemble?: number;
  minimize: MinimizeOptions;
}

export interface JammingNet {
  unsatisfied: number;
  loss: number;
  steps: number;
  status: MinimumStatus;
  testError: number;
}

export interface JammingPoint {
  P: number;
  width: number;
  /** Trainable parameters. */
  N: number;
  nets: JammingNet[];
  /** Mean test error of the single networks. */
  testError: number;
  /** Test error of the sign of the averaged output (with more than one network). */
  ensembleTestError?: number;
  /** Mean over test images of the variance of f over the networks. */
  spread?: number;
}

export interface JammingThreshold {
  P: number;
  nStar: number | null;
  nBelow: number | null;
}

export interface JammingReport {
  node: string;
  param: string;
  ensemble: number;
  test: number;
  classNames: string[];
  points: JammingPoint[];
  thresholds: JammingThreshold[];
  /** N* = slope·P + intercept over the sizes where N* was found. */
  fit: LineFit | null;
}

export interface JammingProgress {
  P: number;
  width: number;
  N: number;
  member: number;
  net: JammingNet;
  seconds: number;
}

/** The sweep's node and param, the sizes, and a loss that scores each image with one number. */
export function checkJamming(doc: GraphDocument, o: JammingOptions, trainCount?: number): Diagnostic[] {
  const problems = checkSweep(doc, o.node, o.param, o.widths);
  if (problems.length) return problems;
  const a = analyze(doc);
  const v = a.validation;
  const loss = v.lossNode ? v.nodes.get(v.lossNode) : undefined;
  const src = loss?.inputs.in?.[0];
  const spec = src ? a.shapes.outputs.get(src.source)?.[src.sourcePort] : undefined;
  if (loss && (!loss.def.objective || spec?.shape.join() !== '1'))
    return [
      diag('bad-argument', 'is not a one-score loss, so training leaves no margins to count.', {
        nodeId: loss.node.id,
        nodeTitle: loss.def.title,
        fix: 'End the graph with a Dense layer of 1 unit and a Quadratic hinge loss (templates/jamming-mlp.json).',
      }),
    ];
  const sizes = o.sizes.filter((P) => !Number.isInteger(P) || P < 2 || (trainCount !== undefined && P > trainCount));
  if (!o.sizes.length || sizes.length)
    return [
      diag(
        'bad-argument',
        o.sizes.length
          ? `Training-set sizes must be whole numbers from 2 to ${trainCount ?? 'the training count'}; ${sizes.join(', ')} ${sizes.length > 1 ? 'are' : 'is'} not.`
          : 'Give at least one training-set size P.',
        { fix: 'Give sizes such as 250,500,1000, and load at least as many training images (--limit).' },
      ),
    ];
  return [];
}

/** The first P training examples of the data (the loaders shuffle, so any prefix is a sample). */
function firstTrain(data: Dataset, P: number): Dataset {
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const t = data.train;
  return { ...data, train: { images: t.images.subarray(0, P * size), labels: t.labels.subarray(0, P), count: P } };
}

export async function jammingSweep(
  doc: GraphDocument,
  ctx: RunContext,
  o: JammingOptions,
  onProgress?: (p: JammingProgress) => void,
): Promise<{ ok: true; report: JammingReport } | { ok: false; diagnostics: Diagnostic[] }> {
  const problems = checkJamming(doc, o, ctx.data.train.count);
  if (problems.length) return { ok: false, diagnostics: problems };
  const K = Math.max(1, o.ensemble ?? 1);
  const { data, platform } = ctx;
  const points: JammingPoint[] = [];
  const widths = [...new Set(o.widths)].sort((a, b) => a - b);
  const sizes = [...new Set(o.sizes)].sort((a, b) => a - b);
  const testLabels = data.test.labels;
  const evalBatch = Math.min(1000, Math.max(...sizes));
  outer: for (const P of sizes) {
    const sub = firstTrain(data, P);
    for (const width of widths) {
      const a = analyze(withParam(doc, o.node, o.param, width));
      if (!a.ok)
        return {
          ok: false,
          diagnostics: a.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => ({ ...d, message: `at ${o.param} = ${width}: ${d.message}` })),
        };
      const N = a.shapes.total.trainable;
      const nets: JammingNet[] = [];
      const outputs: Float32Array[] = [];
      for (let m = 0; m < K; m++) {
        const seed = ctx.settings.seed + m;
        const built = lower(a.validation, a.shapes, { tf: ctx.tf, seed });
        if (!built.model) return { ok: false, diagnostics: built.diagnostics };
        const model = built.model;
        const bank = ctx.makeBank ? ctx.makeBank(model, sub) : new FeatureBank(model, sub);
        const t0 = platform.now();
        try {
          await bank.prepare(platform);
          const min = await minimize(model, bank, sub, { ...o.minimize, seed }, platform, ctx.control);
          if (min.status === 'diverged')
            return {
              ok: false,
              diagnostics: [
                diag('non-finite-loss', `at ${o.param} = ${width}, P = ${P}: the loss left the finite range.`, {
                  fix: 'Lower the learning rate (--lr).',
                }),
              ],
            };
          const f = await scores(model, bank, 'test', data.test.count, evalBatch);
          outputs.push(f);
          const net: JammingNet = {
            unsatisfied: min.unsatisfied,
            loss: min.loss,
            steps: min.steps,
            status: min.status,
            testError: signError(f, testLabels),
          };
          nets.push(net);
          onProgress?.({ P, width, N, member: m, net, seconds: (platform.now() - t0) / 1000 });
        } finally {
          bank.dispose();
          model.dispose();
        }
        if (ctx.control?.stop) break;
      }
      const point: JammingPoint = {
        P,
        width,
        N,
        nets,
        testError: nets.reduce((s, n) => s + n.testError, 0) / Math.max(1, nets.length),
      };
      if (K > 1 && outputs.length === K) {
        const avg = new Float32Array(data.test.count);
        for (const f of outputs) for (let i = 0; i < avg.length; i++) avg[i] += f[i] / K;
        point.ensembleTestError = signError(avg, testLabels);
        point.spread = outputSpread(outputs);
      }
      points.push(point);
      if (ctx.control?.stop) break outer;
    }
  }
  return {
    ok: true,
    report: {
      node: o.node,
      param: o.param,
      ensemble: K,
      test: data.test.count,
      classNames: data.classNames,
      points,
      ...phaseDiagram(points),
    },
  };
}

/** N* at each P of the points, and the line through (P, N*). */
export function phaseDiagram(points: JammingPoint[]): Pick<JammingReport, 'thresholds' | 'fit'> {
  const sizes = [...new Set(points.map((p) => p.P))].sort((a, b) => a - b);
  const thresholds = sizes.map((P) => ({
    P,
    ...jammingThreshold(
      points.filter((p) => p.P === P).map((p) => ({ N: p.N, unsatisfied: p.nets.map((n) => n.unsatisfied) })),
    ),
  }));
  const found = thresholds.filter((t) => t.nStar !== null);
  return {
    thresholds,
    fit: linearFit(
      found.map((t) => t.P),
      found.map((t) => t.nStar!),
    ),
  };
}
