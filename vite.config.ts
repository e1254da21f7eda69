import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/** Cross-origin isolation lets the WASM backend use its threaded binary. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The threaded WASM backend starts its helper threads from the source text of its
 * module factory (Function.toString), so the factory must not read a variable of the
 * scope around it. It reads one, _scriptDir, behind a typeof guard that minification
 * drops once it has renamed the variable: every helper thread then failed with
 * "e is not defined". The backend locates its files itself, so both reads become
 * constants before bundling.
 */
function selfContainedWasmThreads(): Plugin {
  const guard = 'typeof _scriptDir !== "undefined" && _scriptDir';
  const fallback = 'Module["mainScriptUrlOrBlob"]||_scriptDir';
  return {
    name: 'wavegraph-self-contained-wasm-threads',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id)) return null;
      if (!code.includes(guard) || !code.includes(fallback))
        this.warn('the threaded WASM factory changed: check that its helper threads still start once minified');
      return { code: code.replace(guard, 'false').replace(fallback, 'Module["mainScriptUrlOrBlob"]'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react(), selfContainedWasmThreads()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es', plugins: () => [selfContainedWasmThreads()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  test: {
    include: [
      'tests/**/*.test.ts',
      'document/**/*.test.ts',
      'nodes/**/*.test.ts',
      'compiler/**/*.test.ts',
      'src/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
