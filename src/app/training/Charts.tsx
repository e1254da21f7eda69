/** Live charts with uPlot: loss, train and test accuracy, samples per second. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from './useTrainer';

const AXIS = { stroke: '#8a93a6', grid: { stroke: '#262d38', width: 1 }, ticks: { stroke: '#262d38', width: 1 } };

/** Tick labels that fit the axis: a diverged loss reaches 1e15. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e4) return v.toExponential(0);
  if (a > 0 && a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

interface ChartSpec {
  title: string;
  testId: string;
  series: uPlot.Series[];
  pick(s: Series): (number | null)[][];
  range?: uPlot.Scale['range'];
}

const CHARTS: ChartSpec[] = [
  {
    title: 'loss',
    testId: 'chart-loss',
    series: [{ label: 'loss', stroke: '#ff9f5a', width: 1.5 }],
    pick: (s) => [s.loss],
  },
  {
    title: 'accuracy',
    testId: 'chart-accuracy',
    series: [
      { label: 'train', stroke: '#5aa9ff', width: 1.5 },
      { label: 'test', stroke: '#7fd48a', width: 2, spanGaps: true, points: { show: true, size: 6 } },
    ],
    pick: (s) => [s.trainAcc, s.testAcc],
    range: [0, 1],
  },
  {
    title: 'samples / s',
    testId: 'chart-speed',
    series: [{ label: 'samples/s', stroke: '#c49bff', width: 1.5 }],
    pick: (s) => [s.samplesPerSec],
  },
];

function Chart({ spec, series, version }: { spec: ChartSpec; series: Series; version: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const width = Math.max(200, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: 120,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: spec.range ? { range: spec.range } : { auto: true } },
      axes: [
        { ...AXIS, size: 28 },
        { ...AXIS, size: 48, values: (_u, ticks) => ticks.map(compact) },
      ],
      series: [{ label: 'step' }, ...spec.series],
    };
    plot.current = new uPlot(opts, [[], ...spec.series.map(() => [])] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 120 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [spec]);
  useEffect(() => {
    plot.current?.setData([series.step, ...spec.pick(series)] as uPlot.AlignedData);
  }, [series, version, spec]);
  return (
    <div className="chart">
      <div className="chart-title">{spec.title}</div>
      <div ref={box} data-testid={spec.testId} />
    </div>
  );
}

export function Charts({ series, version }: { series: Series; version: number }) {
  return (
    <div className="charts">
      {CHARTS.map((c) => (
        <Chart key={c.title} spec={c} series={series} version={version} />
      ))}
    </div>
  );
}
