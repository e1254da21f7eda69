/**
 * Small pure helpers that node declarations share when inferring shapes and when
 * lowering to TensorFlow.js.
 */
import { diag, type Diagnostic } from '../document/diagnostics';
import type { InferContext, InferResult, PortKind, TensorSpec } from './types';

export function fail(...diagnostics: Diagnostic[]): InferResult {
  return { ok: false, diagnostics };
}

export function ok(
  outputs: Record<string, TensorSpec>,
  paramCount?: { trainable: number; fixed: number },
): InferResult {
  return paramCount ? { ok: true, outputs, paramCount } : { ok: true, outputs };
}

export function shapeText(s: TensorSpec): string {
  return `${s.kind} [${s.shape.join(' x ')}]`;
}

/** The one spec on a single-input port, or a diagnostic. */
export function one(
  inputs: Record<string, TensorSpec[]>,
  port: string,
  ctx: InferContext,
  title: string,
): TensorSpec | Diagnostic {
  const specs = inputs[port];
  if (!specs || specs.length === 0) {
    return diag('unconnected-input', `input "${port}" is not connected.`, {
      nodeId: ctx.nodeId,
      nodeTitle: title,
      port,
      fix: `Drag an edge from an output into "${port}".`,
    });
  }
  return specs[0];
}

export function isDiagnostic(x: unknown): x is Diagnostic {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

export function expectRank(
  spec: TensorSpec,
  rank: number,
  ctx: InferContext,
  title: string,
  port: string,
  fix: string,
): Diagnostic | undefined {
  if (spec.shape.length === rank) return undefined;
  return diag(
    'shape-mismatch',
    `input "${port}" receives ${shapeText(spec)}, but ${title} needs a rank-${rank} tensor.`,
    {
      nodeId: ctx.nodeId,
      nodeTitle: title,
      port,
      fix,
    },
  );
}

export function expectKind(
  spec: TensorSpec,
  kinds: PortKind[],
  ctx: InferContext,
  title: string,
  port: string,
  fix: string,
) {
  if (kinds.includes(spec.kind)) return undefined;
  return diag(
    'port-kind-mismatch',
    `input "${port}" receives a ${spec.kind}, but ${title} takes ${kinds.join(' or ')}.`,
    {
      nodeId: ctx.nodeId,
      nodeTitle: title,
      port,
      fix,
    },
  );
}

/** Output length of a window op along one axis, TensorFlow's rules. */
export function windowOut(n: number, k: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - k) / stride) + 1;
}

/** Padding TensorFlow applies for 'same' (before, after) along one axis. */
export function samePad(n: number, k: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + k - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function product(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}
