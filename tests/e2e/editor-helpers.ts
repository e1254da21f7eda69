/** Gestures on the editor the way a person makes them: drag from the palette, wire ports. */
import type { Page } from 'playwright-core';

export async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag a palette entry onto the canvas at (x, y) relative to the canvas's top-left corner. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.dragAndDrop(`[data-testid="palette-${type}"]`, '[data-testid="canvas"] .react-flow__pane', {
    targetPosition: { x, y },
  });
}

/** Press on one port, move with intermediate steps, release on the other. */
export async function wire(page: Page, fromTestId: string, toTestId: string): Promise<void> {
  const a = await center(page, `[data-testid="${fromTestId}"]`);
  const b = await center(page, `[data-testid="${toTestId}"]`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 6 });
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
}

/** Node ids on the canvas, in document order. */
export async function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).wavegraph.store.getSnapshot().nodes.map((n: { id: string }) => n.id));
}

export async function snapshot(page: Page): Promise<any> {
  return page.evaluate(() => (window as any).wavegraph.store.getSnapshot());
}

/**
 * Open the app on a clean profile. A template's lesson card floats over the canvas's
 * right side, where it may cover the nodes a test clicks: it is folded (to its pill)
 * unless the test is about lessons.
 */
export async function openFresh(page: Page, url: string, o: { lesson?: boolean } = {}): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(url);
  await page.waitForSelector('[data-testid="canvas"]');
  const fold = page.locator('[data-testid="lesson-fold"]');
  if (!o.lesson && (await fold.count())) await fold.click();
}

/** Shrink wide layers so software rendering trains in seconds. */
export async function shrink(p: Page, units: number): Promise<void> {
  await p.evaluate((u) => {
    const store = (window as any).wavegraph.store;
    store.transact((d: any) => {
      for (const n of d.nodes) {
        if (n.type === 'Conv2D') n.params.channels = Math.min(n.params.channels ?? 32, 4);
        if (n.type === 'Dense' && (n.params.units ?? 0) > 10) n.params.units = u;
      }
    }, 'shrink for the test');
  }, units);
}
