/**
 * Filter evolution of a run: a scrubber over the snapshots taken while it trained,
 * the filters in space and in Fourier, the learned-minus-wired difference for wavelet
 * nodes, and how wavelet-like each filter is against the white-noise baseline.
 */
import { useMemo, useState } from 'react';
import { fourierMagnitude, MAX_FILTERS } from '../../worker/inspect';
import type { Tiles } from '../inside/draw';
import { TileCanvas } from '../inside/TileCanvas';
import type { ViewProps } from './context';
import { RunChoice, Scrubber } from './RunScrubber';
import { download, stem, toJson } from './export';
import { LinePlot, type XY } from './LinePlot';

export function EvolutionView({ research }: ViewProps) {
  const runs = research.state.runs.filter((r) => r.evolution && r.evolution.banks.length);
  const [runId, setRunId] = useState('');
  const run = runs.find((r) => r.runId === runId) ?? runs.at(-1);
  const [bankId, setBankId] = useState('');
  const evo = run?.evolution;
  const bank = evo?.banks.find((b) => b.nodeId === bankId) ?? evo?.banks[0];
  const [index, setIndex] = useState<number | null>(null);
  const snaps = useMemo(() => evo?.snapshots ?? [], [evo]);
  const at = Math.min(index ?? snaps.length - 1, snaps.length - 1);
  const snap = snaps[at]?.banks.find((b) => b.nodeId === bank?.nodeId);

  const views = useMemo(() => {
    if (!bank || !snap) return undefined;
    const count = Math.min(bank.count, MAX_FILTERS);
    const taps = bank.h * bank.w;
    const tile = (data: Float32Array): Tiles => ({ data: data.subarray(0, count * taps), h: bank.h, w: bank.w, count });
    const f = fourierMagnitude(snap.re, snap.im, bank.h, bank.w, count);
    const diff = bank.wired
      ? Float32Array.from(snap.re.subarray(0, count * taps), (v, i) => v - bank.wired!.re[i])
      : undefined;
    return {
      re: tile(snap.re),
      im: snap.im ? tile(snap.im) : undefined,
      fourier: { data: f.data, h: f.side[0], w: f.side[1], count },
      diff: diff && tile(diff),
      wired: bank.wired && tile(bank.wired.re),
      count,
    };
  }, [bank, snap]);

  const trace = useMemo((): { likeness: XY[]; scores: XY[] } | undefined => {
    if (!bank || !snap) return undefined;
    const steps = snaps.map((s) => s.step);
    const rows = snaps.map((s) => s.banks.find((b) => b.nodeId === bank.nodeId)!);
    const likeness: XY[] = [
      { label: 'mean likeness', x: steps, y: rows.map((b) => b.meanScore), points: true },
      { label: 'noise baseline', x: steps, y: steps.map(() => bank.noiseScore), dash: [4, 3], color: '#8a93a6' },
    ];
    if (rows[0]?.distanceFromWired !== undefined)
      likeness.push({
        label: 'distance from wired',
        x: steps,
        y: rows.map((b) => b.distanceFromWired ?? null),
        color: '#c49bff',
      });
    const idx = snap.scores.map((_, i) => i);
    const scores: XY[] = [
      { label: 'likeness per filter', x: idx, y: snap.scores, points: true, line: false },
      { label: 'noise baseline', x: idx, y: idx.map(() => bank.noiseScore), dash: [4, 3], color: '#8a93a6' },
    ];
    return { likeness, scores };
  }, [bank, snap, snaps]);

  if (!runs.length || !run || !evo || !bank)
    return (
      <p className="muted" data-testid="evolution-view">
        Filter evolution appears after an A/B run of a graph with a WaveletConv or a first-layer Conv2D (try the
        learned-first-layer or cnn template).
      </p>
    );

  return (
    <div className="research-view" data-testid="evolution-view">
      <div className="train-settings">
        <RunChoice
          runs={runs}
          value={run.runId}
          onChange={(id) => {
            setRunId(id);
            setIndex(null);
          }}
          testId="evo-run"
        />
        <label>
          filter bank
          <select value={bank.nodeId} onChange={(e) => setBankId(e.target.value)} data-testid="evo-bank">
            {evo.banks.map((b) => (
              <option key={b.nodeId} value={b.nodeId}>
                {b.nodeId} ({b.type}, {b.mode})
              </option>
            ))}
          </select>
        </label>
        <Scrubber steps={snaps.map((x) => x.step)} at={at} onChange={setIndex} testId="evo-scrubber" />
        <button
          onClick={() =>
            download(
              `filters-${stem(run.label)}-${bank.nodeId}.json`,
              toJson({
                bank: { ...bank, wired: undefined },
                snapshots: snaps.map((s) => ({ step: s.step, bank: s.banks.find((b) => b.nodeId === bank.nodeId) })),
              }),
            )
          }
        >
          save JSON
        </button>
      </div>
      {snap && views && (
        <>
          <p className="muted" data-testid="evo-caption">
            {bank.nodeId}: {bank.count} filters {bank.h}×{bank.w}
            {bank.count > views.count ? ` (first ${views.count} shown)` : ''}; mean wavelet-likeness{' '}
            {snap.meanScore.toFixed(3)} (white noise scores {bank.noiseScore.toFixed(3)}, a Morlet filter 1)
            {snap.distanceFromWired !== undefined
              ? `; ${(100 * snap.distanceFromWired).toFixed(1)}% from the wired bank`
              : ''}
            .
          </p>
          <div className="gallery-row">
            <TileCanvas
              tiles={views.re}
              mode="signed"
              caption={views.im ? 'real part' : 'weights'}
              testId="evo-spatial"
            />
            {views.im && <TileCanvas tiles={views.im} mode="signed" caption="imaginary part" />}
            <TileCanvas
              tiles={views.fourier}
              mode="magnitude"
              caption="Fourier magnitude (zero frequency at the centre)"
              testId="evo-fourier"
            />
            {views.wired && <TileCanvas tiles={views.wired} mode="signed" caption="wired Morlet (real)" />}
            {views.diff && (
              <TileCanvas tiles={views.diff} mode="signed" caption="learned − wired (real)" testId="evo-diff" />
            )}
          </div>
        </>
      )}
      {trace && (
        <div className="charts two">
          <LinePlot
            title="wavelet-likeness over training"
            testId="evo-chart-likeness"
            xLabel="step"
            series={trace.likeness}
          />
          <LinePlot
            title={`wavelet-likeness per filter at step ${snaps[at]?.step ?? 0}`}
            testId="evo-chart-scores"
            xLabel="filter"
            series={trace.scores}
            yRange={[0, 1]}
          />
        </div>
      )}
    </div>
  );
}
