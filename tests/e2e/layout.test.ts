/**
 * Room for the graph on a 1366x768 laptop, in a real browser: every template opens with
 * node titles legible (>= 11 px on screen) and the canvas at least half the window;
 * presenter mode enlarges them and hides the panels; folded and resized panels and the
 * overview map are remembered across a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, startApp, ROOT, type App, type Browser } from './harness';

let app: App;
let b: Browser;
const W = 1366,
  H = 768;

beforeAll(async () => {
  app = await startApp();
  b = await launchBrowser();
  await b.page.setViewportSize({ width: W, height: H });
}, 300_000);

afterAll(async () => {
  await b?.close();
  await app?.stop();
});

// Every template, statistics models (whose Synthesis dock replaces the training dock) included.
const templates = readdirSync(join(ROOT, 'templates'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/** On-screen size of node titles (font size times zoom) and the canvas's share of the window, once the view is still. */
async function measure(page: Page): Promise<{ minTitlePx: number; canvasShare: number; zoom: number }> {
  let last = '';
  await expect
    .poll(
      async () => {
        const t = await page.evaluate(
          () => document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '',
        );
        const still = t === last && t.includes('scale');
        last = t;
        return still;
      },
      { timeout: 15_000, interval: 300 },
    )
    .toBe(true);
  return page.evaluate(() => {
    const vp = document.querySelector('.react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrix(getComputedStyle(vp).transform).a;
    const titles = [...document.querySelectorAll('.gnode-name')].map(
      (el) => parseFloat(getComputedStyle(el).fontSize) * zoom,
    );
    const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    return { minTitlePx: Math.min(...titles), canvasShare: (c.width * c.height) / (innerWidth * innerHeight), zoom };
  });
}

async function openTemplate(page: Page, name: string): Promise<void> {
  await page.goto(app.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.url}?template=${name}`);
  await page.waitForSelector('.gnode-name');
}

describe('layout at 1366x768', () => {
  for (const name of templates) {
    it(`opens ${name} legible, with the canvas at least half the window`, async () => {
      await openTemplate(b.page, name);
      const m = await measure(b.page);
      expect(m.minTitlePx).toBeGreaterThanOrEqual(11);
      expect(m.canvasShare).toBeGreaterThanOrEqual(0.5);
      // The dock still shows its main button without scrolling: Train, or Synthesize for a statistics model.
      const main = name.startsWith('synthesis-') ? 'synthesis-start' : 'train-button';
      await expect(b.page.locator(`[data-testid="${main}"]`).isVisible()).resolves.toBe(true);
      if (name.startsWith('synthesis-'))
        await expect(b.page.locator('[data-testid="dock"]').isVisible()).resolves.toBe(false);
      expect(b.errors).toEqual([]);
    });
  }

  it('presenter mode enlarges the nodes, hides the panels, shows a laser pointer, and Escape leaves it', async () => {
    await openTemplate(b.page, 'learned-first-layer');
    const before = await measure(b.page);
    await b.page.click('[data-testid="presenter-toggle"]');
    await b.page.waitForSelector('.app.presenter');
    const after = await measure(b.page);
    expect(after.minTitlePx).toBeGreaterThanOrEqual(18);
    expect(after.minTitlePx).toBeGreaterThan(before.minTitlePx * 1.4);
    expect(after.canvasShare).toBeGreaterThan(0.85);
    await expect(b.page.locator('[data-testid="palette-panel"]').count()).resolves.toBe(0);
    await expect(b.page.locator('[data-testid="dock"]').isVisible()).resolves.toBe(false);
    const port = await b.page.locator('.react-flow__handle.port').first().boundingBox();
    expect(port!.width).toBeGreaterThanOrEqual(15 * after.zoom - 0.5);
    const c = (await b.page.locator('[data-testid="canvas"]').boundingBox())!;
    await b.page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await b.page.mouse.move(c.x + c.width / 2 + 20, c.y + c.height / 2 + 10, { steps: 3 });
    await expect(b.page.locator('[data-testid="laser"]').isVisible()).resolves.toBe(true);
    await b.page.keyboard.press('Escape');
    await b.page.waitForSelector('.app.presenter', { state: 'detached' });
    await b.page.waitForSelector('[data-testid="palette-panel"]');
    // Presenter mode is not carried over a reload.
    await b.page.keyboard.press('p');
    await b.page.waitForSelector('.app.presenter');
    await b.page.reload();
    await b.page.waitForSelector('.gnode-name');
    await expect(b.page.locator('.app.presenter').count()).resolves.toBe(0);
    expect(b.errors).toEqual([]);
  });

  it('folds and resizes the panels and hides the map, and remembers it all after a reload', async () => {
    await openTemplate(b.page, 'scattering-linear');
    const page = b.page;
    await page.waitForSelector('[data-testid="inspector-panel-rail"]');
    await page.click('[data-testid="inspector-panel-open"]');
    await page.waitForSelector('[data-testid="inspector-panel"]');
    // Widen the inspector by dragging its handle 60 px to the left.
    const s = (await page.locator('[data-testid="inspector-panel-splitter"]').boundingBox())!;
    const w0 = (await page.locator('[data-testid="inspector-panel"]').boundingBox())!.width;
    await page.mouse.move(s.x + s.width / 2, s.y + 200);
    await page.mouse.down();
    await page.mouse.move(s.x + s.width / 2 - 60, s.y + 200, { steps: 5 });
    await page.mouse.up();
    const w1 = (await page.locator('[data-testid="inspector-panel"]').boundingBox())!.width;
    expect(w1 - w0).toBeGreaterThan(50);
    // Shorter dock from the keyboard.
    const h0 = (await page.locator('[data-testid="dock"]').boundingBox())!.height;
    await page.focus('[data-testid="dock-splitter"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const h1 = (await page.locator('[data-testid="dock"]').boundingBox())!.height;
    expect(h0 - h1).toBeGreaterThan(20);
    await page.click('[data-testid="palette-panel-fold"]');
    await page.click('[data-testid="map-toggle"]');
    await expect(page.locator('[data-testid="overview-map"]').count()).resolves.toBe(0);

    await page.reload();
    await page.waitForSelector('.gnode-name');
    await expect(page.locator('[data-testid="palette-panel-rail"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="overview-map"]').count()).resolves.toBe(0);
    expect(Math.abs((await page.locator('[data-testid="inspector-panel"]').boundingBox())!.width - w1)).toBeLessThan(2);
    expect(Math.abs((await page.locator('[data-testid="dock"]').boundingBox())!.height - h1)).toBeLessThan(2);
    // Folding the dock gives its room to the canvas and keeps a Train button in its bar.
    const c0 = (await page.locator('[data-testid="canvas"]').boundingBox())!.height;
    await page.click('[data-testid="dock-toggle"]');
    const c1 = (await page.locator('[data-testid="canvas"]').boundingBox())!.height;
    expect(c1 - c0).toBeGreaterThan(80);
    await expect(page.locator('[data-testid="dock-train"]').isVisible()).resolves.toBe(true);
    expect(b.errors).toEqual([]);
  });
});
