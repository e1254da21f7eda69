/** Benchmarks of the other parts, run after the training figures. */
import type { SuiteOptions } from './suite';
import type { ThroughputRow } from './training';

export const extraBenchmarks: Array<[string, (opts: SuiteOptions) => Promise<ThroughputRow[]>]> = [
  [
    'scattering forward, and wavegraph scatter as a whole process',
    async (o) => {
      const s = await import('./scattering');
      const compute = await s.benchScattering(o);
      return [...s.scatteringRows(compute), ...(await s.scatterCommandRows(compute))];
    },
  ],
  [
    'training scattering-lista, rainbow and learned-first-layer',
    async (o) => {
      const { templateThroughput } = await import('./training');
      const steps = o.quick ? 4 : 12;
      const rows: ThroughputRow[] = [];
      for (const t of ['scattering-lista.json', 'rainbow.json']) {
        const v = await templateThroughput(t, 'wasm', steps);
        rows.push({
          name: `train ${t}, Node wasm, batch 128`,
          value: v,
          unit: 'samples/s',
          note: 'head only: the wired scattering is computed once',
        });
      }
      // Before and after, in the same run: every filter through DFT matrices; the learned
      // compact filters as spatial convolutions (compact-conv-ops.ts); and the wired wavelets
      // and low-pass that run after them as fixed real matrices (fixed-filter-ops.ts) too.
      // The changes outside those two switches (Modulus and ScatteringMerge without splits,
      // the modulus gradient without tf.divNoNan, the WASM Slice of src/platform) speed up
      // every row, so the "before" row runs faster than the original DFT path did and the
      // ratio understates the whole gain.
      const { load } = await import('./cli');
      const { spawnSync } = await import('node:child_process');
      const learned: Array<{ wall: number; cpu: number }> = [];
      for (const [label, compact, fixed] of [
        ['before: DFT matrices', false, false],
        ['learned filters as spatial convolutions', true, false],
        ['after: and the wired filters as fixed matrices', true, true],
      ] as const) {
        // each in a process of its own, as a user's run is
        const args = ['--import', 'tsx', 'bench/learned-variant.ts', compact ? '1' : '0', fixed ? '1' : '0'];
        const p = spawnSync(process.execPath, [...args, String(o.quick ? 2 : 6)], { encoding: 'utf8' });
        if (p.status !== 0)
          throw new Error(`learned-first-layer (${label}) failed: ${p.stderr.trim().split('\n').pop()}`);
        const r = JSON.parse(p.stdout.trim().split('\n').pop()!) as { wall: number; cpu: number };
        learned.push(r);
        rows.push({
          name: `train learned-first-layer.json, ${label}`,
          value: r.wall,
          unit: 'samples/s',
          note: `${r.cpu.toFixed(0)} per CPU-second; the whole scattering, forward and backward, every step; load ${load()}`,
        });
      }
      const [b, , a] = learned;
      // What a user gets: the command, on every core, as a whole process (start, data,
      // front end, workers, the epoch, the test set).
      const { cliEpoch } = await import('./cli');
      const limit = o.quick ? 4096 : undefined;
      const cli = cliEpoch(2, limit, 'learned-first-layer.json');
      rows.push({
        name: `wavegraph train learned-first-layer.json --workers 2, ${limit ? `first ${limit} images` : 'whole Fashion-MNIST epoch'}`,
        value: cli.figure.wallSeconds,
        unit: 's',
        note: `whole process; epoch ${cli.seconds.toFixed(1)} s at ${cli.samplesPerSec.toFixed(0)} samples/s, test acc ${(100 * cli.testAcc).toFixed(1)}%${cli.figure.cpuSeconds ? `, ${cli.figure.cpuSeconds.toFixed(1)} CPU-s` : ''}, load ${cli.figure.load}`,
      });
      rows.push({
        name: 'ratio learned-first-layer after / before',
        value: a.wall / b.wall,
        unit: 'x',
        note: `per CPU-second ${(a.cpu / b.cpu).toFixed(2)}x; target >= 5 against the original DFT path, which did without the Modulus, ScatteringMerge and Slice speed-ups that both rows here have`,
      });
      return rows;
    },
  ],
  [
    'editor in the real browser (300-node graph)',
    async () => {
      const { runEditorBench } = await import('./editor');
      const r = await runEditorBench();
      const drag = (d: typeof r.drag300, where: string): ThroughputRow[] => [
        {
          name: `drag a node, ${where}: frames under 16 ms`,
          value: d.workUnder16Fraction * 100,
          unit: '%',
          note: `target >= 95; ${d.frames} frames in ${d.perDragUnder16.length} drags (${d.perDragUnder16.map((x) => (x * 100).toFixed(1)).join(' / ')}%; first drag ${(d.firstDragUnder16 * 100).toFixed(1)}%, not pooled), ${d.nodesInView} nodes drawn, zoom ${d.zoom}`,
        },
        {
          name: `drag a node, ${where}: frame work p95`,
          value: d.workP95Ms,
          unit: 'ms',
          note: `median ${d.workMedianMs} ms`,
        },
        {
          name: `drag a node, ${where}: frames on time (60 Hz)`,
          value: d.rafOnTimeFraction * 100,
          unit: '%',
          note: `frame interval p95 ${d.rafIntervalP95Ms} ms`,
        },
      ];
      return [
        {
          name: 'editor time to interactive (localhost)',
          value: r.timeToInteractiveMs,
          unit: 'ms',
          note: 'target < 2000',
        },
        {
          name: 'validate + infer shapes, 300 nodes, p95',
          value: r.analyze300.p95Ms,
          unit: 'ms',
          note: `target < 5; median ${r.analyze300.medianMs} ms; first call ${r.analyze300.firstMs} ms; right after opening the graph p95 ${r.analyze300.whileDrawingP95Ms} ms`,
        },
        ...drag(r.drag300, 'zoom 1'),
        ...drag(r.drag300ZoomedOut, 'all 300 in view'),
        ...drag(r.drag300ToEdge, 'zoom 1, to the top edge (the view pans along)'),
      ];
    },
  ],
  [
    'collaboration server on loopback',
    async () => {
      const { benchCollab } = await import('./collab');
      const r = await benchCollab();
      return [
        {
          name: `collab edit latency p95, ${r.clients} clients`,
          value: r.latencyMs.p95,
          unit: 'ms',
          note: `p50 ${r.latencyMs.p50} ms, max ${r.latencyMs.max} ms, load ${r.load.average} on ${r.load.cores} cores`,
        },
        { name: 'collab server memory per open document', value: r.memoryPerDocumentKiB, unit: 'KiB' },
      ];
    },
  ],
  [
    'wavegraph synthesize, one 128 x 128 sample under the phase-harmonic template',
    async (o) => {
      const { timeCommand } = await import('./cli');
      const rows: ThroughputRow[] = [];
      // the README's commands as typed (less --out and --figure), one whole process each
      for (const target of o.quick ? ['turbulence'] : ['ising', 'turbulence']) {
        const steps = o.quick ? 30 : 300;
        const f = timeCommand([
          'synthesize',
          'templates/synthesis-phase-harmonics.json',
          '--target',
          target,
          '--size',
          '128',
          '--steps',
          String(steps),
          '--seed',
          '1',
        ]);
        const synth = /steps in ([\d.]+) s/.exec(f.stdout)?.[1];
        const claim = /^claim \([^)]*\): (.*)$/m.exec(f.stdout)?.[1] ?? '?';
        rows.push({
          name: `wavegraph synthesize --target ${target} --size 128 --steps ${steps}, whole process`,
          value: f.wallSeconds,
          unit: 's',
          note: `target < 120; synthesis ${synth ?? '?'} s${f.cpuSeconds ? `, ${f.cpuSeconds.toFixed(1)} CPU-s` : ''}; claim ${claim}; load ${f.load}`,
        });
      }
      return rows;
    },
  ],
];
