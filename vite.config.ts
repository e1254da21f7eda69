import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** Cross-origin isolation lets the WASM backend use its threaded binary. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
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
