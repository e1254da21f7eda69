/**
 * Filter evolution: snapshots of a model's filter banks during training, each scored
 * for how wavelet-like its filters are (best correlation with any Morlet filter of a
 * bank, wavelet-likeness.ts) and, for wavelet nodes, how far it moved from the wired
 * Morlet bank. Banks watched, as declarations say (learnedFilters): every wavelet
 * bank, and every convolution kernel with no learned layer before it (a first layer).
 *
 * Platform-free: a snapshot clones the variables on the device and reads them back
 * asynchronously, so taking one never blocks a training step on a GPU backend.
 * Filters are stored filter-major: filter f is taps [f h w, (f + 1) h w), row-major.
 */
import { analyze } from '../../compiler';
import type { GraphDocument } from '../../document/graph';
import type { CompiledModel, ModelVariable } from '../../compiler/3-lower';
import type { StepMetrics, TrainCallbacks } from '../../compiler/4-train';
import { seededRandom } from '../../nodes/math/random';
import type { AnyNodeDefinition, Tensor } from '../../nodes/types';
import { morletWindows } from '../../nodes/wavelets/filters';
import { isProblem, waveletGeometry, type WaveletConvParams } from '../../nodes/wavelets/wavelet-geometry';
import type { RunHooks } from './compare';
import { bankLikeness, morletCandidates, type MorletCandidate } from './wavelet-likeness';

export interface FilterBankInfo {
  nodeId: string;
  /** The node's type id. */
  type: string;
  /** wired, learned-from-wavelets, learned-from-noise, or learned (Conv2D). */
  mode: string;
  h: number;
  w: number;
  count: number;
  complex: boolean;
  /** A short name per filter: "j1 l3" for wavelets, "in0 out5" for a convolution. */
  labels: string[];
  /** The wired Morlet bank (wavelet nodes), filter-major like the snapshots. */
  wired?: { re: Float32Array; im: Float32Array };
  /** Mean score of Gaussian white-noise filters of the same size: what "not wavelet-like" scores. */
  noiseScore: number;
}

export interface BankSnapshot {
  nodeId: string;
  re: Float32Array;
  im?: Float32Array;
  scores: number[];
  /** Scale and angle of each filter's best Morlet match. */
  best: { j: number; theta: number }[];
  meanScore: number;
  /** ||filters - wired|| / ||wired|| over the bank (wavelet nodes only). */
  distanceFromWired?: number;
}

export interface FilterSnapshot {
  /** Global training step (0: the initialization). */
  step: number;
  epoch: number;
  banks: BankSnapshot[];
}

export interface EvolutionOptions {
  /** Take a snapshot every this many steps (the run's logEvery must divide it). */
  every: number;
  /** Shifts (in taps) tried when matching a convolution kernel; default 1. */
  maxShift?: number;
  /** Finer scale and angle grids than the bank's for convolution kernels. */
  scalesPerOctave?: number;
  orientations?: number;
}

interface Watched {
  info: FilterBankInfo;
  re: ModelVariable;
  im?: ModelVariable;
  cin: number;
  candidates: MorletCandidate[];
  maxShift: number;
}

/** A layer with weights of its own (even when wired or fixed): what makes a later convolution no longer a first layer. */
const isLearnedLayer = (def: AnyNodeDefinition) => !!(def.inputWeight || def.learnedFilters || def.dictionary);

/** The filter banks of a graph the instrument can watch, with their scoring setup. */
function watchList(doc: GraphDocument, model: CompiledModel, o: EvolutionOptions): Watched[] {
  const a = analyze(doc);
  const v = a.validation;
  const out: Watched[] = [];
  const find = (id: string, name: string) => model.variables.find((m) => m.nodeId === id && m.name === name);
  for (const id of model.order) {
    const n = v.nodes.get(id)!;
    const src = Object.values(n.inputs).flat()[0];
    const inSpec = src && a.shapes.outputs.get(src.source)?.[src.sourcePort];
    const filters = n.def.learnedFilters;
    if (filters?.structure === 'morlet-bank' && inSpec) {
      const p = n.params as unknown as WaveletConvParams;
      const g = waveletGeometry(p, inSpec.shape[0], inSpec.shape[1]);
      const re = find(id, filters.real);
      const im = find(id, filters.imag);
      if (isProblem(g) || !re || !im) continue;
      const bank = morletWindows(g.M, g.N, p.J, p.L, g.scales, g.r, g.Sh, g.Sw);
      const wired = {
        re: filterMajor(bank.re, g.Sh * g.Sw, g.filters),
        im: filterMajor(bank.im, g.Sh * g.Sw, g.filters),
      };
      const labels = g.scales.flatMap((j) => Array.from({ length: p.L }, (_, l) => `j${j} l${l}`));
      const candidates = morletCandidates(g.Sh, g.Sw, { J: p.J, L: p.L, grid: Math.max(g.M, g.N) >> g.r });
      out.push({
        info: {
          nodeId: id,
          type: n.def.type,
          mode: p.mode,
          h: g.Sh,
          w: g.Sw,
          count: g.filters,
          complex: true,
          labels,
          wired,
          noiseScore: noiseScore(g.Sh, g.Sw, true, candidates, 0),
        },
        re,
        im,
        cin: 1,
        candidates,
        maxShift: 0,
      });
    } else if (filters?.structure === 'kernel' && inSpec && isFirstLayer(id, model, v.nodes)) {
      const kernel = find(id, filters.variable);
      if (!kernel) continue;
      const [k, , cin, cout] = kernel.variable.shape;
      // Scales whose Morlet envelope (sigma = 0.8 2^j) still fits in the kernel.
      const J = Math.max(1, Math.ceil(Math.log2(k / 1.6)));
      const candidates = morletCandidates(k, k, {
        J,
        L: 8,
        scalesPerOctave: o.scalesPerOctave ?? 2,
        orientations: o.orientations ?? 16,
      });
      const maxShift = o.maxShift ?? 1;
      const labels: string[] = [];
      for (let c = 0; c < cin; c++) for (let f = 0; f < cout; f++) labels.push(cin > 1 ? `in${c} out${f}` : `out${f}`);
      out.push({
        info: {
          nodeId: id,
          type: n.def.type,
          mode: 'learned',
          h: k,
          w: k,
          count: cin * cout,
          complex: false,
          labels,
          noiseScore: noiseScore(k, k, false, candidates, maxShift),
        },
        re: kernel,
        cin,
        candidates,
        maxShift,
      });
    }
  }
  return out;
}

/** No node with learned weights upstream of `id`. */
function isFirstLayer(id: string, model: CompiledModel, nodes: Map<string, { def: AnyNodeDefinition }>): boolean {
  const seen = new Set<string>();
  const stack = model.edges.filter((e) => e.target === id).map((e) => e.source);
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    const def = nodes.get(s)?.def;
    if (def && isLearnedLayer(def)) return false;
    for (const e of model.edges) if (e.target === s) stack.push(e.source);
  }
  return true;
}

/** [taps, F] (last axis = filter) to filter-major [F, taps]. */
function filterMajor(values: ArrayLike<number>, taps: number, F: number): Float32Array {
  const out = new Float32Array(taps * F);
  for (let t = 0; t < taps; t++) for (let f = 0; f < F; f++) out[f * taps + t] = values[t * F + f];
  return out;
}

function noiseScore(h: number, w: number, complex: boolean, candidates: MorletCandidate[], maxShift: number): number {
  const rng = seededRandom(0x77a1);
  const filters = Array.from({ length: 16 }, () => ({
    re: Float64Array.from({ length: h * w }, () => rng.normal()),
    im: complex ? Float64Array.from({ length: h * w }, () => rng.normal()) : undefined,
  }));
  return bankLikeness(filters, h, w, candidates, maxShift).mean;
}

export class FilterEvolution {
  readonly banks: FilterBankInfo[];
  readonly snapshots: FilterSnapshot[] = [];
  private watched: Watched[];
  private pending: Promise<void> = Promise.resolve();
  private lastStep = -1;

  constructor(
    doc: GraphDocument,
    model: CompiledModel,
    private options: EvolutionOptions,
  ) {
    if (!(options.every >= 1)) throw new RangeError('FilterEvolution: every must be at least 1 step');
    this.watched = watchList(doc, model, options);
    this.banks = this.watched.map((w) => w.info);
  }

  /** Training callbacks that take a snapshot every `every` steps; the first snapshot is the initialization. */
  callbacks(): TrainCallbacks {
    this.capture(0, 0);
    return {
      onStep: (m: StepMetrics) => {
        const step = (m.epoch - 1) * m.stepsPerEpoch + m.step;
        if (step % this.options.every === 0) this.capture(step, m.epoch);
      },
      weightsAt: (step) => step % this.options.every === 0,
    };
  }

  /** Snapshot the filters now (a device-side copy, read back in the background). */
  capture(step: number, epoch: number): void {
    if (step === this.lastStep || !this.watched.length) return;
    this.lastStep = step;
    const copies = this.watched.map((w) => ({
      re: w.re.variable.clone() as Tensor,
      im: w.im?.variable.clone() as Tensor | undefined,
    }));
    this.pending = this.pending.then(async () => {
      const banks: BankSnapshot[] = [];
      for (let i = 0; i < this.watched.length; i++) {
        const re = (await copies[i].re.data()) as Float32Array;
        const im = copies[i].im ? ((await copies[i].im!.data()) as Float32Array) : undefined;
        copies[i].re.dispose();
        copies[i].im?.dispose();
        banks.push(this.score(this.watched[i], re, im));
      }
      this.snapshots.push({ step, epoch, banks });
    });
  }

  /** Wait for every snapshot to be read and scored. */
  async finish(): Promise<FilterSnapshot[]> {
    await this.pending;
    return this.snapshots;
  }

  private score(w: Watched, rawRe: Float32Array, rawIm?: Float32Array): BankSnapshot {
    const { h, w: wd, count } = w.info;
    const taps = h * wd;
    const re = filterMajor(rawRe, taps, count);
    const im = rawIm ? filterMajor(rawIm, taps, count) : undefined;
    const filters = Array.from({ length: count }, (_, f) => ({
      re: re.subarray(f * taps, (f + 1) * taps),
      im: im?.subarray(f * taps, (f + 1) * taps),
    }));
    const r = bankLikeness(filters, h, wd, w.candidates, w.maxShift);
    const snap: BankSnapshot = {
      nodeId: w.info.nodeId,
      re,
      ...(im ? { im } : {}),
      scores: r.scores.map((s) => s.score),
      best: r.scores.map((s) => ({ j: s.j, theta: s.theta })),
      meanScore: r.mean,
    };
    if (w.info.wired && im) snap.distanceFromWired = relativeDistance(re, im, w.info.wired);
    return snap;
  }
}

function relativeDistance(re: Float32Array, im: Float32Array, ref: { re: Float32Array; im: Float32Array }): number {
  let d = 0,
    n = 0;
  for (let i = 0; i < re.length; i++) {
    d += (re[i] - ref.re[i]) ** 2 + (im[i] - ref.im[i]) ** 2;
    n += ref.re[i] ** 2 + ref.im[i] ** 2;
  }
  return n > 0 ? Math.sqrt(d / n) : NaN;
}

export interface EvolutionSummaryRow {
  nodeId: string;
  mode: string;
  noiseScore: number;
  /** Per snapshot: step, mean likeness, distance from the wired bank. */
  trace: { step: number; meanScore: number; distanceFromWired?: number }[];
}

/** The numbers of an evolution without the filters themselves (for JSON reports). */
export function summarizeEvolution(banks: FilterBankInfo[], snapshots: FilterSnapshot[]): EvolutionSummaryRow[] {
  return banks.map((b) => ({
    nodeId: b.nodeId,
    mode: b.mode,
    noiseScore: b.noiseScore,
    trace: snapshots.map((s) => {
      const bs = s.banks.find((x) => x.nodeId === b.nodeId)!;
      return {
        step: s.step,
        meanScore: bs.meanScore,
        ...(bs.distanceFromWired !== undefined ? { distanceFromWired: bs.distanceFromWired } : {}),
      };
    }),
  }));
}

/**
 * Run hooks (for runGraph / compareRuns) that record the filter evolution of a run
 * and attach its summary, plus the final filters' likeness, to the run record.
 */
export function evolutionHooks(
  doc: GraphDocument,
  options: EvolutionOptions,
): RunHooks & { result(): { banks: FilterBankInfo[]; snapshots: FilterSnapshot[] } | undefined } {
  let evo: FilterEvolution | undefined;
  let last = { step: 0, epoch: 0 };
  return {
    onModel(model) {
      evo = new FilterEvolution(doc, model, options);
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
      const snaps = await evo.finish();
      return { filters: summarizeEvolution(evo.banks, snaps) };
    },
    result: () => (evo ? { banks: evo.banks, snapshots: evo.snapshots } : undefined),
  };
}
