/**
 * The view of the canvas in a real browser, against the app served by
 * `node bin/start.js`: a big graph drawn in low detail when zoomed far out, the
 * overview map, and the dotted grid that stays fixed to the graph.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { center, openFresh } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

describe('the canvas view', () => {
  it('draws a big graph zoomed far out in low detail, its edges on one canvas from port to port, and in full detail zoomed in', async () => {
    const page = session.browser.page;
    const app = session.app;
    await openFresh(page, app.url);
    await page.click('[data-testid="template-empty"]');
    // A chain of 80 nodes, ten to a row.
    await page.evaluate((count) => {
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes = [
          { id: 'n0', type: 'Input', position: { x: 0, y: 0 }, params: { height: 16, width: 16, channels: 1 } },
        ];
        d.edges = [];
        for (let i = 1; i < count; i++) {
          d.nodes.push({
            id: `n${i}`,
            type: 'ReLU',
            position: { x: (i % 10) * 240, y: Math.floor(i / 10) * 200 },
            params: {},
          });
          d.edges.push({ id: `n${i}:in`, source: `n${i - 1}`, sourcePort: 'out', target: `n${i}`, targetPort: 'in' });
        }
      }, 'a big graph');
    }, 80);
    await page.waitForSelector('[data-testid="node-n79"]');
    // The whole graph in view (Shift+F): F alone stops at legible titles, above the far zoom.
    await page.keyboard.press('Shift+F');
    const layer = page.locator('[data-testid="far-edges"]');
    await expect.poll(() => layer.getAttribute('data-count')).toBe('79');
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
    expect(await page.locator('[data-testid="node-n5"]').getAttribute('class')).toMatch(/gnode-far/);

    // How much an edge canvas has drawn around a point of the page (largest alpha within 2 px).
    const inkAt = (p: { x: number; y: number }, canvas = layer) =>
      canvas.evaluate((el: HTMLCanvasElement, q) => {
        const r = el.getBoundingClientRect();
        const sx = el.width / r.width,
          sy = el.height / r.height;
        const px = Math.round((q.x - r.left) * sx),
          py = Math.round((q.y - r.top) * sy);
        const img = el.getContext('2d')!.getImageData(px - 2, py - 2, 5, 5).data;
        let a = 0;
        for (let i = 3; i < img.length; i += 4) a = Math.max(a, img[i]);
        return a;
      }, p);
    // A bezier whose control points sit level with its ends passes through the middle of its ends.
    const midway = async () => {
      const a = await center(page, '[data-testid="port-n1-out-out"]');
      const z = await center(page, '[data-testid="port-n2-in-in"]');
      return { x: (a.x + z.x) / 2, y: (a.y + z.y) / 2 };
    };
    const m = await midway();
    await expect.poll(() => inkAt(m)).toBeGreaterThan(40);
    expect(await inkAt({ x: m.x, y: m.y - 15 })).toBe(0);

    // The edges follow a dragged node: its own edges are redrawn on a second canvas on each
    // frame, and leave the canvas of the edges at rest until the drag ends.
    const live = page.locator('[data-testid="far-edges-live"]');
    const title = (await page.locator('[data-testid="node-n2"] .gnode-title').boundingBox())!;
    const x0 = title.x + title.width / 2,
      y0 = title.y + title.height / 2;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x0 + 3 * i, y0 + 5 * i);
    const moved = await midway();
    expect(moved.y - m.y).toBeGreaterThan(10);
    await expect.poll(() => inkAt(moved, live)).toBeGreaterThan(40);
    expect(await inkAt(m)).toBe(0);
    // Another node moved meanwhile (a collaborator's edit): its edges follow it at once.
    await page.evaluate(() =>
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'n6').position.y += 80;
      }, 'move n6'),
    );
    const a6 = await center(page, '[data-testid="port-n5-out-out"]');
    const z6 = await center(page, '[data-testid="port-n6-in-in"]');
    expect(z6.y - a6.y).toBeGreaterThan(10);
    await expect.poll(() => inkAt({ x: (a6.x + z6.x) / 2, y: (a6.y + z6.y) / 2 })).toBeGreaterThan(40);
    await page.mouse.up();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => inkAt(m)).toBeGreaterThan(40);
    await expect.poll(() => inkAt(moved, live)).toBe(0);

    // Zoomed in, React Flow draws the edges again, labelled with their shapes.
    const scale = async () =>
      Number(
        /scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1] ?? 1,
      );
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    for (let i = 0; i < 40 && (await scale()) < 0.6; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(50);
    }
    await page.waitForSelector('[data-testid="far-edges"]', { state: 'detached' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(0);
    expect(await page.locator('.edge-label').count()).toBeGreaterThan(0);
    await session.browser.screenshot('big-graph-zoomed-in');
    expect(session.browser.errors).toEqual([]);
  });

  it('shows every node on the overview map, and moves and zooms the view from it', async () => {
    const page = session.browser.page;
    const map = page.locator('[data-testid="overview-map"]');
    // The previous test left the 80-node chain zoomed in on its middle.
    const viewport = async () => {
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(
        (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '',
      )!;
      return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
    };
    // Of the map's pixels showing a node (blue channel well above the background's), the
    // share drawn bright (the ReLUs' output colour is blue; dimmed, its blue is below 100).
    const brightShare = () =>
      map.evaluate((el: HTMLCanvasElement) => {
        const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
        let bright = 0,
          node = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 2] > 60) node++;
          if (d[i + 2] > 120) bright++;
        }
        return node > 300 ? bright / node : 0;
      });
    // F fits no further out than legible titles (legible-fit.ts); Shift+F shows the whole graph.
    await page.keyboard.press('Shift+F');
    await expect.poll(brightShare).toBeGreaterThan(0.65);
    const box = (await map.boundingBox())!;

    // Zoomed in, most nodes are outside the view and dimmed on the map.
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    for (let i = 0; i < 6; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(50);
    }
    await expect.poll(brightShare).toBeLessThan(0.5);

    // A press on the map's top-left corner centres the view there; dragging moves it on.
    const before = await viewport();
    await page.mouse.move(box.x + 8, box.y + 8);
    await page.mouse.down();
    const centred = await viewport();
    expect(centred.x).toBeGreaterThan(before.x);
    expect(centred.y).toBeGreaterThan(before.y);
    expect(centred.zoom).toBeCloseTo(before.zoom, 5);
    await page.mouse.move(box.x + 48, box.y + 28, { steps: 4 });
    await page.mouse.up();
    const dragged = await viewport();
    expect(dragged.x).toBeLessThan(centred.x);
    expect(dragged.y).toBeLessThan(centred.y);

    // Scrolling on the map zooms the view and does not scroll the page.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 200);
    await expect.poll(async () => (await viewport()).zoom).toBeLessThan(dragged.zoom * 0.9);
    expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
    await session.browser.screenshot('overview-map');
    expect(session.browser.errors).toEqual([]);
  });

  it('keeps the dotted grid fixed to the graph as the view pans and zooms', async () => {
    const page = session.browser.page;
    const app = session.app;
    await page.goto(`${app.url}/?template=cnn`);
    await page.waitForSelector('[data-testid="node-conv1"]');
    const grid = page.locator('[data-testid="dot-grid"]');
    const pane = page.locator('.react-flow');
    // Where the grid's dots are on screen, in grid steps from the point the view maps flow (0, 0) to:
    // whole numbers when a dot sits on every flow point (k·22, l·22).
    const phase = async () => {
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(
        (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '',
      )!;
      const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const g = (await grid.boundingBox())!;
      const p = (await pane.boundingBox())!;
      const step = 22 * zoom;
      const tile = Number(await grid.locator('pattern').getAttribute('width'));
      return {
        x: (g.x - p.x - tx) / step,
        y: (g.y - p.y - ty) / step,
        left: g.x - p.x,
        top: g.y - p.y,
        step,
        tile,
        right: g.x + g.width - (p.x + p.width),
      };
    };
    const onGrid = (v: number) => Math.abs(v - Math.round(v));
    const check = async () => {
      const f = await phase();
      expect(onGrid(f.x)).toBeLessThan(0.02);
      expect(onGrid(f.y)).toBeLessThan(0.02);
      expect(f.tile).toBeCloseTo(f.step, 3);
      // The layer covers the whole canvas.
      expect(f.left).toBeLessThanOrEqual(0.5);
      expect(f.top).toBeLessThanOrEqual(0.5);
      expect(f.right).toBeGreaterThanOrEqual(-0.5);
      return f;
    };
    const start = await check();
    // Pan by dragging empty canvas a distance that is not a whole number of grid steps.
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    const spot = await page.evaluate((r) => {
      for (let y = r.y + 30; y < r.y + r.height - 30; y += 9)
        for (let x = r.x + 30; x < r.x + r.width / 2; x += 9)
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      return null;
    }, c);
    expect(spot).not.toBeNull();
    await page.mouse.move(spot!.x, spot!.y);
    await page.mouse.down();
    await page.mouse.move(spot!.x + 37, spot!.y + 23, { steps: 5 });
    await page.mouse.up();
    const panned = await check();
    expect(Math.abs(panned.left - start.left) + Math.abs(panned.top - start.top)).toBeGreaterThan(1);
    // Zoom: the dots spread with the view.
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await phase()).step).toBeGreaterThan(start.step * 1.1);
    await check();
    expect(session.browser.errors).toEqual([]);
  });
});
