/**
 * `npm run bench`: every performance figure the issues ask for, printed as a table.
 * Benchmarks print numbers; they do not pass or fail.
 */
import { cliEpoch, load } from './cli';
import { pytorchThroughput, templateThroughput, type ThroughputRow } from './training';

export interface SuiteOptions {
  quick?: boolean;
  log?: (s: string) => void;
}

export async function runBenchmarks(opts: SuiteOptions = {}): Promise<ThroughputRow[]> {
  const log = opts.log ?? (() => {});
  const rows: ThroughputRow[] = [];
  const steps = opts.quick ? 4 : 12;

  log('training templates/cnn.json (wasm)...');
  const cnn = await templateThroughput('cnn.json', 'wasm', steps);
  rows.push({
    name: 'train cnn.json, Node wasm, batch 128 (inner loop)',
    value: cnn,
    unit: 'samples/s',
    note: `load ${load()}`,
  });
  // What a user gets: the command's own epoch rate, one process per figure.
  const limit = opts.quick ? 6400 : undefined;
  const what = limit ? `first ${limit} Fashion-MNIST images` : 'whole Fashion-MNIST epoch';
  const cli: Record<number, number> = {};
  for (const workers of [1, 2]) {
    log(`wavegraph train templates/cnn.json --workers ${workers} (${what})...`);
    const r = cliEpoch(workers, limit);
    cli[workers] = r.samplesPerSec;
    rows.push({
      name: `wavegraph train cnn.json --workers ${workers}, epoch rate`,
      value: r.samplesPerSec,
      unit: 'samples/s',
      note: `${what}, test acc ${(100 * r.testAcc).toFixed(1)}%, process ${r.figure.wallSeconds.toFixed(1)} s${r.figure.cpuSeconds ? ` (${r.figure.cpuSeconds.toFixed(1)} CPU-s)` : ''}, load ${r.figure.load}`,
    });
  }
  rows.push({
    name: 'ratio command --workers 1 / inner loop (cnn)',
    value: cli[1] / cnn,
    unit: 'x',
    note: 'target >= 0.85',
  });
  log('training the same CNN in PyTorch...');
  const torch = pytorchThroughput(2, opts.quick ? 5 : 20);
  if (torch.value) {
    rows.push({
      name: 'train same CNN, PyTorch CPU',
      value: torch.value,
      unit: 'samples/s',
      note: `${torch.note}, load ${load()}`,
    });
    rows.push({
      name: 'ratio Wavegraph / PyTorch (cnn, inner loop)',
      value: cnn / torch.value,
      unit: 'x',
      note: 'target >= 0.3',
    });
    rows.push({
      name: 'ratio wavegraph train --workers 2 / PyTorch',
      value: cli[2] / torch.value,
      unit: 'x',
      note: 'goal >= 0.6',
    });
  } else {
    rows.push({ name: 'train same CNN, PyTorch CPU', value: NaN, unit: 'samples/s', note: torch.note });
  }
  for (const extra of await optionalSuites(opts)) rows.push(...extra);
  return rows;
}

/** Suites of other parts (scattering, sparse coding, collaboration), when present. */
async function optionalSuites(opts: SuiteOptions): Promise<ThroughputRow[][]> {
  const out: ThroughputRow[][] = [];
  const { extraBenchmarks } = await import('./extra');
  for (const [name, run] of extraBenchmarks) {
    opts.log?.(`${name}...`);
    try {
      out.push(await run(opts));
    } catch (e) {
      // one part failing must not lose the figures of the others
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      opts.log?.(`${name} failed: ${why}`);
      out.push([{ name, value: NaN, unit: '', note: `failed: ${why}` }]);
    }
  }
  return out;
}

export function printTable(rows: ThroughputRow[], print: (s: string) => void): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const v = Number.isFinite(r.value)
      ? r.unit === 'x'
        ? r.value.toFixed(2)
        : r.value.toFixed(r.value < 100 ? 1 : 0)
      : 'n/a';
    print(`${r.name.padEnd(w)}  ${v.padStart(9)} ${r.unit}${r.note ? `   (${r.note})` : ''}`);
  }
}
