/**
 * Problems are values. Every stage of the compiler returns diagnostics instead of
 * throwing, so the canvas can pin each one on the node or port it belongs to and the
 * command-line tool can print it as one readable paragraph.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes: tests, the UI and scripts may match on them; never renumber. */
export type DiagnosticCode =
  | 'malformed-json'
  | 'bad-document'
  | 'future-version'
  | 'unknown-node-type'
  | 'duplicate-id'
  | 'bad-param'
  | 'unknown-port'
  | 'dangling-edge'
  | 'port-kind-mismatch'
  | 'input-port-taken'
  | 'unconnected-input'
  | 'cycle'
  | 'no-input-node'
  | 'too-many-input-nodes'
  | 'no-loss-node'
  | 'too-many-loss-nodes'
  | 'unreachable-node'
  | 'shape-mismatch'
  | 'dataset-mismatch'
  | 'dataset-missing'
  | 'bad-dataset'
  | 'backend-unavailable'
  | 'non-finite-loss'
  | 'weights-mismatch'
  | 'lower-failed'
  | 'bad-argument'
  | 'worker-failed'
  | 'memory-budget'
  | 'mixed-goals'
  | 'too-many-moments-nodes'
  | 'statistics-model'
  | 'synthesis-diverged'
  | 'bad-target'
  | 'bad-lesson';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** One or two sentences a student understands: what is wrong. */
  message: string;
  /** How to fix it, when there is an obvious fix. */
  fix?: string;
  nodeId?: string;
  /** Title of the node type, so a message can say "conv1 (Conv2D)". */
  nodeTitle?: string;
  port?: string;
  edgeId?: string;
  /** A parameter name, for bad-param. */
  param?: string;
}

export function diag(
  code: DiagnosticCode,
  message: string,
  where: Omit<Diagnostic, 'code' | 'message' | 'severity'> & { severity?: Severity } = {},
): Diagnostic {
  const { severity = 'error', ...rest } = where;
  return { code, severity, message, ...rest };
}

/** A value as JSON, cut short: a diagnostic quotes what it found without growing with it. */
export function brief(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list' : typeof value;
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** "Node conv1 (Conv2D), port in: message Fix: ..." on one paragraph. */
export function formatDiagnostic(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.nodeId) {
    let where = `Node "${d.nodeId}"`;
    if (d.nodeTitle) where += ` (${d.nodeTitle})`;
    if (d.port) where += `, port "${d.port}"`;
    if (d.param) where += `, parameter "${d.param}"`;
    parts.push(`${where}: ${d.message}`);
  } else if (d.edgeId) {
    parts.push(`Edge "${d.edgeId}": ${d.message}`);
  } else {
    parts.push(d.message);
  }
  if (d.fix) parts.push(`Fix: ${d.fix}`);
  const tag = d.severity === 'error' ? 'error' : d.severity;
  return `${tag} [${d.code}] ${parts.join(' ')}`;
}
