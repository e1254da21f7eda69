/**
 * Running node definitions in tests without the compiler: resolve params, infer
 * shapes, lower with a minimal context whose variables are plain tf.variables.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { AnyNodeDefinition, LowerContext, Tensor, TensorSpec, Variable } from '../../nodes/types';
import { seededRandom } from '../../nodes/math/random';

export { tf };

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to start`);
  await tf.ready();
}

let unique = 0;

export interface TestContext extends LowerContext {
  variables: Map<string, { v: Variable; role?: string; trainable: boolean }>;
}

export function makeContext(nodeId = 'n', seed = 1): TestContext {
  const variables: TestContext['variables'] = new Map();
  return {
    tf,
    nodeId,
    backend: tf.getBackend(),
    inputsNeedGradient: true,
    random: seededRandom(seed),
    readout: () => {},
    variables,
    variable(name, _shape, init, opts) {
      const v = tf.variable(init(), opts.trainable, `${nodeId}/${name}#${unique++}`);
      variables.set(name, { v, role: opts.role, trainable: opts.trainable });
      return v;
    },
  };
}

export function fullParams(def: AnyNodeDefinition, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(def.params)) out[k] = params[k] ?? s.default;
  return out;
}

/** Infer and lower one node with a single input port "in"; throws on diagnostics. */
export function build(def: AnyNodeDefinition, params: Record<string, unknown>, input: TensorSpec, ctx = makeContext()) {
  const p = fullParams(def, params);
  const res = def.inferShape(p as never, { in: [input] }, { nodeId: ctx.nodeId });
  if (!res.ok) throw new Error(res.diagnostics.map((d) => d.message).join('; '));
  const node = def.lower({ params: p as never, inputs: { in: [input] }, outputs: res.outputs, ctx });
  const apply = (x: Tensor): Tensor => node.apply({ in: [x] }, { training: false, step: 0 }).out;
  return { apply, out: res.outputs.out, paramCount: res.paramCount, ctx };
}

/** Deterministic pseudo-random images in [0, 1). */
export function images(n: number, seed = 7): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r.next());
}
