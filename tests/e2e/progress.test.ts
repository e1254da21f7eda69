/**
 * Waiting in the browser: training scattering-linear on Fashion-MNIST (WASM backend)
 * shows a progress bar within a second of Train, says what it computes and how far it
 * is, can be cancelled, and a front end computed once is stored and reused after a reload.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { openFresh } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

async function configure(p: Page, samples: string, epochs = 1): Promise<void> {
  await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
  await p.selectOption('[data-testid="train-dataset"]', 'server:fashion-mnist');
  await p.fill('[data-testid="train-samples"]', samples);
  await p.fill('[data-testid="train-batch"]', '64');
  await p.fill('[data-testid="train-epochs"]', String(epochs));
  await p.selectOption('[data-testid="train-backend"]', 'wasm');
}

const status = (p: Page) => p.textContent('[data-testid="training-status"]').then((t) => t ?? '');
/** The front end's count, on whichever bar shows it (alone before the first step, above the steps' bar after). */
const WORK = '[role="progressbar"][aria-valuenow]';
const counted = async (p: Page) =>
  (await p.locator(WORK).count()) ? Number(await p.getAttribute(WORK, 'aria-valuenow')) : -1;

describe('progress while waiting', () => {
  it('shows a progress bar within a second of Train, counts the front end, trains meanwhile, and stops', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=scattering-linear`);
    await configure(p, '');
    const t0 = Date.now();
    await p.click('[data-testid="train-button"]');
    await p.waitForSelector('[data-testid="progress-bar"]', { timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    await expect(p.locator('[data-testid="progress-cancel"]').isVisible()).resolves.toBe(true);
    // The dataset's download is counted first (in MB), then the front end (in images), and its count grows.
    const frontEnd = async () =>
      /Computing the fixed front end/.test(
        (await p
          .locator(WORK)
          .textContent()
          .catch(() => '')) ?? '',
      );
    await expect.poll(frontEnd, { timeout: 120_000, interval: 250 }).toBe(true);
    await expect.poll(() => counted(p), { timeout: 120_000, interval: 250 }).toBeGreaterThan(0);
    const first = await counted(p);
    await expect.poll(() => counted(p), { timeout: 60_000, interval: 250 }).toBeGreaterThan(first);
    expect(await p.textContent(WORK)).toMatch(/Computing the fixed front end: [\d,]+ of 70,000 images · about .* left/);
    // Training has started on the images computed so far, long before the front end is done.
    await expect
      .poll(() => p.textContent('[data-testid="metric-step"]'), { timeout: 120_000, interval: 250 })
      .toMatch(/^\d+$/);
    expect(await counted(p)).toBeLessThan(70_000);
    await p.click('[data-testid="stop-button"]');
    await expect.poll(() => status(p), { timeout: 20_000 }).toBe('Stopped.');
    expect(session.browser.errors).toEqual([]);
  }, 300_000);

  it('stores the computed front end and reuses it after a reload', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=scattering-linear`);
    await configure(p, '600', 2);
    await p.click('[data-testid="train-button"]');
    await expect.poll(() => status(p), { timeout: 240_000, interval: 100 }).toMatch(/^Computed the fixed front end/);
    await expect.poll(() => status(p), { timeout: 240_000, interval: 500 }).toMatch(/^Finished/);
    await p.reload();
    await configure(p, '600', 2);
    await p.click('[data-testid="train-button"]');
    await expect
      .poll(() => status(p), { timeout: 120_000, interval: 100 })
      .toMatch(/^Reused the stored fixed front end/);
    await expect.poll(() => status(p), { timeout: 240_000, interval: 500 }).toMatch(/^Finished/);
    // The panel tells how much is stored, and clears it.
    await expect
      .poll(() => p.textContent('[data-testid="feature-store"]'), { timeout: 10_000 })
      .toMatch(/[1-9][\d.]* MB/);
    await p.click('[data-testid="feature-store-clear"]');
    await expect
      .poll(() => p.textContent('[data-testid="feature-store"]'), { timeout: 10_000 })
      .toMatch(/nothing stored/i);
    expect(session.browser.errors).toEqual([]);
  }, 600_000);

  it("keeps a front end as large as Fashion-MNIST's scattering (952 MB) as chunks, and reads it back whole", async () => {
    const p = session.browser.page;
    await openFresh(p, session.app.url);
    const r = await p.evaluate(async () => {
      type Store = {
        get(k: string): Promise<Float32Array | undefined>;
        set(k: string, d: Float32Array): Promise<void>;
      };
      const f = (window as unknown as { wavegraph: { features: Record<string, (...a: unknown[]) => unknown> } })
        .wavegraph.features;
      await (f.clear as () => Promise<void>)();
      const store = (f.featureStore as () => Store)();
      // scattering-linear's training split, 60,000 x 81 x 7 x 7 floats: 29 chunks, the last one short (one
      // IndexedDB value of this size was refused: the store then read as empty after every reload).
      const n = 60_000 * 81 * 7 * 7;
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = (i % 1_000_003) * 0.5;
      await store.set('big', data);
      const usage = (await (f.usage as () => Promise<{ entries: number; bytes: number }>)()) as {
        entries: number;
        bytes: number;
      };
      const back = await store.get('big');
      let wrong = back ? 0 : -1;
      if (back) for (let i = 0; i < n; i += 997) if (back[i] !== data[i]) wrong++;
      const last = back ? back[n - 1] === data[n - 1] : false;
      const missing = await store.get('not-there');
      await (f.clear as () => Promise<void>)();
      const after = await store.get('big');
      return { usage, length: back?.length ?? 0, wrong, last, missing: missing === undefined, cleared: !after };
    });
    expect(r).toEqual({
      usage: { entries: 1, bytes: 952_560_000 },
      length: 238_140_000,
      wrong: 0,
      last: true,
      missing: true,
      cleared: true,
    });
    expect(session.browser.errors).toEqual([]);
  }, 300_000);
});
