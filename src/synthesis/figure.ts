/**
 * Side-by-side figure of fields (target, Gaussian, maximum entropy, …) as an RGB
 * raster, platform-free: each panel is scaled to the target's value range (the
 * 0.5th to 99.5th percentile, so one extreme pixel does not wash out the rest) and
 * drawn with a diverging blue-white-red map.
 */
export interface Panel {
  data: Float32Array;
  size: number;
}

function percentile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

function colour(t: number): [number, number, number] {
  // t in [0, 1]: blue (0.23, 0.30, 0.75) → white → red (0.71, 0.02, 0.15)
  const lerp = (a: number, b: number, u: number) => a + (b - a) * u;
  const [r, g, b] =
    t < 0.5
      ? [lerp(0.23, 0.97, t * 2), lerp(0.3, 0.97, t * 2), lerp(0.75, 0.97, t * 2)]
      : [lerp(0.97, 0.71, t * 2 - 1), lerp(0.97, 0.02, t * 2 - 1), lerp(0.97, 0.15, t * 2 - 1)];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/** RGB bytes of panels laid out in a row, each magnified by `zoom`, separated by `gap` white pixels. */
export function sideBySide(panels: Panel[], zoom = 2, gap = 8): { rgb: Uint8Array; width: number; height: number } {
  const sorted = Float32Array.from(panels[0].data).sort();
  const lo = percentile(sorted, 0.005);
  const hi = percentile(sorted, 0.995);
  const span = hi > lo ? hi - lo : 1;
  const height = Math.max(...panels.map((p) => p.size)) * zoom;
  const width = panels.reduce((s, p) => s + p.size * zoom, 0) + gap * (panels.length - 1);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  let x0 = 0;
  for (const p of panels) {
    for (let y = 0; y < p.size * zoom; y++) {
      for (let x = 0; x < p.size * zoom; x++) {
        const v = p.data[Math.floor(y / zoom) * p.size + Math.floor(x / zoom)];
        const [r, g, b] = colour(Math.min(1, Math.max(0, (v - lo) / span)));
        const at = (y * width + x0 + x) * 3;
        rgb[at] = r;
        rgb[at + 1] = g;
        rgb[at + 2] = b;
      }
    }
    x0 += p.size * zoom + gap;
  }
  return { rgb, width, height };
}
