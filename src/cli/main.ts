/**
 * `wavegraph <command>`: the headless side of Wavegraph. Each command lives in
 * src/cli/commands/<name>.ts and returns an exit status; usage errors and
 * diagnostics print as one paragraph, never as a stack trace.
 */
import { processIO, UsageError, type CliIO, type Command } from './io';

const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  validate: { summary: "check a graph and print each node's output shape", load: () => import('./commands/validate') },
  train: { summary: 'train a graph on a dataset', load: () => import('./commands/train') },
  bench: { summary: 'print performance figures', load: () => import('./commands/bench') },
  scatter: {
    summary: 'scattering coefficients of a .npy image stack (Kymatio layout)',
    load: () => import('./commands/scatter'),
  },
  token: { summary: 'print a signed room token for the collaboration server', load: () => import('./commands/token') },
  resample: {
    summary: 'accuracy of networks redrawn from learned covariances',
    load: () => import('./commands/resample'),
  },
  spectrum: { summary: "eigenvalues of a layer's weight covariance", load: () => import('./commands/spectrum') },
  gaussianity: {
    summary: 'are the learned weights Gaussian? kurtosis, QQ and spectrum per layer',
    load: () => import('./commands/gaussianity'),
  },
  compare: {
    summary: 'train graphs side by side (A/B) with the same seed and data order',
    load: () => import('./commands/compare'),
  },
  probe: {
    summary: 'deformation stability (D_f, G_f, R_f) of a network, per layer',
    load: () => import('./commands/probe'),
  },
  synthesize: {
    summary: "maximum-entropy samples matching a target's statistics (Ising, turbulence, .npy)",
    load: () => import('./commands/synthesize'),
  },
  sweep: {
    summary: 'train at several widths: train and test error against parameters',
    load: () => import('./commands/sweep'),
  },
  jamming: {
    summary: 'hinge-loss width sweep at several P: N*, phase diagram, double descent, ensembles',
    load: () => import('./commands/jamming'),
  },
  lazy: {
    summary: 'feature against lazy training: test error and weight change against the output scale alpha',
    load: () => import('./commands/lazy'),
  },
  'stability-vs-error': {
    summary: 'train several graphs, probe each: test error against relative stability R_f',
    load: () => import('./commands/stability-vs-error'),
  },
  export: {
    summary: 'write a graph as PyTorch code (torchrun/DDP) or as an ONNX model',
    load: () => import('./commands/export'),
  },
};

function usage(): string {
  // Names padded to the longest, so every summary starts in the same column.
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: wavegraph <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "wavegraph <command> --help" for its options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 1;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 1;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`wavegraph ${name}: ${e.message}`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`wavegraph ${name} failed: ${message}`);
    if (process.env.WAVEGRAPH_DEBUG && e instanceof Error) io.err(e.stack ?? '');
    return 1;
  }
}

// Run directly (`npx tsx src/cli/main.ts ...`); bin/wavegraph.js calls main() itself.
const isEntry = Boolean(process.argv[1] && /[\\/]src[\\/]cli[\\/]main\.ts$/.test(process.argv[1]));
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`wavegraph: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
