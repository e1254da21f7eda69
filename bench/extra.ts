/** Benchmarks of the other parts, run after the training figures. */
import type { SuiteOptions } from './suite';
import type { ThroughputRow } from './training';

export const extraBenchmarks: Array<[string, (opts: SuiteOptions) => Promise<ThroughputRow[]>]> = [
  ['scattering forward', async (o) => (await import('./scattering')).scatteringBenchRows(o)],
];
