/**
 * Weight spectra through training (SCIENCE.md section 6): every N steps, the
 * eigenvalues of every learned layer's weight covariance, against the white-noise
 * (Marchenko-Pastur) law of a Gaussian matrix of the same shape and trace, with the
 * effective rank. At a Gaussian initialization the spectrum follows the law; learning
 * shows as eigenvalues leaving its band and the effective rank falling.
 *
 * Layers are found by variable roles (a covariance factor, or a single weight matrix:
 * see redraw-plan.ts). Snapshots clone the weights on the device and read them back
 * asynchronously, as the filter-evolution snapshots do.
 */
import type { CompiledModel, ModelVariable } from '../../compiler/3-lower';
import type { StepMetrics, TrainCallbacks } from '../../compiler/4-train';
import type { Tensor } from '../../nodes/types';
import type { RunHooks } from './compare';
import { learnedLayers, type WeightLayout } from './redraw-plan';
import { weightRows } from './redraw';
import { effectiveRank, gramSpectrum, ksDistance, whiteNoiseReference } from './spectrum';

export interface SpectrumLayerInfo {
  node: string;
  type: string;
  layout: WeightLayout;
  /** Neurons N and inputs D of W (for a covariance factor Q, rows r and D). */
  neurons: number;
  inputs: number;
}

export interface LayerSnapshot {
  node: string;
  /** Eigenvalues of C = WᵀW / N (QᵀQ for a factor), descending, length D. */
  eigenvalues: Float64Array;
  /** Marchenko-Pastur quantiles laid out like the eigenvalues, and the law's band. */
  whiteNoise: Float64Array;
  lo: number;
  hi: number;
  /** Kolmogorov-Smirnov distance between the eigenvalues and the white-noise law. */
  ks: number;
  /** Eigenvalues above the band's upper edge. */
  outliers: number;
  effectiveRank: { entropy: number; participation: number };
}

export interface SpectraSnapshot {
  step: number;
  epoch: number;
  layers: LayerSnapshot[];
}

interface Watched {
  info: SpectrumLayerInfo;
  v: ModelVariable;
}

/** One layer's spectrum from its weight values. */
export function spectrumOf(info: SpectrumLayerInfo, values: Float32Array, shape: number[]): LayerSnapshot {
  let eig: Float64Array;
  if (info.layout === 'covariance-factor') eig = gramSpectrum(values, shape[0], shape[1], 1);
  else {
    const { W, N, D } = weightRows(info.layout, values, shape);
    eig = gramSpectrum(W, N, D);
  }
  const ref = whiteNoiseReference(eig, info.neurons, info.inputs);
  let outliers = 0;
  for (const l of eig) if (l > ref.law.hi) outliers++;
  return {
    node: info.node,
    eigenvalues: eig,
    whiteNoise: ref.quantiles,
    lo: ref.law.lo,
    hi: ref.law.hi,
    ks: ksDistance(eig, ref.law.cdf, ref.law.cdfBelow),
    outliers,
    effectiveRank: effectiveRank(eig),
  };
}

export class SpectraEvolution {
  readonly layers: SpectrumLayerInfo[];
  readonly snapshots: SpectraSnapshot[] = [];
  private watched: Watched[];
  private pending: Promise<void> = Promise.resolve();
  private lastStep = -1;

  constructor(
    model: CompiledModel,
    private every: number,
  ) {
    if (!(every >= 1)) throw new RangeError('SpectraEvolution: every must be at least 1 step');
    this.watched = learnedLayers(model).map((l) => {
      const shape = l.variable.variable.shape as number[];
      const [N, D]: number[] =
        l.layout === 'covariance-factor'
          ? [
              model.variables.find((v) => v.nodeId === l.node && v.role === 'noise')?.variable.shape[0] ?? shape[0],
              shape[1],
            ]
          : l.layout === 'units-last'
            ? [shape[1], shape[0]]
            : [shape[3], shape[0] * shape[1] * shape[2]];
      return {
        info: {
          node: l.node,
          type: model.validation.nodes.get(l.node)!.def.type,
          layout: l.layout,
          neurons: N,
          inputs: D,
        },
        v: l.variable,
      };
    });
    this.layers = this.watched.map((w) => w.info);
  }

  /** Training callbacks that take a snapshot every `every` steps; the first is the initialization. */
  callbacks(): TrainCallbacks {
    this.capture(0, 0);
    return {
      onStep: (m: StepMetrics) => {
        const step = (m.epoch - 1) * m.stepsPerEpoch + m.step;
        if (step % this.every === 0) this.capture(step, m.epoch);
      },
      // Worker-thread training (--workers) brings the weights home only at the steps asked for.
      weightsAt: (step) => step % this.every === 0,
    };
  }

  capture(step: number, epoch: number): void {
    if (step === this.lastStep || !this.watched.length) return;
    this.lastStep = step;
    const copies = this.watched.map((w) => w.v.variable.clone() as Tensor);
    this.pending = this.pending.then(async () => {
      const layers: LayerSnapshot[] = [];
      for (let i = 0; i < this.watched.length; i++) {
        const values = (await copies[i].data()) as Float32Array;
        const shape = copies[i].shape;
        copies[i].dispose();
        layers.push(spectrumOf(this.watched[i].info, values, shape));
      }
      this.snapshots.push({ step, epoch, layers });
    });
  }

  async finish(): Promise<SpectraSnapshot[]> {
    await this.pending;
    return this.snapshots;
  }
}

export interface SpectraSummaryRow extends SpectrumLayerInfo {
  trace: { step: number; entropyRank: number; participationRank: number; ks: number; outliers: number; top: number }[];
}

/** The numbers of an evolution without the eigenvalues (for run records and tables). */
export function summarizeSpectra(layers: SpectrumLayerInfo[], snapshots: SpectraSnapshot[]): SpectraSummaryRow[] {
  return layers.map((l) => ({
    ...l,
    trace: snapshots.map((s) => {
      const x = s.layers.find((y) => y.node === l.node)!;
      return {
        step: s.step,
        entropyRank: x.effectiveRank.entropy,
        participationRank: x.effectiveRank.participation,
        ks: x.ks,
        outliers: x.outliers,
        top: x.eigenvalues[0],
      };
    }),
  }));
}

/** Run hooks (runGraph / compareRuns) that record the spectra of a run. */
export function spectraHooks(
  every: number,
): RunHooks & { result(): { layers: SpectrumLayerInfo[]; snapshots: SpectraSnapshot[] } | undefined } {
  let evo: SpectraEvolution | undefined;
  let last = { step: 0, epoch: 0 };
  return {
    onModel(model) {
      evo = new SpectraEvolution(model, every);
      const cb = evo.callbacks();
      return {
        onStep: (m) => {
          last = { step: (m.epoch - 1) * m.stepsPerEpoch + m.step, epoch: m.epoch };
          cb.onStep?.(m);
        },
        weightsAt: cb.weightsAt,
      };
    },
    afterTrain() {
      evo?.capture(last.step, last.epoch);
    },
    async extraMetrics() {
      if (!evo) return {};
      return { spectra: summarizeSpectra(evo.layers, await evo.finish()) };
    },
    result: () => (evo ? { layers: evo.layers, snapshots: evo.snapshots } : undefined),
  };
}

/** Several hooks as one: each sees every event, extra metrics are merged. */
export function combineHooks(...all: RunHooks[]): RunHooks {
  const initSeed = all.find((h) => h.initSeed !== undefined)?.initSeed;
  return {
    onModel(model, bank) {
      const cbs = all.map((h) => h.onModel?.(model, bank)).filter((c): c is TrainCallbacks => !!c);
      return {
        onStep: (m) => cbs.forEach((c) => c.onStep?.(m)),
        onEpoch: async (m) => {
          for (const c of cbs) await c.onEpoch?.(m);
        },
        onFrozen: (i) => cbs.forEach((c) => c.onFrozen?.(i)),
        weightsAt: (step) => cbs.some((c) => c.weightsAt?.(step)),
      };
    },
    onStep: (m) => all.forEach((h) => h.onStep?.(m)),
    async onEpoch(m) {
      for (const h of all) await h.onEpoch?.(m);
    },
    async afterTrain(model, bank) {
      for (const h of all) await h.afterTrain?.(model, bank);
    },
    async extraMetrics() {
      const out: Record<string, unknown> = {};
      for (const h of all) Object.assign(out, await h.extraMetrics?.());
      return out;
    },
    ...(initSeed !== undefined ? { initSeed } : {}),
  };
}
