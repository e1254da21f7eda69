/**
 * The panel's side of the training worker: starts it, forwards commands, and folds
 * its messages into one mutable record that React reads on the next animation
 * frame, so a fast backend posting hundreds of steps a second costs one render per
 * frame at most.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Diagnostic } from '../../../document/diagnostics';
import type { EpochMetrics, StepMetrics } from '../../../compiler/4-train';
import type { Fallback } from '../../platform/tf-browser';
import type {
  FeatureMapsReply,
  FilterSnapshot,
  FromWorker,
  StartRequest,
  ToWorker,
  VerifyReply,
} from '../../worker/protocol';
import { emit } from '../app-events';
import { paced } from '../layout/time-left';

declare global {
  interface WindowEventMap {
    /** The current run after every update (src/app/collab/ShareRun.tsx follows it). */
    'wavegraph:training': CustomEvent<TrainerState>;
    /** The backend training runs on, and why faster ones were passed over. */
    'wavegraph:backend': CustomEvent<{
      backend: string;
      reason?: string;
      wasm?: { threaded: boolean; threads: number };
    }>;
  }
}

export type Phase =
  'idle' | 'starting' | 'loading-data' | 'compiling' | 'precomputing' | 'training' | 'paused' | 'done';

export type DatasetInfo = Extract<FromWorker, { type: 'dataset' }>;

export interface Series {
  step: number[];
  loss: number[];
  trainAcc: number[];
  /** null except at epoch ends. */
  testAcc: (number | null)[];
  samplesPerSec: number[];
}

export interface TrainerState {
  phase: Phase;
  message: string;
  backend?: string;
  fallbacks: Fallback[];
  dataset?: DatasetInfo;
  last?: StepMetrics & { globalStep: number };
  epochs: EpochMetrics[];
  series: Series;
  filters: Map<string, FilterSnapshot>;
  featureMaps?: FeatureMapsReply;
  verify?: VerifyReply;
  diagnostics: Diagnostic[];
  outcome?: 'completed' | 'stopped' | 'diverged' | 'failed';
  /** The long step before training (the frozen front end), with when and where it was first reported. */
  work?: { what: string; done: number; total: number; unit?: string; since: { time: number; done: number } };
  /** performance.now() when the first step arrived, and the step it was. */
  trainingSince?: { time: number; step: number };
  /** Bumped on every change, for memo keys. */
  version: number;
}

const emptySeries = (): Series => ({ step: [], loss: [], trainAcc: [], testAcc: [], samplesPerSec: [] });

function initial(): TrainerState {
  return {
    phase: 'idle',
    message: '',
    fallbacks: [],
    epochs: [],
    series: emptySeries(),
    filters: new Map(),
    diagnostics: [],
    version: 0,
  };
}

/** Fold one worker message into the record. */
export function applyMessage(s: TrainerState, msg: FromWorker): void {
  switch (msg.type) {
    case 'backend':
      s.backend = msg.backend;
      if (msg.fallbacks.length || msg.backend === 'none') s.fallbacks = msg.fallbacks;
      break;
    case 'status':
      // The dataset's download bar ends when the model is being built.
      if (msg.phase === 'compiling') s.work = undefined;
      s.phase = msg.phase;
      s.message = msg.message;
      break;
    case 'dataset':
      s.dataset = msg;
      break;
    case 'work':
      s.work = paced(s.work, { what: msg.what, done: msg.done, total: msg.total, unit: msg.unit }, performance.now());
      break;
    case 'step': {
      s.last = { ...msg.metrics, globalStep: msg.globalStep };
      s.trainingSince ??= { time: performance.now(), step: msg.globalStep };
      const x = s.series;
      x.step.push(msg.globalStep);
      x.loss.push(msg.metrics.loss);
      x.trainAcc.push(msg.metrics.trainAcc);
      x.testAcc.push(null);
      x.samplesPerSec.push(msg.metrics.samplesPerSec);
      break;
    }
    case 'epoch':
      s.epochs.push(msg.metrics);
      if (s.series.testAcc.length) s.series.testAcc[s.series.testAcc.length - 1] = msg.metrics.testAcc;
      break;
    case 'filters':
      for (const snap of msg.snapshots) s.filters.set(snap.nodeId, snap);
      break;
    case 'verify':
      s.verify = msg.reply;
      break;
    case 'feature-maps':
      s.featureMaps = msg.reply;
      break;
    case 'diagnostics':
      s.diagnostics.push(...msg.diagnostics);
      break;
    case 'done':
      s.phase = 'done';
      s.outcome = msg.status;
      s.message =
        msg.status === 'completed'
          ? s.epochs.length === 1 && s.epochs[0].epoch === 0
            ? `Evaluated the weights as loaded: test accuracy ${(msg.finalTestAcc * 100).toFixed(1)}%.`
            : `Finished: test accuracy ${(msg.finalTestAcc * 100).toFixed(1)}%.`
          : msg.status === 'stopped'
            ? 'Stopped.'
            : msg.status === 'diverged'
              ? 'Training diverged.'
              : 'Training could not start.';
      break;
  }
  s.version++;
}

export interface Trainer {
  state: TrainerState;
  start(req: Omit<StartRequest, 'type'>): void;
  pause(): void;
  resume(): void;
  stop(): void;
  requestFeatureMaps(nodeId: string, index: number): void;
  /** Recompute a node on the CPU backend and report the difference. */
  requestVerify(nodeId: string): void;
}

/** How long a stop may take before the worker is ended outright (a hung GPU step). */
const STOP_GRACE_MS = 5000;

export function useTrainer(): Trainer {
  const worker = useRef<Worker | null>(null);
  const record = useRef<TrainerState>(initial());
  const [state, setState] = useState<TrainerState>(() => ({ ...record.current }));
  const frame = useRef<number | null>(null);
  const stopTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    frame.current = null;
    setState({ ...record.current });
    // Others in a shared room can follow this run (src/app/collab/ShareRun.tsx).
    emit('wavegraph:training', record.current);
  }, []);
  const schedule = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(flush);
  }, [flush]);

  const onMessage = useCallback(
    (e: MessageEvent<FromWorker>) => {
      applyMessage(record.current, e.data);
      if (e.data.type === 'backend') {
        const reason = record.current.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n');
        emit('wavegraph:backend', { backend: e.data.backend, reason, wasm: e.data.wasm });
      }
      if (e.data.type === 'done' && stopTimer.current) {
        clearTimeout(stopTimer.current);
        stopTimer.current = null;
      }
      schedule();
    },
    [schedule],
  );

  const ensureWorker = useCallback((): Worker => {
    if (!worker.current) {
      const w = new Worker(new URL('../../worker/train-worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = onMessage;
      w.onerror = (ev) => {
        ev.preventDefault();
        applyMessage(record.current, {
          type: 'diagnostics',
          diagnostics: [
            {
              code: 'lower-failed',
              severity: 'error',
              message: `The training worker failed: ${ev.message || 'it could not load'}.`,
            },
          ],
        });
        applyMessage(record.current, { type: 'done', status: 'failed', finalTestAcc: NaN });
        worker.current?.terminate();
        worker.current = null;
        schedule();
      };
      worker.current = w;
    }
    return worker.current;
  }, [onMessage, schedule]);

  const send = useCallback((msg: ToWorker) => worker.current?.postMessage(msg), []);

  useEffect(
    () => () => {
      worker.current?.terminate();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const start = useCallback(
    (req: Omit<StartRequest, 'type'>) => {
      const keep = record.current;
      record.current = {
        ...initial(),
        phase: 'starting',
        message: 'Starting the training worker…',
        backend: keep.backend,
        fallbacks: keep.fallbacks,
        version: keep.version + 1,
      };
      ensureWorker().postMessage({ type: 'start', ...req } satisfies ToWorker);
      schedule();
    },
    [ensureWorker, schedule],
  );

  const stop = useCallback(() => {
    send({ type: 'stop' });
    if (stopTimer.current) return;
    stopTimer.current = setTimeout(() => {
      stopTimer.current = null;
      if (record.current.phase === 'done' || record.current.phase === 'idle') return;
      worker.current?.terminate();
      worker.current = null;
      applyMessage(record.current, { type: 'done', status: 'stopped', finalTestAcc: NaN });
      schedule();
    }, STOP_GRACE_MS);
  }, [send, schedule]);

  return {
    state,
    start,
    pause: useCallback(() => send({ type: 'pause' }), [send]),
    resume: useCallback(() => send({ type: 'resume' }), [send]),
    stop,
    requestFeatureMaps: useCallback(
      (nodeId: string, index: number) => send({ type: 'feature-maps', nodeId, index }),
      [send],
    ),
    requestVerify: useCallback((nodeId: string) => send({ type: 'verify', nodeId, count: 8 }), [send]),
  };
}
