/// <reference types="vite/client" />
/**
 * TensorFlow.js in the browser (main thread or a worker): pick the fastest backend
 * that actually initializes, in the order WebGPU, WebGL, WASM, CPU, and say why each
 * faster one was skipped. `setBackend` fails in two ways: it throws when the backend
 * never registered (no navigator.gpu, say) and resolves false when initialization
 * fails (a null WebGPU adapter); both count as a fallback with a reason.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { TrainPlatform } from '../../compiler/4-train';
import { improveWasmKernels } from './wasm-kernels';

improveWasmKernels(tf);

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export interface Fallback {
  backend: string;
  reason: string;
}

export interface BrowserBackendChoice {
  ok: boolean;
  backend: string;
  /** One entry per backend tried before the chosen one (or all, when none worked). */
  fallbacks: Fallback[];
}

let wasmPathsSet = false;

/**
 * Vite hashes and serves the .wasm binaries; without explicit paths the backend looks
 * beside the bundle. On a cross-origin isolated page (the server sends the headers) the
 * threaded SIMD binary runs: its helper threads load the module factory from a blob
 * (the CSP allows blob: scripts for this) and vite.config.ts keeps that factory
 * self-contained through minification. TensorFlow.js 4.22 sizes its thread pool itself
 * from the logical cores (about half of them): on a 2-core machine that is one thread,
 * and asking for more with setThreadsCount changed nothing there.
 */
function prepareWasm(): void {
  if (wasmPathsSet) return;
  if (!globalThis.crossOriginIsolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  wasmPathsSet = true;
}

/** How the WASM backend computes: the threaded binary or not, and on how many threads. */
export async function wasmThreads(): Promise<{ threaded: boolean; threads: number } | undefined> {
  if (tf.getBackend() !== 'wasm') return undefined;
  return { threaded: !!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')), threads: getThreadsCount() };
}

function describe(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (/reading 'features'|adapter/i.test(text))
    return 'no WebGPU adapter (the GPU or driver is not available to the browser)';
  if (/not found in registry/i.test(text)) return 'not supported by this browser';
  return text;
}

/** Why a backend cannot even be attempted, before calling setBackend. */
function precheck(name: string): string | undefined {
  if (name === 'webgpu' && !(globalThis.navigator as Navigator & { gpu?: unknown })?.gpu)
    return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  if (!tf.engine().registryFactory[name]) return 'not supported by this browser';
  return undefined;
}

/**
 * Initialize `forced` only, or the first of BROWSER_BACKENDS that works. A forced
 * backend that fails is reported as such, with no silent fallback.
 */
export async function initBrowserBackend(forced?: string): Promise<BrowserBackendChoice> {
  const order = forced && forced !== 'auto' ? [forced] : [...BROWSER_BACKENDS];
  const fallbacks: Fallback[] = [];
  for (const name of order) {
    const skip = precheck(name);
    if (skip) {
      fallbacks.push({ backend: name, reason: skip });
      continue;
    }
    try {
      if (name === 'wasm') prepareWasm();
      const ok = await tf.setBackend(name);
      if (ok) {
        await tf.ready();
        return { ok: true, backend: tf.getBackend(), fallbacks };
      }
      fallbacks.push({
        backend: name,
        reason:
          name === 'webgpu'
            ? 'no WebGPU adapter (the GPU or driver is not available to the browser)'
            : 'failed to initialize',
      });
    } catch (e) {
      fallbacks.push({ backend: name, reason: describe(e) });
    }
  }
  return { ok: false, backend: 'none', fallbacks };
}

/** Yield with a macrotask: unlike requestAnimationFrame it also runs in workers and hidden tabs. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export const browserPlatform: TrainPlatform = {
  now: () => performance.now(),
  yield: macrotask,
};

export { tf };
