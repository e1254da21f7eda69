/**
 * The Jamming view in a real browser, against the app served by `node bin/start.js`:
 * a tiny sweep of the jamming perceptron template (two sizes P, three widths, two
 * networks per point) computed in the worker and drawn as the phase diagram, the test
 * error against N/P and the ensemble charts; a graph without a one-score loss is refused
 * with a message that names its loss.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, useAppAndBrowser } from './harness';
import { openFresh } from './editor-helpers';
import { idle, openResearch as open } from './research-helpers';

async function openResearch(p: Page): Promise<void> {
  await open(p, { samples: 60, backend: 'wasm' });
  await p.click('[data-testid="research-view-jamming"]');
}

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

describe('jamming in the browser', () => {
  it('sweeps widths at two sizes and draws the phase diagram, the error against N/P and the ensemble', async () => {
    const page = session.browser.page;
    await openFresh(page, `${session.app.url}/?template=jamming-mlp`);
    await openResearch(page);
    expect(await page.inputValue('[data-testid="jamming-node"]')).toBe('dense1');
    await page.fill('[data-testid="jamming-sizes"]', '20,40');
    await page.fill('[data-testid="jamming-widths"]', '1,4,32');
    await page.fill('[data-testid="jamming-ensemble"]', '2');
    await page.fill('[data-testid="jamming-steps"]', '400');
    await page.click('[data-testid="jamming-button"]');
    expect(await idle(page, 240_000)).toMatch(/Done/);
    expect(await page.locator('[data-testid="research-diagnostics"]').count()).toBe(0);
    // 2 sizes x 3 widths x 2 networks, each with its unsatisfied count.
    const rows = page.locator('[data-testid="jamming-table"] tbody tr');
    expect(await rows.count()).toBe(12);
    const first = (await rows.nth(0).locator('td').allTextContents()).map((t) => t.trim());
    // P = 20, one hidden unit on 7 x 7 averaged images: 49 + 1 + 1 + 1 parameters.
    expect(first.slice(0, 3)).toEqual(['20', '1', '52']);
    expect(Number(first[3])).toBeGreaterThanOrEqual(0);
    expect(await page.textContent('[data-testid="jamming-summary"]')).toMatch(/P = 20: (N\* = [\d,]+|still jammed)/);
    for (const chart of ['phase', 'error', 'ensemble', 'spread'])
      await page.waitForSelector(`[data-testid="jamming-${chart}-chart"] canvas`);
    await page.locator('[data-testid="jamming-phase-chart"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-jamming');

    // The report saves as JSON.
    const download = page.waitForEvent('download');
    await page.click('[data-testid="jamming-save"]');
    expect((await download).suggestedFilename()).toBe('jamming-report.json');

    // A report written by wavegraph jamming --out opens and is drawn (the Fashion-MNIST figure of docs/).
    await page.setInputFiles('[data-testid="jamming-open"]', join(ROOT, 'docs/figures/jamming-fashion-mnist.json'));
    await page.waitForFunction(
      () => /P = 2000: N\* = 3,265/.test(document.querySelector('[data-testid="jamming-summary"]')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    expect(await page.locator('[data-testid="jamming-table"]').count()).toBe(0);
    for (const chart of ['phase', 'error', 'ensemble', 'spread'])
      await page.waitForSelector(`[data-testid="jamming-${chart}-chart"] canvas`);
    await page.locator('[data-testid="jamming-error-chart"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-jamming-fashion-mnist');
    expect(session.browser.errors).toEqual([]);
  }, 360_000);

  it('refuses a graph whose loss gives one score per class, naming the loss', async () => {
    const page = session.browser.page;
    await openFresh(page, `${session.app.url}/?template=mlp`);
    await openResearch(page);
    await page.fill('[data-testid="jamming-sizes"]', '20');
    await page.fill('[data-testid="jamming-widths"]', '2,4');
    await page.click('[data-testid="jamming-button"]');
    expect(await idle(page, 120_000)).toMatch(/problem/);
    expect(await page.textContent('[data-testid="research-diagnostics"]')).toMatch(
      /not a one-score loss.*Quadratic hinge/,
    );
  }, 180_000);
});
