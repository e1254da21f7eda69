/**
 * A synthesis run driven by messages, the same in the browser's worker and in Node:
 * make the target, post it with the Gaussian sample, then run the optimization and
 * post the loss and the current samples as they move. Platform-free (TF is injected).
 */
import type { Diagnostic, GraphDocument } from '../../compiler';
import type { TF } from '../../nodes/types';
import { synthesize } from './engine';
import { gaussianSamples } from './gaussian';
import { generatedTarget } from './targets';
import { compareToTarget, type ModelReport } from './validation';
import { crossScaleCorrelations, type CorrelationMatrices } from './correlations';

export interface SynthesisRequest {
  type: 'synthesize';
  doc: GraphDocument;
  /** A built-in target, or a field the user brought (n x n, row-major). */
  target: { kind: 'ising' | 'turbulence' } | { kind: 'field'; data: Float32Array; n: number; label: string };
  size: number;
  samples: number;
  steps: number;
  seed: number;
  /** Post the samples every this many steps (the loss is posted every step). */
  frameEvery?: number;
}

export type SynthesisMessage =
  | { type: 'synthesis-target'; n: number; label: string; target: Float32Array; gaussian: Float32Array }
  | { type: 'synthesis-step'; step: number; loss: number; samples?: Float32Array }
  | {
      type: 'synthesis-done';
      status: 'completed' | 'stopped' | 'failed';
      samples?: Float32Array;
      reports?: { gaussian: ModelReport; maxEntropy: ModelReport; targetSpectrum: number[] };
      seconds?: number;
    }
  | { type: 'synthesis-diagnostics'; diagnostics: Diagnostic[] }
  /** Correlations across (scale, orientation) of one field's wavelet coefficients, before and after the modulus. */
  | { type: 'synthesis-correlations'; field: 'target' | 'gaussian' | 'sample'; matrices: CorrelationMatrices };

export class SynthesisSession {
  stop = false;

  /** The why of the experiment: linear coefficients barely correlate across scales, their moduli do. */
  private async correlations(field: 'target' | 'gaussian' | 'sample', data: Float32Array, n: number): Promise<void> {
    try {
      const J = Math.max(2, Math.min(5, Math.floor(Math.log2(n)) - 2));
      const matrices = await crossScaleCorrelations(this.tf, data, n, J, 4);
      this.post({ type: 'synthesis-correlations', field, matrices });
    } catch {
      // The figure is an aside: a field it cannot read (odd size) leaves it out, the synthesis goes on.
    }
  }

  constructor(
    private readonly tf: TF,
    private readonly post: (m: SynthesisMessage) => void,
  ) {}

  async run(req: SynthesisRequest): Promise<void> {
    const t =
      req.target.kind === 'field'
        ? { data: req.target.data, n: req.target.n, label: req.target.label }
        : generatedTarget(req.target.kind, req.size, 1, req.seed);
    const gaussian = gaussianSamples(t.data, t.n, req.samples, req.seed ^ 0x2545f491);
    this.post({ type: 'synthesis-target', n: t.n, label: t.label, target: t.data, gaussian });
    await this.correlations('target', t.data, t.n);
    await this.correlations('gaussian', gaussian, t.n);
    const every = req.frameEvery ?? 5;
    const t0 = performance.now();
    const out = await synthesize(this.tf, req.doc, t.data, t.n, {
      samples: req.samples,
      steps: req.steps,
      seed: req.seed,
      onStep: (step, loss, current) => {
        this.post({ type: 'synthesis-step', step, loss, ...(step % every === 0 ? { samples: current() } : {}) });
        return !this.stop;
      },
    });
    if (!out.result) {
      this.post({ type: 'synthesis-diagnostics', diagnostics: out.diagnostics });
      this.post({ type: 'synthesis-done', status: 'failed' });
      return;
    }
    const samples = out.result.samples;
    await this.correlations('sample', samples, t.n);
    this.post({
      type: 'synthesis-done',
      status: this.stop ? 'stopped' : 'completed',
      samples,
      seconds: (performance.now() - t0) / 1000,
      reports: {
        gaussian: compareToTarget(gaussian, t.data, t.n),
        maxEntropy: compareToTarget(samples, t.data, t.n),
        targetSpectrum: compareToTarget(t.data, t.data, t.n).spectrum,
      },
    });
  }
}
