#!/usr/bin/env node
// The `wavegraph` command: runs the TypeScript CLI through tsx, no build step needed.
// Commands whose whole run is short enough for tsx's start to show (scatter: about
// 0.5 s of a few seconds) run from a cached bundle of the same sources instead
// (bin/bundle.js); anything wrong with the bundle falls back to tsx.
const argv = process.argv.slice(2);
const BUNDLED = new Set(['scatter']);

async function loadMain() {
  if (BUNDLED.has(argv[0]) && process.env.WAVEGRAPH_NO_BUNDLE !== '1') {
    try {
      const { bundleModule } = await import('./bundle.js');
      const { fileURLToPath } = await import('node:url');
      const { dirname, join } = await import('node:path');
      const url = await bundleModule(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.ts'));
      return (await import(url)).main;
    } catch {
      // no esbuild, a failed build or an unwritable cache: the sources through tsx
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
process.exit(await main(argv));
