/**
 * One uPlot chart of any number of (x, y) series, each with its own x values (runs
 * of different lengths, a spectrum against its reference), aligned on the union of
 * the x values with gaps spanned. PNG, CSV and JSON export buttons sit under it.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { download, downloadPng, stem, toCsv, toJson } from './export';

export interface XY {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
  color?: string;
  dash?: number[];
  /** Draw points (and no line between them when `line` is false). */
  points?: boolean;
  line?: boolean;
}

export const PALETTE = ['#ff9f5a', '#5aa9ff', '#7fd48a', '#c49bff', '#ff6b8b', '#e8d45a', '#4fd1c5', '#b0b8c8'];

const AXIS = { stroke: '#8a93a6', grid: { stroke: '#262d38', width: 1 }, ticks: { stroke: '#262d38', width: 1 } };

function compact(v: number | null): string {
  if (v === null) return '';
  const a = Math.abs(v);
  if (a >= 1e4 || (a > 0 && a < 1e-3)) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

/** Series with their own x values as uPlot's aligned table. */
export function align(series: XY[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => Array.from(s.x)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    for (let i = 0; i < s.x.length; i++) {
      const v = s.y[i];
      col[at.get(s.x[i])!] = v === null || !Number.isFinite(v) ? null : v;
    }
    return col;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}

export interface LinePlotProps {
  title: string;
  testId: string;
  xLabel: string;
  series: XY[];
  logX?: boolean;
  logY?: boolean;
  yRange?: [number, number];
  height?: number;
}

export function LinePlot({ title, testId, xLabel, series, logX, logY, yRange, height = 150 }: LinePlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const data = useMemo(() => align(series), [series]);
  const shape = series.map((s) => `${s.label}|${s.color}|${s.points}|${s.line}`).join(';');
  useEffect(() => {
    const el = box.current!;
    const opts: uPlot.Options = {
      width: Math.max(220, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: {
        x: { time: false, ...(logX ? { distr: 3 } : {}) },
        y: logY ? { distr: 3 } : yRange ? { range: yRange } : { auto: true },
      },
      axes: [
        { ...AXIS, size: 30, label: xLabel, labelSize: 14, values: (_u, t) => t.map(compact) },
        { ...AXIS, size: 50, values: (_u, t) => t.map(compact) },
      ],
      series: [
        { label: xLabel },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 1.5,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? false, size: 6 },
          ...(s.line === false ? { paths: () => null } : {}),
        })),
      ],
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(220, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
    // Rebuilt when the set of series changes; data alone would only need setData, but charts here are small.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, data, logX, logY, xLabel, height]);

  const name = stem(title);
  const csv = () => {
    const cols: Record<string, ArrayLike<number | null>> = { [xLabel]: data[0] as number[] };
    series.forEach((s, i) => (cols[s.label] = data[i + 1] as (number | null)[]));
    download(`${name}.csv`, toCsv(cols), 'text/csv');
  };
  const json = () =>
    download(
      `${name}.json`,
      toJson({ title, xLabel, series: series.map((s) => ({ label: s.label, x: s.x, y: s.y })) }),
    );
  return (
    <div className="chart research-chart" ref={wrap}>
      <div className="chart-title">{title}</div>
      <div ref={box} data-testid={testId} />
      <div className="export-row">
        <button onClick={() => downloadPng(`${name}.png`, box.current)} data-testid={`${testId}-png`}>
          PNG
        </button>
        <button onClick={csv}>CSV</button>
        <button onClick={json}>JSON</button>
      </div>
    </div>
  );
}
