/**
 * Test error against relative stability across architectures (Petrini, Favero, Geiger &
 * Wyart 2021): train several graphs on the same data with the same budget, probe each
 * trained network with the same deformations and matched noise (probe.ts), and fit
 * log(test error) against log(R_f) of the output. Beside it, D_f of the output against
 * the deformation temperature T for each network: a map that is Lipschitz to
 * deformations has D_f ~ T (the displacement's square grows as T). Platform-free.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import type { TrainPlatform } from '../../compiler/4-train';
import type { Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { Tensor } from '../../nodes/types';
import { checkSameInputs, runGraph, type RunContext } from './compare';
import { fitLine, type LineFit } from './loglog';
import { probeModel } from './probe';
import { stabilityProbe } from './stability';
import { temperatureRange } from './deformation';

export interface StabilityErrorOptions {
  /** Deformation temperature and cut-off of the R_f compared across networks. */
  T: number;
  c: number;
  seed: number;
  /** Test images probed. */
  samples: number;
  /** Temperatures of the D_f(T) curves (default: 5 log-spaced over the useful range). */
  curveTs?: number[];
  platform?: TrainPlatform;
}

export interface StabilityErrorPoint {
  label: string;
  trainable: number;
  testError: number;
  trainError: number;
  /** Of the output, at the options' T. */
  R: number;
  D: number;
  G: number;
  logRStdErr: number;
  /** D_f of the output at each curve temperature, and its log-log slope. */
  curve: { T: number[]; D: number[] };
  curveSlope: LineFit | null;
}

export interface StabilityErrorReport {
  T: number;
  c: number;
  samples: number;
  points: StabilityErrorPoint[];
  /** log(test error) = intercept + slope log(R_f); null with fewer than two usable points. */
  fit: LineFit | null;
}

/** The output's D_f, G_f, R_f and its D_f(T) curve, for one model on test images. */
export async function measureStability(
  model: CompiledModel,
  images: Float32Array,
  count: number,
  shape: [number, number, number],
  o: StabilityErrorOptions,
): Promise<Pick<StabilityErrorPoint, 'R' | 'D' | 'G' | 'logRStdErr' | 'curve' | 'curveSlope'>> {
  const probe = { T: o.T, c: o.c, seed: o.seed, samples: o.samples, examples: 0, platform: o.platform };
  const { output } = await probeModel(model, images, count, shape, probe);
  const Ts = o.curveTs ?? defaultCurve(Math.max(shape[0], shape[1]), o.c);
  const D: number[] = [];
  const { tf } = model;
  const [H, W, C] = shape;
  // Only the output is read along the curve: the per-layer probe above is the expensive part.
  const f = async (batch: Float32Array, n: number) => {
    const t = tf.tidy(
      () => tf.reshape(model.forward(tf.tensor4d(batch, [n, H, W, C]), { training: false }).logits, [n, -1]) as Tensor,
    );
    const v = (await t.data()) as Float32Array;
    t.dispose();
    await o.platform?.yield();
    return { out: v };
  };
  for (const T of Ts) {
    const r = await stabilityProbe(f, images, count, { H, W, C }, { T, c: o.c, seed: o.seed, samples: o.samples });
    D.push(r.layers.out.D);
  }
  return {
    R: output.R,
    D: output.D,
    G: output.G,
    logRStdErr: output.logRStdErr,
    curve: { T: Ts, D },
    curveSlope: fitLine(Ts, D),
  };
}

/** Five temperatures spread log-evenly over the useful range at this image size. */
export function defaultCurve(n: number, c: number): number[] {
  const { Tmin, Tmax } = temperatureRange(n, c);
  return Array.from({ length: 5 }, (_, i) => Tmin * (Tmax / Tmin) ** (i / 4));
}

export async function stabilityVsError(
  graphs: { doc: GraphDocument; label: string }[],
  ctx: RunContext,
  o: StabilityErrorOptions,
  onPoint?: (p: StabilityErrorPoint, index: number) => void,
  onStart?: (label: string, index: number) => void,
): Promise<{ ok: true; report: StabilityErrorReport } | { ok: false; diagnostics: Diagnostic[] }> {
  const refused = checkSameInputs(graphs);
  if (refused.length) return { ok: false, diagnostics: refused };
  const { data } = ctx;
  const points: StabilityErrorPoint[] = [];
  for (let i = 0; i < graphs.length; i++) {
    const { doc, label } = graphs[i];
    onStart?.(label, i);
    let measured: Awaited<ReturnType<typeof measureStability>> | undefined;
    const r = await runGraph(doc, label, ctx, {
      afterTrain: async (model) => {
        measured = await measureStability(model, data.test.images, data.test.count, data.shape, {
          ...o,
          platform: o.platform ?? ctx.platform,
        });
      },
    });
    if (!r.ok)
      return { ok: false, diagnostics: r.diagnostics.map((d) => ({ ...d, message: `(${label}) ${d.message}` })) };
    if (!measured) break; // stopped before the end of training
    const m = r.record.metrics;
    const point: StabilityErrorPoint = {
      label,
      trainable: m.params.trainable,
      testError: 1 - m.finalTestAcc,
      trainError: 1 - m.finalTrainAcc,
      ...measured,
    };
    points.push(point);
    onPoint?.(point, i);
    if (ctx.control?.stop) break;
  }
  return { ok: true, report: summarize(points, o) };
}

export function summarize(points: StabilityErrorPoint[], o: Pick<StabilityErrorOptions, 'T' | 'c' | 'samples'>) {
  return {
    T: o.T,
    c: o.c,
    samples: o.samples,
    points,
    fit: fitLine(
      points.map((p) => p.R),
      points.map((p) => p.testError),
    ),
  };
}
