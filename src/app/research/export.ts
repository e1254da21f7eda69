/**
 * Saving what the research panel shows: a chart as PNG (uPlot and the tile views
 * draw into canvases), its numbers as CSV or JSON, a run as a run-record file.
 */

/** Offer `data` as a file download named `name`. */
export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * One PNG of every canvas inside `root`, stacked vertically on a dark background
 * (uPlot draws its lines and axes into one canvas; the legend is HTML and is left out).
 */
export function canvasesToPng(root: HTMLElement): string | undefined {
  const list = [...root.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
  if (!list.length) return undefined;
  const width = Math.max(...list.map((c) => c.width));
  const height = list.reduce((h, c) => h + c.height, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#12161c';
  ctx.fillRect(0, 0, width, height);
  let y = 0;
  for (const c of list) {
    ctx.drawImage(c, 0, y);
    y += c.height;
  }
  return out.toDataURL('image/png');
}

export function downloadPng(name: string, root: HTMLElement | null): void {
  const url = root && canvasesToPng(root);
  if (!url) return;
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}

/** Columns of equal length as CSV; null and non-finite numbers become empty cells. */
export function toCsv(columns: Record<string, ArrayLike<number | string | null | undefined>>): string {
  const names = Object.keys(columns);
  const rows = Math.max(0, ...names.map((n) => columns[n].length));
  const cell = (v: number | string | null | undefined) =>
    v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))
      ? ''
      : typeof v === 'string' && /[",\n]/.test(v)
        ? `"${v.replace(/"/g, '""')}"`
        : String(v);
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => cell(columns[n][i])).join(','));
  return lines.join('\n') + '\n';
}

/** JSON that survives typed arrays and NaN (written as null). */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_k, v) =>
        ArrayBuffer.isView(v)
          ? Array.from(v as unknown as ArrayLike<number>)
          : typeof v === 'number' && !Number.isFinite(v)
            ? null
            : v,
      1,
    ) + '\n'
  );
}

/** A file-name-safe stem. */
export function stem(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}
