/**
 * The graph document: the one plain-data format that templates, saved files, share
 * links, the canvas, the compiler and the collaboration layer all use.
 *
 * Loading goes text -> JSON -> migrate to the current version -> schema check. Each
 * step reports problems as diagnostics; nothing here throws on bad input.
 */
import { z } from 'zod';
import { brief, diag, type Diagnostic } from './diagnostics';
import { parseLesson, type Lesson } from './lesson';
import type { ParamValue } from './param-value';

export const FORMAT = 'wavegraph';
export const CURRENT_VERSION = 2;

export type { ParamValue };
export type Params = Record<string, ParamValue>;

export interface GraphNode {
  id: string;
  type: string;
  /** Version of the node type's declaration the params were written for; absent means 1. */
  typeVersion?: number;
  position: { x: number; y: number };
  params: Params;
  /** Optional user label shown instead of the type title. */
  label?: string;
  /** Id of the group (an expanded composite block) this node belongs to. */
  group?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** A composite block (Scattering2D, LISTA) that the editor shows expanded. */
export interface GraphGroup {
  id: string;
  /** The node type the group collapses back into. */
  type: string;
  params: Params;
  label?: string;
}

export interface TrainingSettings {
  dataset?: string;
  optimizer?: 'adam' | 'sgd';
  learningRate?: number;
  momentum?: number;
  batchSize?: number;
  epochs?: number;
  seed?: number;
  schedule?: 'constant' | 'cosine';
  /** Lazy-training output scale (compiler/lazy.ts); absent: the plain output. */
  alpha?: number;
}

export interface GraphDocument {
  format: typeof FORMAT;
  version: number;
  name?: string;
  description?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups?: GraphGroup[];
  training?: TrainingSettings;
  /** A guided lesson through this graph (document/lesson.ts). */
  lesson?: Lesson;
}

/**
 * How big a document may be. Every part of the app reads a document on every edit,
 * so a size that no one draws by hand (a classroom graph has tens of nodes) must be
 * refused with a message, not slow every peer down. Training settings are bounded to
 * what a browser tab can run.
 */
export const LIMITS = {
  nodes: 2000,
  edges: 8000,
  groups: 500,
  paramsPerNode: 100,
  idLength: 200,
  nameLength: 500,
  descriptionLength: 20000,
  stringParamLength: 10000,
  arrayParamLength: 4096,
  /** Canvas coordinates: far beyond any screen, short of float trouble. */
  coordinate: 1e7,
  /** Brackets inside brackets: a document needs 5; JSON.parse slows sharply past a few thousand. */
  nesting: 64,
} as const;

export const TRAINING_LIMITS = { maxLearningRate: 1e5, maxBatchSize: 4096, maxEpochs: 1000, maxAlpha: 1e8 } as const;

const tooLong = (what: string, n: number) => ({ message: `${what} is longer than ${n} characters` });
const paramValue = z.union([
  z.number(),
  z.string().max(LIMITS.stringParamLength, tooLong('a text parameter', LIMITS.stringParamLength)),
  z.boolean(),
  z
    .array(z.number())
    .max(LIMITS.arrayParamLength, { message: `a list parameter has more than ${LIMITS.arrayParamLength} numbers` }),
]);
const params = z.record(z.string().max(100), paramValue).refine((p) => Object.keys(p).length <= LIMITS.paramsPerNode, {
  message: `more than ${LIMITS.paramsPerNode} parameters`,
});
const id = z.string().min(1).max(LIMITS.idLength, tooLong('an id', LIMITS.idLength));
const port = z.string().min(1).max(100);
const coordinate = z.number().finite().min(-LIMITS.coordinate).max(LIMITS.coordinate);

export const nodeSchema = z.object({
  id,
  type: z.string().min(1).max(100),
  typeVersion: z.number().int().min(1).max(1000).optional(),
  position: z.object({ x: coordinate, y: coordinate }),
  params,
  label: z.string().max(LIMITS.idLength, tooLong('the label', LIMITS.idLength)).optional(),
  group: id.optional(),
});

export const edgeSchema = z.object({
  id,
  source: id,
  sourcePort: port,
  target: id,
  targetPort: port,
});

export const trainingSchema = z.object({
  dataset: z.string().max(LIMITS.nameLength).optional(),
  optimizer: z.enum(['adam', 'sgd']).optional(),
  learningRate: z.number().positive().max(TRAINING_LIMITS.maxLearningRate).optional(),
  momentum: z.number().min(0).max(1).optional(),
  batchSize: z.number().int().min(1).max(TRAINING_LIMITS.maxBatchSize).optional(),
  epochs: z.number().int().min(1).max(TRAINING_LIMITS.maxEpochs).optional(),
  seed: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
  schedule: z.enum(['constant', 'cosine']).optional(),
  alpha: z
    .number()
    .positive({ message: '"alpha" (the lazy-training output scale) must be positive: 0 erases the output' })
    .max(TRAINING_LIMITS.maxAlpha)
    .optional(),
});

const count = (what: string, n: number) => ({
  message: `has more than ${n} ${what}; Wavegraph edits graphs up to that size`,
});
export const documentSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(CURRENT_VERSION),
  name: z.string().max(LIMITS.nameLength, tooLong('the name', LIMITS.nameLength)).optional(),
  description: z
    .string()
    .max(LIMITS.descriptionLength, tooLong('the description', LIMITS.descriptionLength))
    .optional(),
  nodes: z.array(nodeSchema).max(LIMITS.nodes, count('nodes', LIMITS.nodes)),
  edges: z.array(edgeSchema).max(LIMITS.edges, count('edges', LIMITS.edges)),
  groups: z
    .array(z.object({ id, type: z.string().max(100), params, label: z.string().max(LIMITS.idLength).optional() }))
    .max(LIMITS.groups, count('groups', LIMITS.groups))
    .optional(),
  training: trainingSchema.optional(),
});

type Raw = Record<string, unknown>;

/**
 * Document migrations, keyed by the version they upgrade from. Version 1 was the
 * draft format: node positions as [x, y] pairs and edges as "node.port" strings
 * under `links`. Each step is a pure function of plain data.
 */
export const DOCUMENT_MIGRATIONS: Record<number, (doc: Raw) => Raw> = {
  1: (doc) => {
    const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
    const links = Array.isArray(doc.links) ? doc.links : [];
    const split = (s: unknown): [string, string] => {
      const text = String(s);
      const dot = text.lastIndexOf('.');
      return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
    };
    const { links: _links, ...rest } = doc;
    return {
      ...rest,
      version: 2,
      // Entries that are not objects are left for the schema check to name.
      nodes: nodes.map((n: Raw) => {
        if (typeof n !== 'object' || n === null) return n;
        const pos = Array.isArray(n.pos) ? n.pos : [0, 0];
        const { pos: _pos, ...node } = n;
        return { ...node, position: { x: Number(pos[0]) || 0, y: Number(pos[1]) || 0 }, params: node.params ?? {} };
      }),
      edges: links.map((l: Raw, i: number) => {
        if (typeof l !== 'object' || l === null) return l;
        const [source, sourcePort] = split(l.from);
        const [target, targetPort] = split(l.to);
        return { id: `e${i + 1}`, source, sourcePort, target, targetPort };
      }),
    };
  },
};

export interface LoadResult {
  doc?: GraphDocument;
  diagnostics: Diagnostic[];
  /** The version the file was written in, when it could be read. */
  fromVersion?: number;
}

/** Parse a document from JSON text or an already-parsed value. */
export function loadDocument(input: string | unknown): LoadResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (nestedTooDeep(input, LIMITS.nesting)) {
      return {
        diagnostics: [
          diag('malformed-json', `The file nests brackets more than ${LIMITS.nesting} deep; no graph does.`, {
            fix: 'Open a graph file saved by Wavegraph.',
          }),
        ],
      };
    }
    try {
      raw = JSON.parse(input);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return {
        diagnostics: [
          diag('malformed-json', `The file is not valid JSON (${msg}).`, {
            fix: 'Open a graph file saved by Wavegraph, or check the file for a truncated end or a stray comma.',
          }),
        ],
      };
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { diagnostics: [diag('bad-document', 'The file does not hold a graph: expected a JSON object.')] };
  }
  let doc = raw as Raw;
  if (doc.format !== FORMAT) {
    return {
      diagnostics: [
        diag(
          'bad-document',
          `The file is not a Wavegraph graph: its "format" is ${brief(doc.format)}, expected "${FORMAT}".`,
        ),
      ],
    };
  }
  const fromVersion = typeof doc.version === 'number' ? doc.version : NaN;
  if (!Number.isInteger(fromVersion) || fromVersion < 1) {
    return {
      diagnostics: [diag('bad-document', `The file's "version" must be a whole number, got ${brief(doc.version)}.`)],
    };
  }
  if (fromVersion > CURRENT_VERSION) {
    return {
      fromVersion,
      diagnostics: [
        diag(
          'future-version',
          `The file was written by a newer Wavegraph (format version ${fromVersion}; this one reads up to ${CURRENT_VERSION}).`,
          {
            fix: 'Update Wavegraph to open it.',
          },
        ),
      ],
    };
  }
  const oversized = countProblem(doc);
  if (oversized) return { fromVersion, diagnostics: [oversized] };
  for (let v = fromVersion; v < CURRENT_VERSION; v++) {
    const step = DOCUMENT_MIGRATIONS[v];
    if (!step) return { fromVersion, diagnostics: [diag('bad-document', `No migration from format version ${v}.`)] };
    doc = step(doc);
  }
  // The lesson is read on its own: a broken step is left out with a warning, never the graph.
  const { lesson: rawLesson, ...graph } = doc;
  const parsed = documentSchema.safeParse(graph);
  if (!parsed.success) {
    return {
      fromVersion,
      diagnostics: parsed.error.issues.slice(0, 10).map((issue) => {
        const path = issue.path
          .map((k) => (typeof k === 'string' && k.length > 40 ? `${k.slice(0, 40)}…` : String(k)))
          .join('.');
        const where = describePath(doc, issue.path);
        return diag(
          'bad-document',
          `${where.text}: ${issue.message} (at ${path || 'top level'}).`,
          where.nodeId ? { nodeId: where.nodeId } : {},
        );
      }),
    };
  }
  const loaded = parsed.data as GraphDocument;
  if (rawLesson === undefined) return { doc: loaded, diagnostics: [], fromVersion };
  const { lesson, diagnostics } = parseLesson(rawLesson);
  return { doc: lesson ? { ...loaded, lesson } : loaded, diagnostics, fromVersion };
}

/** One pass over the text, skipping strings: are brackets nested deeper than `max`? */
function nestedTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Counts are checked before anything walks the lists, so a huge file is refused at once. */
function countProblem(doc: Raw): Diagnostic | undefined {
  const lists = [
    ['nodes', LIMITS.nodes],
    ['edges', LIMITS.edges],
    ['links', LIMITS.edges],
    ['groups', LIMITS.groups],
  ] as const;
  for (const [key, max] of lists) {
    const list = doc[key];
    if (Array.isArray(list) && list.length > max) {
      return diag(
        'bad-document',
        `The graph has ${list.length} ${key === 'links' ? 'edges' : key}; Wavegraph edits graphs of up to ${max}.`,
        {
          fix: 'Split the graph into smaller ones, or remove the parts that are not used.',
        },
      );
    }
  }
  return undefined;
}

function describePath(doc: Raw, path: PropertyKey[]): { text: string; nodeId?: string } {
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const node = (doc.nodes as Raw[])[path[1]];
    const nodeId = node && typeof node.id === 'string' ? node.id : undefined;
    return nodeId && nodeId.length <= LIMITS.idLength
      ? { text: `Node "${nodeId}"`, nodeId }
      : { text: `Node #${path[1] + 1}` };
  }
  if (path[0] === 'edges' && typeof path[1] === 'number') return { text: `Edge #${path[1] + 1}` };
  if (path[0] === 'groups' && typeof path[1] === 'number') return { text: `Group #${path[1] + 1}` };
  if (path[0] === 'training') return { text: 'The training settings' };
  return { text: 'The graph' };
}

/** Canonical JSON text of a document (stable key order, two-space indent). */
export function saveDocument(doc: GraphDocument): string {
  const ordered: GraphDocument = {
    format: FORMAT,
    version: CURRENT_VERSION,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    nodes: doc.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      // Always written, so a later version bump knows which migrations a file needs.
      typeVersion: n.typeVersion ?? 1,
      ...(n.label !== undefined ? { label: n.label } : {}),
      ...(n.group !== undefined ? { group: n.group } : {}),
      position: { x: n.position.x, y: n.position.y },
      params: { ...n.params },
    })),
    edges: doc.edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourcePort,
      target: e.target,
      targetPort: e.targetPort,
    })),
    ...(doc.groups && doc.groups.length ? { groups: doc.groups } : {}),
    ...(doc.training ? { training: doc.training } : {}),
    ...(doc.lesson ? { lesson: doc.lesson } : {}),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

export function emptyDocument(name = 'Untitled'): GraphDocument {
  return { format: FORMAT, version: CURRENT_VERSION, name, nodes: [], edges: [] };
}
