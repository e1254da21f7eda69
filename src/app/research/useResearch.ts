/**
 * The research panel's side of the worker: its own worker (so a research job never
 * disturbs the training panel's run), requests by id, and the results folded into
 * one record that React reads at most once per animation frame.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Diagnostic } from '../../../document/diagnostics';
import type { FilterBankInfo, FilterSnapshot } from '../../research/filter-evolution';
import type { SpectraSnapshot, SpectrumLayerInfo } from '../../research/spectra-evolution';
import type { LayerGaussianity } from '../../research/gaussianity';
import type { ProbeReport } from '../../research/probe';
import type { ResampleReport } from '../../research/resample';
import type { RunEpoch, RunRecord, RunStep } from '../../research/run-record';
import type { SweepProgress, SweepReport } from '../../research/width-sweep';
import type { JammingProgress, JammingReport } from '../../research/jamming';
import type { LazyPoint, LazyReport } from '../../research/lazy-sweep';
import type { StabilityErrorPoint, StabilityErrorReport } from '../../research/stability-vs-error';
import type { TangentKernelReport } from '../../research/tangent-kernel';
import type { FromWorker, ToWorker } from '../../worker/protocol';
import { paced } from '../layout/time-left';
import type {
  ListaRow,
  ResearchRequest,
  ResearchRequestBody,
  ResearchWork,
  SpectrumRow,
} from '../../worker/research-protocol';

export interface KeptRun {
  runId: string;
  label: string;
  /** Live curves while training; the record's own once done. */
  steps: RunStep[];
  epochs: RunEpoch[];
  record?: RunRecord;
  evolution?: { banks: FilterBankInfo[]; snapshots: FilterSnapshot[] };
  spectra?: { layers: SpectrumLayerInfo[]; snapshots: SpectraSnapshot[] };
  /** Weights live in the worker (false for runs opened from a file). */
  trained: boolean;
}

export type Job = ResearchRequest['type'];

/** A job's progress bar: how far it is, and where the pace is measured from (for the time left). */
export interface ResearchProgress extends ResearchWork {
  since: { time: number; done: number };
}

export interface ResearchState {
  busy?: Job;
  message: string;
  work?: ResearchProgress;
  diagnostics: Diagnostic[];
  runs: KeptRun[];
  probe?: { report: ProbeReport; source: string };
  spectra?: { layers: SpectrumRow[]; source: string };
  /** The latest results of the Gaussianity test, newest last (two kept: one model against another). */
  gaussianity: { layers: LayerGaussianity[]; source: string }[];
  resample?: { report: ResampleReport; runId: string };
  sweep?: { progress: SweepProgress[]; report?: SweepReport };
  lista?: { rows: ListaRow[]; source: string };
  jamming?: { progress: JammingProgress[]; report?: JammingReport };
  lazy?: { progress: LazyPoint[]; report?: LazyReport; tangentKernel?: TangentKernelReport };
  stabilityError?: { progress: StabilityErrorPoint[]; report?: StabilityErrorReport };
  /** Jobs finished so far (shown to tests, which wait for the next one rather than a stale "Done."). */
  finished: number;
  version: number;
}

type Request = ResearchRequestBody;

function apply(s: ResearchState, msg: FromWorker, jobs: Map<number, Job>): void {
  if (msg.type === 'research-progress') {
    if (msg.message) s.message = msg.message;
    if (msg.work) s.work = paced(s.work, msg.work, performance.now());
    const run = msg.runId ? s.runs.find((r) => r.runId === msg.runId) : undefined;
    if (run && msg.step) run.steps = [...run.steps, msg.step];
    if (run && msg.epoch) run.epochs = [...run.epochs, msg.epoch];
    if (msg.sweep) s.sweep = { progress: [...(s.sweep?.progress ?? []), msg.sweep], report: s.sweep?.report };
    if (msg.jamming) s.jamming = { progress: [...(s.jamming?.progress ?? []), msg.jamming] };
    if (msg.lazy) s.lazy = { ...s.lazy, progress: [...(s.lazy?.progress ?? []), msg.lazy] };
    if (msg.stabilityError)
      s.stabilityError = { ...s.stabilityError, progress: [...(s.stabilityError?.progress ?? []), msg.stabilityError] };
  } else if (msg.type === 'research-result') {
    const r = msg.result;
    if (r.kind === 'run') {
      s.runs = s.runs.map((x) =>
        x.runId === r.runId
          ? {
              ...x,
              record: r.record,
              evolution: r.evolution,
              spectra: r.spectra,
              steps: r.record.metrics.steps,
              epochs: r.record.metrics.epochs,
              trained: true,
            }
          : x,
      );
    } else if (r.kind === 'probe') s.probe = { report: r.report, source: r.source };
    else if (r.kind === 'spectra') s.spectra = { layers: r.layers, source: r.source };
    else if (r.kind === 'gaussianity')
      s.gaussianity = [
        ...s.gaussianity.filter((g) => g.source !== r.source),
        { layers: r.layers, source: r.source },
      ].slice(-2);
    else if (r.kind === 'resample') s.resample = { report: r.report, runId: r.runId };
    else if (r.kind === 'sweep') s.sweep = { progress: s.sweep?.progress ?? [], report: r.report };
    else if (r.kind === 'lista') s.lista = { rows: r.rows, source: r.source };
    else if (r.kind === 'jamming') s.jamming = { progress: s.jamming?.progress ?? [], report: r.report };
    else if (r.kind === 'lazy')
      s.lazy = { progress: s.lazy?.progress ?? [], report: r.report, tangentKernel: r.tangentKernel };
    else if (r.kind === 'stability-error')
      s.stabilityError = { progress: s.stabilityError?.progress ?? [], report: r.report };
  } else if (msg.type === 'research-done') {
    const job = jobs.get(msg.id);
    jobs.delete(msg.id);
    s.diagnostics = msg.diagnostics;
    if (job === 'research-ab') s.runs = s.runs.filter((r) => r.record); // drop runs that never finished
    if (!jobs.size) {
      s.busy = undefined;
      s.work = undefined;
    }
    s.finished++;
    s.message = msg.ok ? 'Done.' : 'Stopped with a problem (see below).';
  } else return;
  s.version++;
}

export interface Research {
  state: ResearchState;
  send(req: Request, runs?: { runId: string; label: string }[]): void;
  stop(): void;
  /** Runs opened from a file: their records only, no weights. */
  addRecords(records: RunRecord[]): void;
  removeRun(runId: string): void;
}

export function useResearch(): Research {
  const worker = useRef<Worker | null>(null);
  const record = useRef<ResearchState>({
    message: '',
    diagnostics: [],
    runs: [],
    gaussianity: [],
    finished: 0,
    version: 0,
  });
  const jobs = useRef(new Map<number, Job>());
  const nextId = useRef(1);
  const [state, setState] = useState<ResearchState>(() => ({ ...record.current }));
  const frame = useRef<number | null>(null);

  const schedule = useCallback(() => {
    if (frame.current === null) {
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        setState({ ...record.current });
      });
    }
  }, []);

  const ensureWorker = useCallback((): Worker => {
    if (worker.current) return worker.current;
    const w = new Worker(new URL('../../worker/train-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      apply(record.current, e.data, jobs.current);
      schedule();
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      const s = record.current;
      s.diagnostics = [
        {
          code: 'lower-failed',
          severity: 'error',
          message: `The research worker failed: ${ev.message || 'it could not load'}.`,
        },
      ];
      s.busy = undefined;
      jobs.current.clear();
      s.version++;
      worker.current?.terminate();
      worker.current = null;
      schedule();
    };
    worker.current = w;
    return w;
  }, [schedule]);

  useEffect(
    () => () => {
      worker.current?.terminate();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const send = useCallback(
    (req: Request, runs: { runId: string; label: string }[] = []) => {
      const id = nextId.current++;
      jobs.current.set(id, req.type);
      const s = record.current;
      s.busy = req.type;
      s.diagnostics = [];
      s.message = 'Starting…';
      if (req.type === 'research-sweep') s.sweep = { progress: [] };
      if (req.type === 'research-jamming') s.jamming = { progress: [] };
      if (req.type === 'research-lazy') s.lazy = { progress: [] };
      if (req.type === 'research-stability-error') s.stabilityError = { progress: [] };
      s.runs = [...s.runs, ...runs.map((r) => ({ ...r, steps: [], epochs: [], trained: false }))];
      s.version++;
      ensureWorker().postMessage({ ...req, id } as ToWorker);
      schedule();
    },
    [ensureWorker, schedule],
  );

  const stop = useCallback(() => worker.current?.postMessage({ type: 'research-stop' } satisfies ToWorker), []);

  const addRecords = useCallback(
    (records: RunRecord[]) => {
      const s = record.current;
      const stamp = Date.now().toString(36);
      s.runs = [
        ...s.runs,
        ...records.map((r, i) => ({
          runId: `file-${stamp}-${i}`,
          label: r.label,
          steps: r.metrics.steps,
          epochs: r.metrics.epochs,
          record: r,
          trained: false,
        })),
      ];
      s.version++;
      schedule();
    },
    [schedule],
  );

  const removeRun = useCallback(
    (runId: string) => {
      const s = record.current;
      s.runs = s.runs.filter((r) => r.runId !== runId);
      s.version++;
      worker.current?.postMessage({ type: 'research-forget', runIds: [runId] } satisfies ToWorker);
      schedule();
    },
    [schedule],
  );

  return { state, send, stop, addRecords, removeRun };
}
