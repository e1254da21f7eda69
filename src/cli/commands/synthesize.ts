/**
 * `wavegraph synthesize <stats-graph.json> --target ising|turbulence|FILE.npy ...`:
 * draw maximum-entropy samples whose moments under a statistics graph match a
 * target's, beside the Gaussian model with the same power spectrum, and print how
 * well each reproduces statistics that were not fitted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatDiagnostic } from '../../../compiler';
import { writeNpy } from '../../data/npy';
import { DataFormatError } from '../../data/errors';
import { encodePng } from '../../platform/png-node';
import { tf } from '../../platform/tf-node';
import { synthesize } from '../../synthesis/engine';
import { sideBySide } from '../../synthesis/figure';
import { gaussianSamples } from '../../synthesis/gaussian';
import { BUILT_IN_TARGETS, generatedTarget, npyTarget, type TargetFields } from '../../synthesis/targets';
import {
  checkClaim,
  CLAIM,
  compareToTarget,
  LAGS,
  noPowerAllowance,
  targetHasNoPower,
  type KsReport,
  type ModelReport,
} from '../../synthesis/validation';
import { loadGraphFile } from '../graph-file';
import { flagBool, flagNumber, flagString, parseArgs, UsageError, type CliIO } from '../io';
import { chooseBackend } from '../train-setup';

const HELP = `Usage: wavegraph synthesize <stats-graph.json> --target ising|turbulence|FILE.npy [options]
  Start from white noise and move the pixels until the graph's moments (its Moments node)
  match the target's; compare with the Gaussian model (same power spectrum, random phases).
  --size N          field side (default 128; a .npy target is cropped to its centre)
  --samples K       samples drawn at once (default 1)
  --steps S         optimizer steps (default 100)
  --seed X          seed of the target, the noise and the Gaussian phases (default 0)
  --noise-seed X    seed of the starting noise and the Gaussian phases alone (default --seed):
                    other samples of the same target
  --optimizer lbfgs|adam   (default lbfgs)   --lr R   Adam's step (default 0.05)
  --out FILE.npy    samples as float32 [K, N, N]
  --gaussian-out FILE.npy  the Gaussian samples
  --figure FILE.png target, Gaussian and maximum-entropy sample side by side
  --reference K     (ising, turbulence) also draw K independent realizations of the target's
                    process (seeds X+1 … X+K) and print their distances to the target: what
                    true samples score, the sampling floor of one field's histograms
  --backend wasm|cpu   --json   print one JSON object`;

function loadTarget(spec: string, size: number | undefined, seed: number): TargetFields {
  if ((BUILT_IN_TARGETS as readonly string[]).includes(spec))
    return generatedTarget(spec as 'ising' | 'turbulence', size ?? 128, 1, seed);
  if (!spec.endsWith('.npy')) throw new UsageError(`--target must be ising, turbulence or a .npy file, got "${spec}".`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(spec);
  } catch {
    throw new UsageError(`cannot open the target "${spec}".`);
  }
  return npyTarget(bytes, spec, size);
}

const fmt = (v: number) => v.toFixed(3);

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const json = flagBool(p, 'json');
  const targetSpec = flagString(p, 'target');
  if (!targetSpec) throw new UsageError('give a target: --target ising, --target turbulence or --target FILE.npy.');
  const size = flagNumber(p, 'size', { int: true, min: 2, max: 1024 });
  const samples = flagNumber(p, 'samples', { int: true, min: 1, max: 64 }) ?? 1;
  const steps = flagNumber(p, 'steps', { int: true, min: 0, max: 100000 }) ?? 100;
  const seed = flagNumber(p, 'seed', { int: true }) ?? 0;
  const noiseSeed = flagNumber(p, 'noise-seed', { int: true }) ?? seed;
  const optimizer = flagString(p, 'optimizer') ?? 'lbfgs';
  if (optimizer !== 'lbfgs' && optimizer !== 'adam')
    throw new UsageError(`--optimizer must be lbfgs or adam, got "${optimizer}".`);
  const learningRate = flagNumber(p, 'lr', { min: 0 });
  const referenceCount = flagNumber(p, 'reference', { int: true, min: 0, max: 16 }) ?? 0;
  const builtIn = (BUILT_IN_TARGETS as readonly string[]).includes(targetSpec);
  if (referenceCount > 0 && !builtIn)
    throw new UsageError(
      '--reference draws more realizations of a built-in target: use it with --target ising or turbulence.',
    );
  const g = loadGraphFile(p.positional[0], io, { partial: true });
  if (!g) return 1;
  if (!(await chooseBackend(flagString(p, 'backend'), io))) return 1;

  const t0 = performance.now();
  let target: TargetFields;
  try {
    target = loadTarget(targetSpec, size, seed);
  } catch (e) {
    if (e instanceof DataFormatError) {
      io.err(`error [bad-target] ${e.message}.`);
      return 1;
    }
    throw e;
  }
  const targetSeconds = (performance.now() - t0) / 1000;
  const { n } = target;
  if (!json) io.out(`target: ${target.label}, made in ${targetSeconds.toFixed(1)} s`);

  const t1 = performance.now();
  const out = await synthesize(tf, g.doc, target.data, n, {
    samples,
    steps,
    seed: noiseSeed,
    optimizer,
    learningRate,
    onStep: (step, loss) => {
      if (!json && (step % 10 === 0 || step === steps))
        io.out(`step ${String(step).padStart(5)}  loss ${loss.toExponential(3)}`);
    },
  });
  if (!out.result) {
    // a size the wavelets cannot use says so in terms of the target
    for (const d of out.diagnostics) {
      const prefix =
        d.code === 'shape-mismatch' && d.nodeTitle === 'Wavelet convolution'
          ? `The ${n} x ${n} target does not fit this statistics graph. `
          : '';
      io.err(prefix + formatDiagnostic(d));
    }
    return 1;
  }
  const r = out.result;
  const seconds = (performance.now() - t1) / 1000;
  const gaussian = gaussianSamples(target.data, n, samples, noiseSeed ^ 0x2545f491);
  const reports: Record<string, ModelReport> = {
    gaussian: compareToTarget(gaussian, target.data, n),
    maxEntropy: compareToTarget(r.samples, target.data, n),
  };
  const targetSpectrum = compareToTarget(target.data, target.data, n).spectrum;
  const claim = checkClaim(reports.gaussian, reports.maxEntropy);
  // independent realizations of the built-in target's process: how far true samples are
  const reference = Array.from({ length: referenceCount }, (_, k) =>
    compareToTarget(generatedTarget(targetSpec as 'ising' | 'turbulence', n, 1, seed + 1 + k).data, target.data, n),
  );

  const outPath = flagString(p, 'out');
  if (outPath) writeFileSync(outPath, writeNpy(r.samples, [samples, n, n]));
  const gaussOut = flagString(p, 'gaussian-out');
  if (gaussOut) writeFileSync(gaussOut, writeNpy(gaussian, [samples, n, n]));
  const figure = flagString(p, 'figure');
  if (figure) {
    const f = sideBySide(
      [
        { data: target.data.subarray(0, n * n), size: n },
        { data: gaussian.subarray(0, n * n), size: n },
        { data: r.samples.subarray(0, n * n), size: n },
      ],
      n <= 128 ? 2 : 1,
    );
    writeFileSync(figure, encodePng(f.rgb, f.width, f.height));
  }

  if (json) {
    io.out(
      JSON.stringify({
        target: target.label,
        size: n,
        samples,
        steps: r.losses.length,
        seconds,
        targetSeconds,
        backend: tf.getBackend(),
        moments: r.moments,
        groups: r.groups,
        initialLoss: r.initialLoss,
        loss: r.losses.at(-1) ?? r.initialLoss,
        losses: r.losses,
        targetSpectrum,
        gaussian: reports.gaussian,
        maxEntropy: reports.maxEntropy,
        claim,
        ...(referenceCount ? { reference } : {}),
      }),
    );
    return 0;
  }
  io.out(
    `synthesis: ${r.moments} moments in ${r.groups.length} groups, ${samples} sample${samples > 1 ? 's' : ''} of ${n} x ${n}, ${r.losses.length} steps in ${seconds.toFixed(1)} s on ${tf.getBackend()}; loss ${r.initialLoss.toExponential(3)} -> ${(r.losses.at(-1) ?? r.initialLoss).toExponential(3)}`,
  );
  const row = (label: string, g: KsReport, m: KsReport, pick: (r: KsReport) => number, ratio = true) =>
    io.out(
      `  ${label.padEnd(22)}${fmt(pick(g)).padStart(10)}${fmt(pick(m)).padStart(13)}` +
        (ratio ? (pick(m) / pick(g)).toFixed(2).padStart(8) : ''),
    );
  const table = (g: KsReport, m: KsReport, ratio = true) => {
    row('values', g, m, (r) => r.ksValues, ratio);
    for (const lag of LAGS.filter((l) => l < n)) row(`increments, lag ${lag}`, g, m, (r) => r.ksIncrements[lag], ratio);
  };
  io.out(
    "validation on statistics not fitted: Kolmogorov-Smirnov distance between the sample's and the target's histograms, as they are (raw); lower is better",
  );
  io.out(`  ${''.padEnd(22)}${'Gaussian'.padStart(10)}${'max-entropy'.padStart(13)}${'ratio'.padStart(8)}`);
  table(reports.gaussian, reports.maxEntropy);
  if (reference.length) {
    const span = (pick: (r: KsReport) => number) => {
      const v = reference.map(pick);
      return `${fmt(Math.min(...v))}-${fmt(Math.max(...v))}`;
    };
    io.out(
      `  independent realizations of the target's process (${reference.length}, seeds ${seed + 1}-${seed + reference.length}), as far as true samples are: values ${span((r) => r.ksValues)}, ` +
        LAGS.filter((l) => l < n)
          .map((l) => `lag ${l} ${span((r) => r.ksIncrements[l])}`)
          .join(', '),
    );
  }
  const { floor, quantized: qm } = reports.maxEntropy;
  const qg = reports.gaussian.quantized;
  if (floor && qg && qm) {
    const f = (r: KsReport) => [r.ksValues, ...LAGS.filter((l) => l < n).map((l) => r.ksIncrements[l])].map(fmt);
    io.out(
      `  the target takes a few discrete values: no sample with continuous values gets a raw distance below half the heaviest atom (values, lags): ${f(floor).join(', ')}`,
    );
    io.out(
      "  so the claim reads both samples on the target's values (the bins of its histogram): the same distances after rounding each sample to the nearest of them",
    );
    table(qg, qm);
  }
  io.out(
    `claim (${claim.measure === 'raw' ? 'raw KS' : "KS on the target's values"} of max-entropy at most ${CLAIM.ksRatio} x the Gaussian's everywhere, both spectra within ${CLAIM.spectrumTolerance * 100}% at every octave): ${claim.met ? 'met' : 'not met'}` +
      (claim.met
        ? ''
        : ` (${[
            ...claim.ks.filter((r) => !r.met).map((r) => `${r.statistic} ratio ${r.ratio.toFixed(2)}`),
            ...(['gaussian', 'maxEntropy'] as const)
              .filter((k) => !claim.spectrum[k])
              .map(
                (k) =>
                  `${k === 'gaussian' ? 'Gaussian' : 'max-entropy'} spectrum off by more than ${CLAIM.spectrumTolerance * 100}%`,
              ),
          ].join('; ')})`),
  );
  io.out('power spectrum per octave of |k| (target, then each model as a ratio to it):');
  targetSpectrum.forEach((s, j) => {
    const band = (2 ** j >= n / 2 ? `  |k| >= ${n / 2} (corners)` : `  |k| in [${2 ** j}, ${2 ** (j + 1)})`).padEnd(24);
    if (targetHasNoPower(reports.gaussian, j)) {
      const e = (v: number) => v.toExponential(1);
      io.out(
        `${band}${s.toExponential(2).padStart(10)}  the target has no power here; the samples' power: ${e(reports.gaussian.spectrum[j])} Gaussian, ${e(reports.maxEntropy.spectrum[j])} max-entropy (at most ${e(noPowerAllowance(reports.gaussian))}: ${CLAIM.spectrumTolerance * 100}% of the target's faintest octave with power)`,
      );
      return;
    }
    io.out(
      `${band}${s.toExponential(2).padStart(10)}${fmt(reports.gaussian.spectrumRatio[j]).padStart(10)}${fmt(reports.maxEntropy.spectrumRatio[j]).padStart(13)}`,
    );
  });
  if (outPath) io.out(`wrote ${outPath} (float32 [${samples}, ${n}, ${n}])`);
  if (figure) io.out(`wrote ${figure} (target, Gaussian, maximum entropy)`);
  return 0;
}
