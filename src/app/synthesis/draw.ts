/** Canvas drawing for the Synthesis dock: fields, a loss curve, log-log spectra, histograms. */
import { sideBySide } from '../../synthesis/figure';

/** A field drawn with the figure's colour map, scaled to `reference`'s value range. */
export function drawField(
  canvas: HTMLCanvasElement | null,
  data: Float32Array,
  n: number,
  reference: Float32Array,
): void {
  if (!canvas) return;
  // the reference comes first so its range sets the colours, then only the field is kept
  const f = sideBySide(
    [
      { data: reference.subarray(0, n * n), size: n },
      { data: data.subarray(0, n * n), size: n },
    ],
    1,
    0,
  );
  canvas.width = n;
  canvas.height = n;
  const img = new ImageData(n, n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const from = (y * f.width + n + x) * 3;
      const to = (y * n + x) * 4;
      img.data[to] = f.rgb[from];
      img.data[to + 1] = f.rgb[from + 1];
      img.data[to + 2] = f.rgb[from + 2];
      img.data[to + 3] = 255;
    }
  }
  canvas.getContext('2d')?.putImageData(img, 0, 0);
}

export interface Series {
  xs: number[];
  ys: number[];
  colour: string;
}

/** Lines on optional log axes, scaled to fit all series. */
export function drawLines(canvas: HTMLCanvasElement | null, series: Series[], logX: boolean, logY: boolean): void {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  const { width: w, height: h } = canvas;
  ctx.fillStyle = '#12161c';
  ctx.fillRect(0, 0, w, h);
  const tx = (v: number) => (logX ? Math.log10(Math.max(v, 1e-30)) : v);
  const ty = (v: number) => (logY ? Math.log10(Math.max(v, 1e-30)) : v);
  const all = series
    .flatMap((s) => s.xs.map((x, i) => [tx(x), ty(s.ys[i])]))
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (all.length < 2) return;
  const [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const px = (v: number) => 6 + ((tx(v) - x0) / (x1 - x0 || 1)) * (w - 12);
  const py = (v: number) => h - 6 - ((ty(v) - y0) / (y1 - y0 || 1)) * (h - 12);
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.xs.forEach((x, i) => (i === 0 ? ctx.moveTo(px(x), py(s.ys[i])) : ctx.lineTo(px(x), py(s.ys[i]))));
    ctx.stroke();
  }
}

/** Histogram of values on `bins` bins spanning the reference's range, as a density series. */
export function histogram(values: Float32Array, reference: Float32Array, bins = 40): { xs: number[]; ys: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of reference) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = (hi - lo) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.floor(((v - lo) / (hi - lo)) * bins);
    if (b >= 0 && b < bins) counts[b]++;
  }
  return { xs: counts.map((_, i) => lo + ((i + 0.5) * (hi - lo)) / bins), ys: counts.map((c) => c / values.length) };
}
