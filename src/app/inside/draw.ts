/**
 * Pictures of arrays: many small tiles (filters, feature maps) drawn into one canvas
 * at one pixel per value, scaled up by CSS with crisp pixels.
 *
 * 'signed' maps negative values to blue and positive ones to orange around a black
 * zero, with one scale shared by all tiles so their strengths compare; 'magnitude'
 * maps 0..max of each tile to a dark-to-bright ramp.
 */
export type TileMode = 'signed' | 'magnitude';

export interface Tiles {
  /** count tiles of h*w values, tile-major. */
  data: Float32Array;
  h: number;
  w: number;
  count: number;
}

/** Columns for a roughly wide grid of tiles. */
export function columnsFor(count: number, w: number, h: number): number {
  const aspect = 3;
  return Math.max(1, Math.min(count, Math.ceil(Math.sqrt((count * aspect * h) / w))));
}

function ramp(t: number): [number, number, number] {
  // Dark blue to yellow through teal: readable on the dark panel.
  const r = Math.round(255 * Math.min(1, Math.max(0, 1.6 * t - 0.5)));
  const g = Math.round(255 * Math.min(1, Math.max(0, 0.15 + 0.85 * t)));
  const b = Math.round(255 * Math.min(1, Math.max(0, 0.35 + 0.5 * Math.sin(Math.PI * t))));
  return [t < 0.02 ? 8 : r, t < 0.02 ? 10 : g, t < 0.02 ? 18 : b];
}

export function drawTiles(
  canvas: HTMLCanvasElement,
  tiles: Tiles,
  mode: TileMode,
  cols = columnsFor(tiles.count, tiles.w, tiles.h),
): void {
  const { data, h, w, count } = tiles;
  const gap = 1;
  const rows = Math.ceil(count / cols);
  const W = cols * (w + gap) - gap;
  const H = rows * (h + gap) - gap;
  if (canvas.width !== W) canvas.width = W;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx || W <= 0 || H <= 0) return;
  const img = ctx.createImageData(W, H);
  const px = img.data;
  for (let i = 3; i < px.length; i += 4) px[i] = 0;
  let shared = 1e-12;
  if (mode === 'signed') for (let i = 0; i < data.length; i++) shared = Math.max(shared, Math.abs(data[i]));
  for (let t = 0; t < count; t++) {
    const ox = (t % cols) * (w + gap);
    const oy = Math.floor(t / cols) * (h + gap);
    let max = 1e-12;
    if (mode === 'magnitude') for (let i = 0; i < h * w; i++) max = Math.max(max, Math.abs(data[t * h * w + i]));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = data[t * h * w + y * w + x];
        const o = ((oy + y) * W + ox + x) * 4;
        if (mode === 'signed') {
          const s = Math.max(-1, Math.min(1, v / shared));
          px[o] = s > 0 ? Math.round(255 * s) : 0;
          px[o + 1] = Math.round(150 * Math.abs(s));
          px[o + 2] = s < 0 ? Math.round(255 * -s) : 0;
        } else {
          const [r, g, b] = ramp(Math.abs(v) / max);
          px[o] = r;
          px[o + 1] = g;
          px[o + 2] = b;
        }
        px[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** One image with values in [0, 1], gray or RGB, channel-last. */
export function drawImage(
  canvas: HTMLCanvasElement,
  pixels: Float32Array,
  width: number,
  height: number,
  channels: number,
): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const g = (c: number) =>
      Math.round(255 * Math.max(0, Math.min(1, pixels[i * channels + Math.min(c, channels - 1)])));
    img.data[i * 4] = g(0);
    img.data[i * 4 + 1] = g(1);
    img.data[i * 4 + 2] = g(2);
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** Channel-last [H, W, C] to C tiles; complex maps (C real then C imaginary) become C moduli. */
export function channelTiles(values: Float32Array, h: number, w: number, c: number, complex: boolean, max = 64): Tiles {
  const real = complex ? Math.floor(c / 2) : c;
  const count = Math.min(real, max);
  const data = new Float32Array(count * h * w);
  for (let k = 0; k < count; k++) {
    for (let p = 0; p < h * w; p++) {
      const re = values[p * c + k];
      data[k * h * w + p] = complex ? Math.hypot(re, values[p * c + real + k]) : re;
    }
  }
  return { data, h, w, count };
}
