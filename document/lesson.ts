/**
 * A lesson carried by a graph file: ordered steps, each with Markdown text, the node or
 * panel it points at, and a check the app verifies (a metric threshold, a parameter
 * value, a connection, a node present).
 *
 * A lesson is read step by step: a malformed step is left out with a message that
 * names it, and the graph always loads; a broken lesson never costs anyone their graph.
 */
import { z } from 'zod';
import { brief, diag, type Diagnostic } from './diagnostics';
import type { ParamValue } from './param-value';

/** What the lesson reads of a graph document (its nodes, edges and lesson): graph.ts reads lessons, not the reverse. */
interface LessonGraph {
  nodes: { id: string; type: string; params: Record<string, ParamValue> }[];
  edges: { source: string; target: string }[];
  lesson?: Lesson;
}

export const LESSON_LIMITS = {
  steps: 60,
  titleLength: 200,
  /** Text of one step: a few screens of prose is plenty; a whole book is refused. */
  textLength: 8000,
  /** A node id or a node type. */
  refLength: 200,
} as const;

/** Parts of the editor a step may point at besides a node. */
export const LESSON_PANELS = ['palette', 'inspector', 'training', 'canvas', 'research', 'synthesis'] as const;
export type LessonPanel = (typeof LESSON_PANELS)[number];

/** Each panel as the lesson editor names it. */
export const LESSON_PANEL_NAMES: Record<LessonPanel, string> = {
  palette: 'the palette',
  inspector: 'the inspector',
  training: 'the training panel',
  canvas: 'the canvas',
  research: 'the Research tab',
  synthesis: 'the Synthesis panel',
};

export const LESSON_METRICS = {
  testAcc: 'test accuracy',
  trainAcc: 'training accuracy',
  loss: 'training loss',
} as const;
export type LessonMetric = keyof typeof LESSON_METRICS;

/**
 * Checks name nodes by a reference: a node id ("scattering") or a node type
 * ("Modulus"). A type matches any node of that type, so "a Modulus after a
 * WaveletConv" holds wherever the student puts them.
 */
export type LessonCheck =
  | { kind: 'metric'; metric: LessonMetric; op: '>=' | '<='; value: number }
  | { kind: 'param'; node: string; param: string; value: ParamValue }
  | { kind: 'connection'; from: string; to: string }
  | { kind: 'node'; node: string; count?: number };

export type LessonTarget = { node: string } | { panel: LessonPanel };

export interface LessonStep {
  title?: string;
  text: string;
  target?: LessonTarget;
  check?: LessonCheck;
}

export interface Lesson {
  title?: string;
  steps: LessonStep[];
}

const tooLong = (what: string, n: number) => ({ message: `${what} is longer than ${n} characters` });
const ref = z
  .string()
  .min(1, { message: 'names no node' })
  .max(LESSON_LIMITS.refLength, tooLong('a node reference', LESSON_LIMITS.refLength));
const title = z.string().max(LESSON_LIMITS.titleLength, tooLong('the title', LESSON_LIMITS.titleLength));
const finite = z.number().finite();

const checkSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('metric'),
    metric: z.enum(Object.keys(LESSON_METRICS) as [LessonMetric, ...LessonMetric[]]),
    op: z.enum(['>=', '<=']),
    value: finite,
  }),
  z.object({
    kind: z.literal('param'),
    node: ref,
    param: z.string().min(1).max(100),
    value: z.union([finite, z.string().max(LESSON_LIMITS.refLength), z.boolean(), z.array(finite).max(64)]),
  }),
  z.object({ kind: z.literal('connection'), from: ref, to: ref }),
  z.object({ kind: z.literal('node'), node: ref, count: z.number().int().min(1).max(1000).optional() }),
]);

export const lessonStepSchema = z.object({
  title: title.optional(),
  text: z.string().max(LESSON_LIMITS.textLength, tooLong('the text', LESSON_LIMITS.textLength)),
  target: z.union([z.object({ node: ref }).strict(), z.object({ panel: z.enum(LESSON_PANELS) }).strict()]).optional(),
  check: checkSchema.optional(),
});

export interface LessonResult {
  lesson?: Lesson;
  diagnostics: Diagnostic[];
}

const warn = (message: string, fix?: string) =>
  diag('bad-lesson', message, { severity: 'warning', ...(fix ? { fix } : {}) });

function stepName(i: number, raw: unknown): string {
  const t = typeof raw === 'object' && raw !== null ? (raw as { title?: unknown }).title : undefined;
  return typeof t === 'string' && t.length > 0
    ? `Lesson step ${i + 1} ("${brief(t, 40).slice(1, -1)}")`
    : `Lesson step ${i + 1}`;
}

/** Read a lesson from untrusted data: the valid steps, and a message for each one left out. */
export function parseLesson(raw: unknown): LessonResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { diagnostics: [warn(`The lesson is not an object (found ${brief(raw)}); it was left out.`)] };
  }
  const r = raw as { title?: unknown; steps?: unknown };
  const diagnostics: Diagnostic[] = [];
  let lessonTitle: string | undefined;
  if (r.title !== undefined) {
    const t = title.safeParse(r.title);
    if (t.success) lessonTitle = t.data;
    else diagnostics.push(warn(`The lesson's title ${t.error.issues[0].message}; it was left out.`));
  }
  if (!Array.isArray(r.steps)) {
    diagnostics.push(warn(`The lesson has no list of steps (found ${brief(r.steps)}); it was left out.`));
    return { diagnostics };
  }
  let rawSteps: unknown[] = r.steps;
  if (rawSteps.length > LESSON_LIMITS.steps) {
    diagnostics.push(
      warn(
        `The lesson has ${rawSteps.length} steps; the first ${LESSON_LIMITS.steps} were kept.`,
        'Split it into several lessons, one per graph.',
      ),
    );
    rawSteps = rawSteps.slice(0, LESSON_LIMITS.steps);
  }
  const steps: LessonStep[] = [];
  rawSteps.forEach((s, i) => {
    const parsed = lessonStepSchema.safeParse(s);
    if (parsed.success) {
      steps.push(parsed.data as LessonStep);
      return;
    }
    const issue = parsed.error.issues[0];
    const at = issue.path.length ? ` (at ${issue.path.map(String).join('.')})` : '';
    diagnostics.push(warn(`${stepName(i, s)} was left out: ${issue.message}${at}.`));
  });
  if (!steps.length) {
    diagnostics.push(warn('The lesson has no readable step; it was left out.'));
    return { diagnostics };
  }
  return { lesson: { ...(lessonTitle !== undefined ? { title: lessonTitle } : {}), steps }, diagnostics };
}

/** Steps that point at or check nodes the graph does not have (the lesson is kept; the teacher should know). */
export function lessonWarnings(doc: LessonGraph): Diagnostic[] {
  if (!doc.lesson) return [];
  const ids = new Set(doc.nodes.map((n) => n.id));
  const out: Diagnostic[] = [];
  doc.lesson.steps.forEach((s, i) => {
    if (s.target && 'node' in s.target && !ids.has(s.target.node)) {
      out.push(warn(`${stepName(i, s)} points at node "${s.target.node}", which is not in the graph.`));
    }
  });
  return out;
}

/** What training has shown so far: the best value of each metric seen in this session. */
export type LessonMetrics = Partial<Record<LessonMetric, number>>;

/** Does a node answer to a reference (its id, or its type)? */
export function matchesRef(node: { id: string; type: string }, r: string): boolean {
  return node.id === r || node.type === r;
}

function sameValue(a: ParamValue | undefined, b: ParamValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  // A form field may hold "4" where the lesson says 4.
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && sameValue(Number(a), b);
  return a === b;
}

/**
 * Is the check met by this graph and these metrics? `paramDefault` gives a declared
 * default for a parameter the node does not set (the document layer knows no node types).
 */
export function checkPassed(
  check: LessonCheck,
  doc: LessonGraph,
  metrics: LessonMetrics,
  paramDefault: (type: string, param: string) => ParamValue | undefined = () => undefined,
): boolean {
  switch (check.kind) {
    case 'metric': {
      const v = metrics[check.metric];
      if (v === undefined || !Number.isFinite(v)) return false;
      return check.op === '>=' ? v >= check.value : v <= check.value;
    }
    case 'param':
      return doc.nodes.some(
        (n) =>
          matchesRef(n, check.node) &&
          sameValue(n.params[check.param] ?? paramDefault(n.type, check.param), check.value),
      );
    case 'connection': {
      const byId = new Map(doc.nodes.map((n) => [n.id, n]));
      return doc.edges.some((e) => {
        const a = byId.get(e.source);
        const b = byId.get(e.target);
        return !!a && !!b && matchesRef(a, check.from) && matchesRef(b, check.to);
      });
    }
    case 'node':
      return doc.nodes.filter((n) => matchesRef(n, check.node)).length >= (check.count ?? 1);
  }
}

const fmt = (v: ParamValue) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** The check in words, as the panel shows it beside its tick. */
export function describeCheck(check: LessonCheck): string {
  switch (check.kind) {
    case 'metric': {
      const pct = check.metric !== 'loss' && check.value <= 1;
      const v = pct ? `${Math.round(check.value * 1000) / 10}%` : String(check.value);
      return `${LESSON_METRICS[check.metric]} ${check.op === '>=' ? '≥' : '≤'} ${v}`;
    }
    case 'param':
      return `${check.param} of ${check.node} set to ${fmt(check.value)}`;
    case 'connection':
      return `${check.from} connected into ${check.to}`;
    case 'node':
      return (check.count ?? 1) > 1 ? `${check.count} × ${check.node} in the graph` : `${check.node} in the graph`;
  }
}
