/**
 * TensorFlow.js in Node without native bindings: the WASM backend (SIMD, one thread)
 * when it initializes, else the pure-JS CPU backend. `--backend` forces one.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { TrainPlatform } from '../../compiler/4-train';
import { improveWasmKernels } from './wasm-kernels';

improveWasmKernels(tf);

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;

export interface BackendChoice {
  ok: boolean;
  backend: string;
  /** Why a backend was skipped or refused. */
  notes: string[];
}

/** Pick the fastest available backend, or the requested one. */
export async function initBackend(requested?: string): Promise<BackendChoice> {
  const notes: string[] = [];
  const order = requested ? [requested] : [...NODE_BACKENDS];
  for (const name of order) {
    if (!tf.engine().registryFactory[name]) {
      notes.push(`backend "${name}" is not available in Node (available: ${NODE_BACKENDS.join(', ')})`);
      continue;
    }
    try {
      // The CPU backend prints an advert for native bindings (unusable here) unless
      // it believes it runs under test; the flag is restored right after.
      tf.env().set('IS_TEST', true);
      const ok = await tf.setBackend(name);
      if (ok) tf.scalar(0).dispose(); // the advert prints on the first tensor
      tf.env().set('IS_TEST', false);
      if (ok) {
        await tf.ready();
        return { ok: true, backend: tf.getBackend(), notes };
      }
      notes.push(`backend "${name}" failed to initialize`);
    } catch (e) {
      notes.push(`backend "${name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { ok: false, backend: tf.getBackend() ?? 'none', notes };
}

export const nodePlatform: TrainPlatform = {
  now: () => performance.now(),
  yield: () => new Promise((resolve) => setImmediate(resolve)),
};

export { tf };
