/**
 * Editor benchmark in the real browser (Debian's Chromium, app served by bin/start.js):
 * - time to interactive on localhost (navigation start to the editor's first commit);
 * - validation + shape inference of a 300-node graph, inside the page;
 * - frame work while dragging a node of that graph: from the first pointer event of a
 *   frame to the end of that frame's rendering, and the rAF intervals; three drags per
 *   view, pooled (with each drag's figure alongside). Drags stay inside the canvas, away
 *   from its edges; a drag to the edge, where the view pans along, is measured apart.
 * Run: npx tsx bench/editor.ts
 */
import { saveDocument, type GraphDocument, type GraphEdge, type GraphNode, type Params } from '../document/graph';
import { launchBrowser, startApp } from '../tests/e2e/harness';

export interface DragFigures {
  nodesInView: number;
  zoom: number;
  frames: number;
  workMedianMs: number;
  workP95Ms: number;
  workUnder16Fraction: number;
  /** The same fraction for each drag on its own, to show the spread. */
  perDragUnder16: number[];
  /** The same fraction for the view's first drag, which is not pooled (code not yet optimized). */
  firstDragUnder16: number;
  rafIntervalP95Ms: number;
  /** Frames delivered on time: the interval since the previous frame is at most one 60 Hz period (+1 ms). */
  rafOnTimeFraction: number;
}

/** Drags per view: one drag of 120 frames swings by several points from run to run on a small machine. */
const DRAGS = 3;

/** Where a drag goes: inside the canvas, or to its top edge, where the view pans along (autopan). */
type DragPath = 'inside' | 'edge';

/**
 * Drag a visible node: once with code that has not run yet (reported on its own), then
 * DRAGS times, pooling the frame work and rAF intervals of those.
 */
async function dragFrames(
  page: import('playwright-core').Page,
  readableZoom: boolean,
  path: DragPath = 'inside',
): Promise<DragFigures> {
  const work: number[] = [];
  const raf: number[] = [];
  const perDrag: number[] = [];
  let shown = 0,
    zoom = 0;
  const first = await dragOnce(page, readableZoom, path);
  for (let d = 0; d < DRAGS; d++) {
    const one = await dragOnce(page, readableZoom, path);
    work.push(...one.work);
    raf.push(...one.raf);
    perDrag.push(+under16(one.work).toFixed(3));
    shown = one.shown;
    zoom = one.zoom;
  }
  return {
    nodesInView: shown,
    zoom: +zoom.toFixed(2),
    frames: work.length,
    workMedianMs: +pct(work, 0.5).toFixed(2),
    workP95Ms: +pct(work, 0.95).toFixed(2),
    workUnder16Fraction: +under16(work).toFixed(3),
    perDragUnder16: perDrag,
    firstDragUnder16: +under16(first.work).toFixed(3),
    rafIntervalP95Ms: +pct(raf, 0.95).toFixed(2),
    rafOnTimeFraction: +(raf.filter((x) => x <= 17.7).length / Math.max(1, raf.length)).toFixed(3),
  };
}

const under16 = (work: number[]) => work.filter((x) => x < 16).length / Math.max(1, work.length);

/** React Flow pans the view while the pointer is this close to the canvas's edge during a drag. */
const AUTOPAN_PX = 40;

/**
 * Fit the view (and zoom in for a readable view), then drag the node whose title is
 * nearest the centre, 120 pointer moves:
 * - inside: a wavy path around where it started (up to 200 px sideways, 120 px up and down),
 *   kept 60 px clear of the canvas's edges, so the view never pans;
 * - edge: up to 15 px below the canvas's top edge in 30 moves, then 90 moves along it,
 *   the view panning along all the while.
 */
async function dragOnce(page: import('playwright-core').Page, readableZoom: boolean, path: DragPath) {
  await page.keyboard.press('f');
  await settle(page);
  const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
  const cx = c.x + c.width / 2,
    cy = c.y + c.height / 2;
  const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
  const scale = async () => Number(/scale\(([\d.]+)\)/.exec((await viewport()) ?? '')?.[1] ?? 1);
  if (readableZoom) {
    // Zoom in about the canvas centre until the nodes are drawn at their real size.
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 40 && (await scale()) < 0.95; i++) {
      await page.mouse.wheel(0, -60);
      await page.waitForTimeout(60);
    }
  }
  await settle(page);
  // Grab the node by the middle of its title bar, away from its ports: the one whose grab point is nearest the centre.
  const boxes = await page
    .locator('.react-flow__node')
    .evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-id')!, ...(e.getBoundingClientRect().toJSON() as DOMRect) })),
    );
  const grip = (b: DOMRect) => ({ x: b.x + b.width / 2, y: b.y + Math.min(8, b.height / 4) });
  const dist = (b: DOMRect) => Math.hypot(grip(b).x - cx, grip(b).y - cy);
  const box = boxes.reduce((best, b) => (dist(b) < dist(best) ? b : best));
  const grabbed = page.locator(`.react-flow__node[data-id="${box.id}"]`);
  const zoom = await scale();
  const { x: x0, y: y0 } = grip(box);
  const margin = 60;
  const ax = Math.min(200, x0 - c.x - margin, c.x + c.width - margin - x0);
  const ay = Math.min(120, y0 - c.y - margin, c.y + c.height - margin - y0);
  const at = (i: number) =>
    path === 'inside'
      ? { x: x0 + ax * Math.sin(i / 12), y: y0 + ay * Math.sin(i / 19) }
      : i <= 30
        ? { x: x0, y: y0 + (c.y + 15 - y0) * (i / 30) }
        : { x: x0 + 100 * Math.sin((i - 30) / 12), y: c.y + 15 };
  const viewBefore = await viewport();
  await page.evaluate(FRAME_RECORDER);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) await page.mouse.move(at(i).x, at(i).y);
  await page.mouse.up();
  const f: { work: number[]; raf: number[] } = await page.evaluate(
    '(() => { window.__frames.on = false; return window.__frames; })()',
  );
  if (process.env.WAVEGRAPH_BENCH_FRAMES)
    console.error(`frame work (ms), in order: ${f.work.map((w) => w.toFixed(1)).join(' ')}`);
  const panned = (await viewport()) !== viewBefore;
  if (path === 'inside' && panned)
    throw new Error(
      `the view panned while node ${box.id} was dragged inside the canvas (pointer within ${AUTOPAN_PX} px of an edge?)`,
    );
  if (path === 'edge' && !panned)
    throw new Error(`the view did not pan while node ${box.id} was dragged to the canvas's edge`);
  const after = (await grabbed.boundingBox())!;
  if (path === 'inside' && Math.hypot(after.x - box.x, after.y - box.y) < 20)
    throw new Error(`the drag did not move node ${box.id}`);
  // Put the node back and clear the selection, so every drag starts from the same graph.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Escape');
  return { work: f.work, raf: f.raf, shown: boxes.length, zoom };
}

export interface EditorBench {
  timeToInteractiveMs: number;
  /** At rest; `whileDrawing*` right after opening the graph, with the page still drawing it. */
  analyze300: {
    firstMs: number;
    medianMs: number;
    p95Ms: number;
    whileDrawingMedianMs: number;
    whileDrawingP95Ms: number;
  };
  /** At zoom about 1 (a readable view; the rest of the 300 nodes off screen). */
  drag300: DragFigures;
  /** With all 300 nodes in view (low-detail rendering). */
  drag300ZoomedOut: DragFigures;
  /** At zoom about 1, dragged to the canvas's top edge: the view pans along and nodes come into view. */
  drag300ToEdge: DragFigures;
}

/** A 300-node chain: Input, 296 shape-preserving layers, Flatten, Dense, loss. */
export function bigGraph(count = 300): GraphDocument {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const cols = 15;
  const types = ['Conv2D', 'ReLU', 'BatchNorm', 'AvgPool'];
  const place = (i: number) => ({ x: (i % cols) * 240, y: Math.floor(i / cols) * 200 });
  nodes.push({ id: 'n0', type: 'Input', position: place(0), params: { height: 16, width: 16, channels: 1 } });
  for (let i = 1; i < count - 3; i++) {
    const type = types[i % types.length];
    const params: Params =
      type === 'Conv2D' ? { channels: 4, kernel: 3, padding: 'same' } : type === 'AvgPool' ? { size: 1 } : {};
    nodes.push({ id: `n${i}`, type, position: place(i), params });
  }
  nodes.push({ id: `n${count - 3}`, type: 'Flatten', position: place(count - 3), params: {} });
  nodes.push({ id: `n${count - 2}`, type: 'Dense', position: place(count - 2), params: { units: 10 } });
  nodes.push({ id: `n${count - 1}`, type: 'SoftmaxCrossEntropy', position: place(count - 1), params: { classes: 10 } });
  for (let i = 1; i < count; i++)
    edges.push({ id: `n${i}:in`, source: `n${i - 1}`, sourcePort: 'out', target: `n${i}`, targetPort: 'in' });
  return { format: 'wavegraph', version: 2, name: '300 nodes', nodes, edges };
}

const FRAME_RECORDER = `(() => {
  const f = (window.__frames = { work: [], raf: [], start: 0, last: 0, on: true });
  addEventListener('pointermove', () => { if (!f.start) f.start = performance.now(); }, true);
  const ch = new MessageChannel();
  ch.port1.onmessage = () => { if (f.start) f.work.push(performance.now() - f.start); f.start = 0; };
  const loop = (t) => {
    if (f.last) f.raf.push(t - f.last);
    f.last = t;
    ch.port2.postMessage(0);
    if (f.on) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})()`;

/**
 * Let the page finish drawing what it just opened or zoomed to (software rasterization
 * of hundreds of nodes keeps both cores of a small machine busy for a second or more),
 * so a figure measures the editor at rest, the way a user edits, and not that start-up.
 */
async function settle(page: import('playwright-core').Page) {
  await page.waitForTimeout(1500);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

export async function runEditorBench(): Promise<EditorBench> {
  const app = await startApp();
  const b = await launchBrowser();
  const page = b.page;
  try {
    // Warm the server and the HTTP cache the way a returning visitor has it, then time fresh loads.
    await page.goto(`${app.url}/?template=cnn`);
    const ttis: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${app.url}/?template=cnn`);
      await page.waitForFunction(() => performance.getEntriesByName('wavegraph:interactive').length > 0);
      ttis.push(await page.evaluate(() => performance.getEntriesByName('wavegraph:interactive')[0].startTime));
    }

    const doc = bigGraph(300);
    // Leave the app for a page of the same origin first: leaving it saves the open graph
    // (pagehide), which would overwrite the one put in its place here.
    const logged = b.errors.length;
    await page.goto(`${app.url}/data/`);
    await page.evaluate((text) => localStorage.setItem('wavegraph:autosave', text), saveDocument(doc));
    // that page (a JSON listing) has no icon: the browser's request for one is no error of the app's
    await page.waitForTimeout(200);
    b.errors.splice(
      logged,
      b.errors.length - logged,
      ...b.errors.slice(logged).filter((e) => !/status of 404/.test(e)),
    );
    await page.goto(app.url);
    await page.waitForSelector('[data-testid="node-n0"]');
    // The first call (cold code) is reported apart; the p95 is over 160 calls after 40 of warm-up,
    // the state of an editor after a few edits. Measured twice: right after opening the graph,
    // while the page is still drawing its 300 nodes, and once the page is at rest.
    const timeAnalyze = (): Promise<number[]> =>
      page.evaluate(() => {
        const w = (window as any).wavegraph;
        const d = w.store.getSnapshot();
        const out: number[] = [];
        for (let i = 0; i < 200; i++) {
          const t = performance.now();
          const a = w.analyze(d, { partial: true });
          out.push(performance.now() - t);
          if (a.diagnostics.some((x: any) => x.severity === 'error')) throw new Error('the benchmark graph has errors');
        }
        return out;
      });
    const analyzeBusy = await timeAnalyze();
    await settle(page);
    const analyzeTimes = await timeAnalyze();
    const warm = analyzeTimes.slice(40);
    const warmBusy = analyzeBusy.slice(40);

    const far = await dragFrames(page, false);
    const near = await dragFrames(page, true);
    const edge = await dragFrames(page, true, 'edge');
    if (b.errors.length) throw new Error(`the page logged errors: ${b.errors.join('; ')}`);
    return {
      timeToInteractiveMs: Math.round(pct(ttis, 0.5)),
      analyze300: {
        firstMs: +analyzeBusy[0].toFixed(3),
        medianMs: +pct(warm, 0.5).toFixed(3),
        p95Ms: +pct(warm, 0.95).toFixed(3),
        whileDrawingMedianMs: +pct(warmBusy, 0.5).toFixed(3),
        whileDrawingP95Ms: +pct(warmBusy, 0.95).toFixed(3),
      },
      drag300: near,
      drag300ZoomedOut: far,
      drag300ToEdge: edge,
    };
  } finally {
    await b.close();
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runEditorBench().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(`time to interactive ${r.timeToInteractiveMs} ms (target < 2000)`);
      const a = r.analyze300;
      console.log(
        `analyze 300 nodes: first call ${a.firstMs} ms; then median ${a.medianMs} ms, p95 ${a.p95Ms} ms (target < 5); right after opening, while the page still draws the graph: median ${a.whileDrawingMedianMs} ms, p95 ${a.whileDrawingP95Ms} ms`,
      );
      for (const [name, d] of [
        ['zoom 1', r.drag300],
        ['all in view', r.drag300ZoomedOut],
        ['zoom 1, to the top edge: the view pans along', r.drag300ToEdge],
      ] as const) {
        console.log(
          `drag with 300 nodes (${name}, zoom ${d.zoom}, ${d.nodesInView} nodes drawn): ${(d.workUnder16Fraction * 100).toFixed(1)}% of ${d.frames} frames under 16 ms of work (target 95%; ${d.perDragUnder16.map((x) => (x * 100).toFixed(1)).join(' / ')}% in the ${d.perDragUnder16.length} drags; first drag, not pooled: ${(d.firstDragUnder16 * 100).toFixed(1)}%), median ${d.workMedianMs} ms, p95 ${d.workP95Ms} ms; ${(d.rafOnTimeFraction * 100).toFixed(1)}% of frame intervals within 17.7 ms, p95 ${d.rafIntervalP95Ms} ms`,
        );
      }
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
