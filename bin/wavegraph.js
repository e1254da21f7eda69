#!/usr/bin/env node
// The `wavegraph` command: runs the TypeScript CLI through tsx, no build step needed.
// Commands whose figures a user times run from a cached bundle of the same sources
// instead (bin/bundle.js): tsx's start is about 0.5 s of scatter's few seconds, and
// 1.1 s of a core before train reads its data. Anything wrong with the bundle falls
// back to tsx.
const argv = process.argv.slice(2);
const BUNDLED = new Set(['scatter', 'train']);

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
