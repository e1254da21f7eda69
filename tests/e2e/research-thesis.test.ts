/**
 * The feature-against-lazy sweep and the error-against-stability comparison in a real
 * browser, against the app served by `node bin/start.js`: tiny runs on synthetic data,
 * each drawing its figures in the Research tab.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { openFresh, shrink } from './editor-helpers';
import { idle, openResearch as open, problems } from './research-helpers';

const openResearch = (p: Page) => open(p, { samples: 160, batch: 16, epochs: 1, learningRate: 0.003, backend: 'wasm' });

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

describe('feature/lazy and stability/error figures in the browser', () => {
  it('sweeps alpha and draws weight change and error against alpha, with the tangent-kernel limit', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=mlp`);
    await shrink(p, 8);
    await openResearch(p);
    await p.click('[data-testid="research-view-lazy"]');
    await p.fill('[data-testid="lazy-alphas"]', '0');
    await p.click('[data-testid="lazy-button"]');
    expect(await p.textContent('[role="alert"]')).toMatch(/alpha must be positive/);
    await p.fill('[data-testid="lazy-alphas"]', '0.1..1000:3');
    await p.check('[data-testid="lazy-kernel"]');
    await p.click('[data-testid="lazy-button"]');
    expect(await idle(p, 240_000)).toMatch(/Done/);
    expect(await problems(p)).toBe('');
    expect(await p.locator('[data-testid="lazy-table"] tbody tr').count()).toBe(3);
    expect(await p.textContent('[data-testid="lazy-summary"]')).toMatch(
      /Weight change ~ alpha\^-?[0-9.]+.*Tangent-kernel limit on 100 images/,
    );
    await p.waitForSelector('[data-testid="lazy-weights-chart"] canvas');
    await p.waitForSelector('[data-testid="lazy-error-chart"] canvas');
    const legend = (await p.textContent('.research-view')) ?? '';
    expect(legend).toMatch(/lazy fit, slope -?[0-9.]+/);
    expect(legend).toMatch(/tangent-kernel limit/);
    await p.locator('[data-testid="lazy-weights-chart"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-lazy');
  }, 300_000);

  it('trains and probes two graphs and draws error against R_f and D_f against T', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=mlp`);
    await shrink(p, 8);
    await openResearch(p);
    await p.click('[data-testid="research-view-stability-error"]');
    // This graph and the CNN template only: untick every other template.
    const boxes = p.locator('[data-testid="stability-error-graphs"] label');
    const n = await boxes.count();
    expect(n).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < n; i++) {
      const text = (await boxes.nth(i).textContent()) ?? '';
      if (!/this graph|Two-layer CNN/.test(text)) await boxes.nth(i).locator('input').uncheck();
    }
    await p.fill('[data-testid="stability-error-samples"]', '16');
    await p.click('[data-testid="stability-error-button"]');
    expect(await idle(p, 240_000)).toMatch(/Done/);
    expect(await problems(p)).toBe('');
    const rows = p.locator('[data-testid="stability-error-table"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toMatch(/Two-layer CNN/);
    expect(await p.textContent('[data-testid="stability-error-summary"]')).toMatch(
      /Fitted slope of log\(test error\) against log\(R_f\): -?[0-9.]+/,
    );
    await p.waitForSelector('[data-testid="stability-error-chart"] canvas');
    await p.waitForSelector('[data-testid="stability-error-curves"] canvas');
    expect(await p.textContent('.research-view')).toMatch(/fit, slope -?[0-9.]+/);
    await p.locator('[data-testid="stability-error-chart"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-stability-error');
  }, 300_000);
});
