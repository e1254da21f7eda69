/** Benchmarks of the other parts, run after the training figures. */
import type { SuiteOptions } from './suite';
import type { ThroughputRow } from './training';

export const extraBenchmarks: Array<[string, (opts: SuiteOptions) => Promise<ThroughputRow[]>]> = [
  ['scattering forward', async (o) => (await import('./scattering')).scatteringBenchRows(o)],
  ['training scattering-lista and rainbow', async (o) => {
    const { templateThroughput } = await import('./training');
    const steps = o.quick ? 4 : 12;
    const rows: ThroughputRow[] = [];
    for (const t of ['scattering-lista.json', 'rainbow.json']) {
      const v = await templateThroughput(t, 'wasm', steps);
      rows.push({ name: `train ${t}, Node wasm, batch 128`, value: v, unit: 'samples/s', note: 'head only: the wired scattering is computed once' });
    }
    return rows;
  }],
];
