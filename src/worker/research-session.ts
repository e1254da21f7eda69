/**
 * The worker's research side: runs the research instruments one request at a time,
 * keeps the data it loaded and the weights of trained runs (so probes, spectra and
 * resampling can read them later), and reports through `post`. Free of worker
 * globals, like Session, so Node tests can drive it.
 */
import { analyze, diag, lower, type Diagnostic } from '../../compiler/index';
import { checkDatasetFits, type Dataset } from '../../compiler/dataset';
import type { CompiledModel } from '../../compiler/3-lower';
import type { TrainControl } from '../../compiler/4-train';
import type { GraphDocument } from '../../document/graph';
import type { Tensor } from '../../nodes/types';
import { compileWith } from '../research/resample';
import { checkWeightsCover } from '../platform/weights';
import { loadDataset } from './session';
import type { DatasetSpec } from './protocol';
import type { ModelSource, ResearchMessage, ResearchReply, ResearchRequest } from './research-protocol';
import { runJob } from './research-jobs';
import { type KeptRun, type ResearchContext, type ResearchEnv, workMeter } from './research-context';

export type { KeptRun, ResearchEnv } from './research-context';
export { datasetName } from './research-context';

/** Trained runs whose weights stay in memory; older ones are dropped first. */
const KEEP_RUNS = 8;

function datasetKey(spec: DatasetSpec): string {
  if (spec.kind === 'upload')
    return `upload:${spec.files.map((f) => `${f.name}/${f.bytes.byteLength}`).join(',')}:${spec.limit ?? ''}`;
  return JSON.stringify(spec);
}

export class ResearchSession implements ResearchContext {
  control: TrainControl = {};
  private queue: Promise<void> = Promise.resolve();
  private data?: { key: string; dataset: Dataset };
  readonly runs = new Map<string, KeptRun>();

  constructor(readonly env: ResearchEnv) {}

  handle(msg: ResearchMessage): void {
    if (msg.type === 'research-stop') {
      this.control.stop = true;
      return;
    }
    if (msg.type === 'research-forget') {
      for (const id of msg.runIds) this.forget(id);
      return;
    }
    this.queue = this.queue.then(() => this.run(msg));
  }

  /** Run one request to its `research-done`, whatever happens inside. */
  async run(req: ResearchRequest): Promise<void> {
    this.control = {};
    const done = (ok: boolean, diagnostics: Diagnostic[]) =>
      this.env.post({ type: 'research-done', id: req.id, ok, diagnostics });
    try {
      const backend = await this.env.initBackend(req.backend);
      if (!backend)
        return done(false, [
          diag('backend-unavailable', `No TensorFlow.js backend could start (asked for "${req.backend}").`, {
            fix: 'Choose "auto" or another backend.',
          }),
        ]);
      const problems = await runJob(this, req);
      done(problems.length === 0, problems);
    } catch (e) {
      done(false, [
        diag('lower-failed', `The instrument failed: ${e instanceof Error ? e.message : String(e)}.`, {
          fix: 'Try another backend, or report it with the graph file.',
        }),
      ]);
    }
  }

  progress(id: number, fields: Omit<Extract<ResearchReply, { type: 'research-progress' }>, 'type' | 'id'>): void {
    this.env.post({ type: 'research-progress', id, ...fields });
  }

  /** The dataset of a request, loaded once and reused while the request names the same data. */
  async dataset(id: number, spec: DatasetSpec): Promise<Dataset | Diagnostic> {
    const key = datasetKey(spec);
    if (this.data?.key === key) return this.data.dataset;
    this.progress(id, { message: 'Loading the dataset…' });
    const report = workMeter(this, id);
    const r = await loadDataset(spec, this.env.dataBase, (done, total) =>
      report('Loading the dataset (bytes)', done, total),
    );
    if (!r.ok) return r.diagnostic;
    this.data = { key, dataset: r.dataset };
    return r.dataset;
  }

  keep(runId: string, label: string, doc: GraphDocument, seed: number, model: CompiledModel): void {
    this.forget(runId);
    const weights = new Map<string, Tensor>();
    for (const v of model.variables) weights.set(v.key, v.variable.clone() as Tensor);
    this.runs.set(runId, { label, doc, seed, weights });
    while (this.runs.size > KEEP_RUNS) this.forget(this.runs.keys().next().value!);
  }

  forget(runId: string): void {
    const r = this.runs.get(runId);
    if (!r) return;
    for (const t of r.weights.values()) t.dispose();
    this.runs.delete(runId);
  }

  /**
   * Build the model a source names, checked against the data. The caller disposes it.
   * A kept run is rebuilt from its own graph, so later edits on the canvas do not matter.
   */
  build(
    source: ModelSource,
    data: Dataset,
  ): { model?: CompiledModel; doc?: GraphDocument; label: string; diagnostics: Diagnostic[] } {
    if (source.kind === 'run') {
      const run = this.runs.get(source.runId);
      if (!run) {
        return {
          label: source.runId,
          diagnostics: [
            diag(
              'bad-argument',
              `The trained weights of run "${source.runId}" are no longer in memory (the worker keeps the last ${KEEP_RUNS} runs).`,
              { fix: 'Train the run again, or pick "current graph (initialized)".' },
            ),
          ],
        };
      }
      const misfit = checkDatasetFits(analyze(run.doc).validation, data);
      if (misfit.length) return { label: source.runId, diagnostics: misfit };
      const built = compileWith(this.env.tf, run.doc, run.weights, run.seed);
      return { model: built.model, doc: run.doc, label: `${run.label} (trained)`, diagnostics: built.diagnostics };
    }
    const label = source.kind === 'weights' ? `current graph (${source.label})` : 'current graph (initialized)';
    const a = analyze(source.doc);
    if (!a.ok) return { label, diagnostics: a.diagnostics.filter((d) => d.severity === 'error') };
    const misfit = checkDatasetFits(a.validation, data);
    if (misfit.length) return { label, diagnostics: misfit };
    const { tf } = this.env;
    const given =
      source.kind === 'weights'
        ? new Map<string, Tensor>(source.arrays.map((w) => [w.key, tf.tensor(w.data, w.shape)]))
        : undefined;
    const built = lower(a.validation, a.shapes, { tf, seed: source.seed, weights: given });
    for (const t of given?.values() ?? []) t.dispose();
    const uncovered = built.model && given ? checkWeightsCover(built.model, given) : [];
    if (uncovered.length) {
      built.model?.dispose();
      return { label, diagnostics: uncovered };
    }
    return { model: built.model, doc: source.doc, label, diagnostics: built.diagnostics };
  }
}
