/**
 * The run record: one trained run as a file that can be re-opened and reproduced.
 * It holds the exact graph, the training settings (seed included), the data spec and
 * the backend, with the metrics the run produced. Platform-free: the CLI writes it
 * with node:fs, the app with a download; both read it with loadRunRecords.
 *
 * A file holds one record, or a JSON array of records (an A/B comparison).
 */
import { z } from 'zod';
import { diag, type Diagnostic } from '../../document/diagnostics';
import { loadDocument, type GraphDocument } from '../../document/graph';
import type { TrainSettings } from '../../compiler/4-train';

export const RUN_FORMAT = 'wavegraph-run';
export const RUN_VERSION = 1;

export interface RunDataSpec {
  /** What `--data` named (registry name or folder). */
  spec: string;
  /** Training samples kept (`--limit`) and test samples kept (`--test-limit`), when set. */
  limit?: number;
  testLimit?: number;
  /** Counts actually used. */
  train: number;
  test: number;
  shape: [number, number, number];
  classes: number;
}

export interface RunStep {
  /** Global step (1-based, counted over all epochs). */
  step: number;
  epoch: number;
  loss: number;
  trainAcc: number;
  samplesPerSec: number;
}

export interface RunEpoch {
  epoch: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
  seconds: number;
  samplesPerSec: number;
}

export interface RunMetrics {
  status: 'completed' | 'stopped' | 'diverged';
  params: { trainable: number; fixed: number };
  epochs: RunEpoch[];
  steps: RunStep[];
  finalTestAcc: number;
  finalTrainAcc: number;
  /** Mean seconds per training epoch (frozen front end excluded). */
  secondsPerEpoch: number;
  /** Time to compute the frozen front end once, when the graph has one. */
  frozenSeconds?: number;
  /** Extra figures an instrument attaches (filter likeness, say). */
  extra?: Record<string, unknown>;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  label: string;
  graph: GraphDocument;
  settings: TrainSettings;
  data: RunDataSpec;
  backend: string;
  metrics: RunMetrics;
  /** ISO 8601 time the run finished. */
  created: string;
}

const finite = z.number().refine((v) => Number.isFinite(v), 'must be a finite number');
const metricNumber = z.union([z.number(), z.null()]).transform((v) => (v === null ? NaN : v));

const recordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  label: z.string(),
  graph: z.unknown(),
  settings: z.object({
    optimizer: z.enum(['adam', 'sgd']),
    learningRate: finite,
    momentum: finite,
    batchSize: z.number().int().min(1),
    epochs: z.number().int().min(1),
    seed: z.number().int(),
    logEvery: z.number().int().min(1),
  }),
  data: z.object({
    spec: z.string().min(1),
    limit: z.number().int().min(1).optional(),
    testLimit: z.number().int().min(1).optional(),
    train: z.number().int().min(0),
    test: z.number().int().min(0),
    shape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
    classes: z.number().int().min(1),
  }),
  backend: z.string().min(1),
  metrics: z.object({
    status: z.enum(['completed', 'stopped', 'diverged']),
    params: z.object({ trainable: z.number().int().min(0), fixed: z.number().int().min(0) }),
    epochs: z.array(
      z.object({
        epoch: z.number().int(),
        loss: metricNumber,
        trainAcc: metricNumber,
        testAcc: metricNumber,
        seconds: metricNumber,
        samplesPerSec: metricNumber,
      }),
    ),
    steps: z.array(
      z.object({
        step: z.number().int(),
        epoch: z.number().int(),
        loss: metricNumber,
        trainAcc: metricNumber,
        samplesPerSec: metricNumber,
      }),
    ),
    finalTestAcc: metricNumber,
    finalTrainAcc: metricNumber,
    secondsPerEpoch: metricNumber,
    frozenSeconds: metricNumber.optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  }),
  created: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date such as 2025-01-31T12:00:00Z'),
});

/** Canonical JSON text of one record or a list of them (NaN is written as null). */
export function saveRunRecords(records: RunRecord | RunRecord[]): string {
  return JSON.stringify(records, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n';
}

export interface LoadRunsResult {
  records: RunRecord[];
  diagnostics: Diagnostic[];
}

/** Read a record file (text or parsed JSON): every problem is a diagnostic naming the run and field. */
export function loadRunRecords(input: string | unknown): LoadRunsResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      return fail(
        diag('malformed-json', `The run file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`, {
          fix: 'Open a file written by "wavegraph compare --out" or saved from the runs panel.',
        }),
      );
    }
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0)
    return fail(diag('bad-document', 'The run file holds an empty list: there is no run to open.'));
  const records: RunRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  list.forEach((item, i) => {
    const where = list.length > 1 ? `Run #${i + 1}` : 'The run';
    const r = loadOne(item, where);
    if (r.record) records.push(r.record);
    diagnostics.push(...r.diagnostics);
  });
  return diagnostics.length ? { records: [], diagnostics } : { records, diagnostics };
}

/** One record, or diagnostics. */
export function loadRunRecord(input: string | unknown): { record?: RunRecord; diagnostics: Diagnostic[] } {
  const r = loadRunRecords(input);
  if (r.diagnostics.length) return { diagnostics: r.diagnostics };
  if (r.records.length !== 1)
    return {
      diagnostics: [diag('bad-document', `The file holds ${r.records.length} runs; open it as a list of runs.`)],
    };
  return { record: r.records[0], diagnostics: [] };
}

function loadOne(item: unknown, where: string): { record?: RunRecord; diagnostics: Diagnostic[] } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { diagnostics: [diag('bad-document', `${where} is not a run record: expected a JSON object.`)] };
  }
  const format = (item as Record<string, unknown>).format;
  if (format !== RUN_FORMAT) {
    const hint = format === 'wavegraph' ? ' It is a graph file; train or compare it to make a run.' : '';
    return {
      diagnostics: [
        diag(
          'bad-document',
          `${where} is not a Wavegraph run: its "format" is ${JSON.stringify(format)}, expected "${RUN_FORMAT}".${hint}`,
        ),
      ],
    };
  }
  const version = (item as Record<string, unknown>).version;
  if (typeof version === 'number' && version > RUN_VERSION) {
    return {
      diagnostics: [
        diag(
          'future-version',
          `${where} was written by a newer Wavegraph (run format ${version}; this one reads ${RUN_VERSION}).`,
          { fix: 'Update Wavegraph to open it.' },
        ),
      ],
    };
  }
  const parsed = recordSchema.safeParse(item);
  if (!parsed.success) {
    return {
      diagnostics: parsed.error.issues
        .slice(0, 8)
        .map((issue) =>
          diag(
            'bad-document',
            `${where}: field "${issue.path.join('.') || '(top level)'}" ${issue.message.replace(/^Invalid input: /, '').toLowerCase()}.`,
          ),
        ),
    };
  }
  const graph = loadDocument(parsed.data.graph);
  if (!graph.doc) {
    return { diagnostics: graph.diagnostics.map((d) => ({ ...d, message: `${where}, its graph: ${d.message}` })) };
  }
  return { record: { ...(parsed.data as unknown as RunRecord), graph: graph.doc }, diagnostics: [] };
}

function fail(d: Diagnostic): LoadRunsResult {
  return { records: [], diagnostics: [d] };
}
