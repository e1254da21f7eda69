/**
 * Maximum-entropy synthesis, microcanonical: a statistics graph Φ (ending in a
 * Moments node) is compiled for the target's size; white noise x₀ (random phases,
 * exactly flat power spectrum) then moves by gradient descent on its pixels until
 * Φ(x) matches Φ(target):
 *
 *   loss(x) = Σ_g w_g mean_i (Φ_{g,i}(x) − Φ_{g,i}(target))²,   summed over samples,
 *
 * one term per moment group g (per vector wired into Moments), so a group of 800
 * covariances weighs the same as 20 energies, times the weight param of the node
 * that computes the group. Fields are standardized with the
 * target's mean and deviation first, and the samples mapped back at the end.
 * Runs on whichever TensorFlow.js backend is active, in Node or in a worker.
 */
import {
  analyze,
  diag,
  hasErrors,
  lower,
  type CompiledModel,
  type Diagnostic,
  type GraphDocument,
} from '../../compiler';
import { getNodeDefinition } from '../../nodes/registry';
import type { TF, Tensor } from '../../nodes/types';
import type { Scalar } from '@tensorflow/tfjs';
import { flatSpectrumNoise } from './gaussian';
import { adam, concat, lbfgs, type BatchObjective, type Objective } from './optimizers';

export interface SynthesisOptions {
  samples: number;
  steps: number;
  seed: number;
  optimizer?: 'lbfgs' | 'adam';
  learningRate?: number;
  /** After each step; return false to stop. `current` copies the samples out (de-standardized). */
  onStep?(step: number, loss: number, current: () => Float32Array): boolean | void | Promise<boolean | void>;
}

export interface SynthesisResult {
  /** [samples, n, n] in the target's units. */
  samples: Float32Array;
  losses: number[];
  initialLoss: number;
  /** Number of moments matched. */
  moments: number;
  groups: { node: string; size: number; weight: number }[];
}

/** The statistics graph, compiled for n x n single-channel fields. */
export interface StatisticsModel {
  model: CompiledModel;
  groups: { node: string; size: number; weight: number }[];
  dispose(): void;
}

/** Compile `doc` as a statistics model of n x n fields, or say why it is not one. */
export function compileStatistics(
  tf: TF,
  doc: GraphDocument,
  n: number,
  seed = 0,
): StatisticsModel | { diagnostics: Diagnostic[] } {
  const sized: GraphDocument = {
    ...doc,
    nodes: doc.nodes.map((node) =>
      getNodeDefinition(node.type)?.role === 'input'
        ? { ...node, params: { ...node.params, height: n, width: n, channels: 1 } }
        : node,
    ),
  };
  const a = analyze(sized);
  const moments = a.validation.momentsNode;
  if (!moments && !hasErrors(a.diagnostics)) {
    return {
      diagnostics: [
        diag(
          'bad-document',
          'This graph is not a statistics model: synthesis needs a graph that ends in a Moments node fed with vectors of moments.',
          {
            fix: 'Open a synthesis template (synthesis-gaussian, synthesis-phase-harmonics, synthesis-scattering-spectra), or end the graph with Moments instead of a loss.',
          },
        ),
      ],
    };
  }
  if (hasErrors(a.diagnostics)) return { diagnostics: a.diagnostics.filter((d) => d.severity === 'error') };
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed, goal: 'synthesis' });
  if (!model) return { diagnostics };
  const groups = (a.validation.nodes.get(moments!)!.inputs.in ?? []).map((e) => {
    const weight = a.validation.nodes.get(e.source)!.params.weight;
    return {
      node: e.source,
      size: a.shapes.outputs.get(e.source)![e.sourcePort].shape[0],
      weight: typeof weight === 'number' ? weight : 1,
    };
  });
  return { model, groups, dispose: () => model.dispose() };
}

/** Φ of a batch of standardized fields [B, n, n] -> [B, D]. */
function moments(tf: TF, model: CompiledModel, x: Tensor): Tensor {
  return model.forward(x, { training: false }).logits;
}

function standardization(targets: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const v of targets) s += v;
  const mean = s / targets.length;
  let q = 0;
  for (const v of targets) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / targets.length) };
}

/**
 * Draw `samples` fields of size n x n whose statistics under `doc` match those of the
 * target fields ([count, n, n] flattened).
 */
export async function synthesize(
  tf: TF,
  doc: GraphDocument,
  targets: Float32Array,
  n: number,
  opts: SynthesisOptions,
): Promise<{ result?: SynthesisResult; diagnostics: Diagnostic[] }> {
  const { mean, std } = standardization(targets);
  if (!(std > 0) || !Number.isFinite(std)) {
    return {
      diagnostics: [
        diag(
          'bad-target',
          'The target field is constant (or holds NaN/Infinity): it has no fluctuations whose statistics a sample could match.',
          { fix: 'Choose a target with varying, finite values.' },
        ),
      ],
    };
  }
  const compiled = compileStatistics(tf, doc, n, opts.seed);
  if ('diagnostics' in compiled) return { diagnostics: compiled.diagnostics };
  const { model, groups } = compiled;
  const count = targets.length / (n * n);
  const D = groups.reduce((s, g) => s + g.size, 0);
  const weights = new Float32Array(D);
  let at = 0;
  for (const g of groups) weights.fill(g.weight / g.size, at, (at += g.size));
  const S = opts.samples;
  const target = tf.tidy(() => {
    const t = tf.div(tf.sub(tf.tensor4d(targets, [count, n, n, 1]), mean), std);
    return tf.mean(moments(tf, model, t), 0);
  });
  const w = tf.tensor1d(weights);
  /** The loss of each sample, [S]: the samples are independent problems. */
  const lossesOf = (x: Tensor) => tf.sum(tf.mul(tf.square(tf.sub(moments(tf, model, x), target)), w), 1);
  const size = n * n;
  const batch: BatchObjective = async (xs) => {
    const xt = tf.tensor4d(Float32Array.from(concat(xs)), [S, n, n, 1]);
    let each: Tensor | null = null;
    const { value, grad } = tf.tidy(() =>
      tf.valueAndGrad((x: Tensor) => {
        const l = lossesOf(x);
        each = tf.keep(l);
        return tf.sum(l) as Scalar;
      })(xt),
    );
    const [v, g] = await Promise.all([each!.data(), grad.data()]);
    for (const t of [xt, value, grad, each!]) t.dispose();
    return {
      values: Array.from(v),
      grads: xs.map((_, k) => Float64Array.from(g.subarray(k * size, (k + 1) * size))),
    };
  };
  /** The same loss summed over the samples, on one flat vector (Adam's view). */
  const objective: Objective = async (x) => {
    const r = await batch(Array.from({ length: S }, (_, k) => x.subarray(k * size, (k + 1) * size)));
    return { value: r.values.reduce((a, b) => a + b, 0), grad: concat(r.grads) };
  };
  // Not Gaussian white noise: its power at each of the few frequencies in a coarse band
  // is an exponential draw that band-averaged moments cannot see, and the sample kept
  // it (critical Ising, 128 x 128, phase-harmonic template: the octave 2 <= |k| < 4 held
  // 1.11 of the target's power at one seed with the coarse energies matched within 0.6%).
  const x0 = Float64Array.from(flatSpectrumNoise(n, S, opts.seed));
  const unstandardize = (x: Float64Array) => Float32Array.from(x, (v) => v * std + mean);
  try {
    const initialLoss = (await objective(x0)).value;
    const onIteration = (it: number, loss: number, x: Float64Array) => opts.onStep?.(it, loss, () => unstandardize(x));
    const r =
      opts.optimizer === 'adam'
        ? await adam(objective, x0, { iterations: opts.steps, learningRate: opts.learningRate, onIteration })
        : await lbfgs(
            batch,
            Array.from({ length: S }, (_, k) => x0.slice(k * size, (k + 1) * size)),
            { iterations: opts.steps, onIteration },
          ).then((b) => ({ ...b, x: concat(b.x) }));
    if (r.diverged || !Number.isFinite(initialLoss)) {
      const step = r.diverged?.iteration ?? 0;
      return {
        diagnostics: [
          diag(
            'synthesis-diverged',
            `The synthesis diverged at step ${step}: the distance between the sample's and the target's moments became ${r.diverged?.value ?? initialLoss}.`,
            {
              fix:
                opts.optimizer === 'adam'
                  ? 'Lower the learning rate (--lr), or use L-BFGS (the default).'
                  : 'Check that every statistic of the graph is finite on the target (a log of a zero energy, say), or try another seed.',
            },
          ),
        ],
      };
    }
    return {
      diagnostics: [],
      result: { samples: unstandardize(r.x), losses: r.losses, initialLoss, moments: D, groups },
    };
  } finally {
    target.dispose();
    w.dispose();
    compiled.dispose();
  }
}
