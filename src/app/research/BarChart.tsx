/**
 * Bars on a log scale, drawn into a canvas (so it saves as PNG like the other
 * charts): R_f per layer spans decades, and 1 (as stable as noise) is marked.
 */
import { useEffect, useRef } from 'react';
import { download, downloadPng, stem, toCsv } from './export';

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({
  title,
  bars,
  testId,
  reference = 1,
  height = 170,
}: {
  title: string;
  bars: Bar[];
  testId: string;
  reference?: number;
  height?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(260, bars.length * 46 + 60);
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    const g = c.getContext('2d')!;
    g.scale(dpr, dpr);
    g.fillStyle = '#12161c';
    g.fillRect(0, 0, width, height);
    const finite = bars.map((b) => b.value).filter((v) => v > 0 && Number.isFinite(v));
    const lo = Math.floor(Math.log10(Math.min(reference, ...finite)));
    const hi = Math.ceil(Math.log10(Math.max(reference, ...finite)) + 1e-9) || lo + 1;
    const top = 10,
      bottom = height - 42,
      left = 44;
    const y = (v: number) => bottom - ((Math.log10(v) - lo) / Math.max(1e-9, hi - lo)) * (bottom - top);
    g.font = '10px system-ui, sans-serif';
    g.strokeStyle = '#262d38';
    g.fillStyle = '#8a93a6';
    for (let e = lo; e <= hi; e++) {
      g.beginPath();
      g.moveTo(left, y(10 ** e));
      g.lineTo(width - 6, y(10 ** e));
      g.stroke();
      g.fillText(`1e${e}`, 4, y(10 ** e) + 3);
    }
    bars.forEach((b, i) => {
      const x = left + 8 + i * 46;
      if (b.value > 0 && Number.isFinite(b.value)) {
        // Within 1% of the reference counts as equal (a flatten layer is exactly as stable as the input).
        g.fillStyle = b.value < 0.99 * reference ? '#7fd48a' : b.value > 1.01 * reference ? '#ff9f5a' : '#8a93a6';
        g.fillRect(x, y(b.value), 30, bottom - y(b.value));
      }
      g.save();
      g.translate(x + 15, bottom + 6);
      g.rotate(Math.PI / 8);
      g.fillStyle = '#c8cfdb';
      g.fillText(b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label, 0, 6);
      g.restore();
    });
    g.strokeStyle = '#e8d45a';
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(left, y(reference));
    g.lineTo(width - 6, y(reference));
    g.stroke();
  }, [bars, reference, height]);
  const name = stem(title);
  return (
    <div className="chart research-chart">
      <div className="chart-title">{title}</div>
      <canvas ref={ref} data-testid={testId} />
      <div className="export-row">
        <button onClick={() => downloadPng(`${name}.png`, ref.current?.parentElement ?? null)}>PNG</button>
        <button
          onClick={() =>
            download(
              `${name}.csv`,
              toCsv({ layer: bars.map((b) => b.label), value: bars.map((b) => b.value) }),
              'text/csv',
            )
          }
        >
          CSV
        </button>
      </div>
    </div>
  );
}
