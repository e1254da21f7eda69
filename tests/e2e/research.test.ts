/**
 * The research instruments in a real browser, against the app served by
 * `node bin/start.js`: an A/B run of the mlp template against a narrower variant
 * (run records saved, re-opened and put back on the canvas), filter evolution and
 * spectra of a small CNN, spectra through training and resampling of every layer of
 * the learned-scattering template, and a deformation stability probe of a trained run, all
 * computed in the worker while the canvas keeps answering.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { openFresh, shrink, snapshot } from './editor-helpers';
import { idle, openResearch as open, problems, progressSeen, watchProgress } from './research-helpers';

const openResearch = (p: Page, o: { samples: number; batch: number; backend: string }) =>
  open(p, { ...o, epochs: 1, learningRate: 0.003 });

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

describe('research instruments in the browser', () => {
  it('runs an A/B comparison, saves a run record that re-opens, probes stability', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=mlp`);
    await shrink(session.browser.page, 32);
    await openResearch(session.browser.page, { samples: 320, batch: 16, backend: 'wasm' });
    await session.browser.page.selectOption('[data-testid="variant-node"]', 'dense1');
    await session.browser.page.selectOption('[data-testid="variant-param"]', 'units');
    await session.browser.page.fill('[data-testid="variant-value"]', '8');
    await watchProgress(session.browser.page);
    await session.browser.page.click('[data-testid="ab-run-button"]');
    // A bar with what the job does, how far it is, and Stop.
    await session.browser.page.waitForSelector('[data-testid="research-progress-stop"]', { timeout: 30_000 });

    // The canvas answers while the worker trains: selecting a node works.
    await session.browser.page.click('[data-testid="node-relu1"]');
    await session.browser.page.waitForSelector('[data-testid="node-relu1"].gnode-selected', { timeout: 10_000 });

    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    const seen = await progressSeen(session.browser.page);
    expect(seen.some((t) => /^Training .+ \(1 of 2\): \d+%/.test(t))).toBe(true);
    expect(seen.some((t) => /^Training .+ \(2 of 2\): \d+%/.test(t))).toBe(true);
    expect(await session.browser.page.locator('[data-testid="research-progress"]').count()).toBe(0);
    const rows = session.browser.page.locator('[data-testid="ab-table"] tbody tr');
    expect(await rows.count()).toBe(2);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    const a = await cells(0);
    const b = await cells(1);
    expect(a[0]).toMatch(/Multilayer perceptron/);
    expect(b[0]).toMatch(/dense1\.units=8/);
    // Dense 784-32-10 against 784-8-10.
    expect(a[1]).toBe((784 * 32 + 32 + 32 * 10 + 10).toLocaleString('en-US'));
    expect(b[1]).toBe((784 * 8 + 8 + 8 * 10 + 10).toLocaleString('en-US'));
    expect(a[4]).toMatch(/^\d+(\.\d)?%$/);
    expect(b[4]).toMatch(/^\d+(\.\d)?%$/);
    expect(a[6]).toBe('wasm');
    expect(a[7]).toBe(b[7]); // same seed and data
    // Overlaid curves are drawn, one legend entry per run.
    await session.browser.page.waitForSelector('[data-testid="ab-chart-loss"] canvas');
    const legend = await session.browser.page.textContent('[data-testid="ab-chart-loss"] .u-legend');
    expect(legend).toMatch(/Multilayer perceptron/);
    expect(legend).toMatch(/dense1\.units=8/);
    await session.browser.page.locator('[data-testid="ab-chart-loss"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-ab');

    // Save the variant's record, open it again, put its graph on the canvas.
    const [dl] = await Promise.all([
      session.browser.page.waitForEvent('download'),
      session.browser.page.click('[data-testid="ab-save-1"]'),
    ]);
    const file = await dl.path();
    await session.browser.page.setInputFiles('[data-testid="ab-open"]', file);
    await session.browser.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="ab-table"] tbody tr').length === 3,
    );
    expect(await rows.nth(2).textContent()).toMatch(/\(file\)/);
    expect((await snapshot(session.browser.page)).nodes.find((n: any) => n.id === 'dense1').params.units).toBe(32);
    await session.browser.page.click('[data-testid="ab-restore-2"]');
    await session.browser.page.waitForFunction(
      () => (window as any).wavegraph.store.getSnapshot().nodes.find((n: any) => n.id === 'dense1').params.units === 8,
    );

    // Stability probe of the trained baseline.
    await session.browser.page.click('[data-testid="research-view-probe"]');
    expect(await session.browser.page.textContent('[data-testid="probe-range"]')).toMatch(/T_min .* to T_max/);
    const option = await session.browser.page
      .locator('[data-testid="probe-model"] option', { hasText: 'Multilayer perceptron' })
      .getAttribute('value');
    await session.browser.page.selectOption('[data-testid="probe-model"]', option!);
    await session.browser.page.click('[data-testid="probe-button"]');
    expect(await idle(session.browser.page, 120_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    await session.browser.page.waitForSelector('[data-testid="probe-result"]');
    expect(await session.browser.page.textContent('[data-testid="probe-result"]')).toMatch(/\(trained\)/);
    const layers = await session.browser.page
      .locator('[data-testid="probe-table"] tbody tr td:first-child')
      .allTextContents();
    expect(layers).toEqual(['input', 'flatten', 'dense1', 'relu1', 'dense2', 'output']);
    const rf = await session.browser.page
      .locator('[data-testid="probe-table"] tbody tr td:last-child')
      .allTextContents();
    expect(rf.slice(1).every((v) => Number(v) > 0)).toBe(true);
    // The R_f bars are drawn: the canvas holds coloured pixels.
    const lit = await session.browser.page.$eval('[data-testid="probe-bars"]', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 120 && Math.abs(d[i] - d[i + 2]) > 40) n++;
      return n;
    });
    expect(lit).toBeGreaterThan(100);
    expect(await session.browser.page.locator('[data-testid="probe-examples"] canvas').count()).toBe(12);
    await session.browser.page.locator('[data-testid="probe-result"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-probe');
    expect(session.browser.errors).toEqual([]);
  }, 420_000);

  it('shows filter evolution and covariance spectra of a small CNN', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=cnn`);
    await shrink(session.browser.page, 16);
    await openResearch(session.browser.page, { samples: 160, batch: 16, backend: 'wasm' });
    await session.browser.page.click('[data-testid="ab-run-button"]');
    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');

    await session.browser.page.click('[data-testid="research-view-filters"]');
    await session.browser.page.waitForSelector('[data-testid="evo-spatial"]');
    const last = await session.browser.page.textContent('[data-testid="evo-scrubber"] >> xpath=..');
    expect(last).toMatch(/step 10 /);
    await session.browser.page.fill('[data-testid="evo-scrubber"]', '0');
    expect(await session.browser.page.textContent('[data-testid="evo-scrubber"] >> xpath=..')).toMatch(/step 0 /);
    expect(await session.browser.page.textContent('[data-testid="evo-caption"]')).toMatch(
      /wavelet-likeness 0\.\d+ \(white noise scores 0\.\d+/,
    );
    await session.browser.page.waitForSelector('[data-testid="evo-fourier"]');
    await session.browser.page.waitForSelector('[data-testid="evo-chart-likeness"] canvas');
    await session.browser.page.locator('[data-testid="evo-chart-likeness"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-filters');

    await session.browser.page.click('[data-testid="research-view-spectra"]');
    const option = await session.browser.page
      .locator('[data-testid="spectra-model"] option', { hasText: 'trained' })
      .first()
      .getAttribute('value');
    await session.browser.page.selectOption('[data-testid="spectra-model"]', option!);
    await session.browser.page.click('[data-testid="spectra-button"]');
    expect(await idle(session.browser.page, 120_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    await session.browser.page.waitForSelector('[data-testid="spectra-result"]');
    expect(await session.browser.page.textContent('[data-testid="spectra-result"]')).toMatch(/effective rank \d/);
    expect(
      await session.browser.page.locator('[data-testid="spectra-result"] [data-testid^="spectrum-"]').count(),
    ).toBeGreaterThanOrEqual(3);
    await session.browser.page.locator('[data-testid="spectra-result"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-spectra');
    expect(session.browser.errors).toEqual([]);
  }, 420_000);

  it('scrubs the spectra of every learned layer through training, resamples every layer and tests the weights of learned-scattering', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=learned-scattering`);
    await shrink(p, 16);
    await openResearch(p, { samples: 160, batch: 16, backend: 'wasm' });
    await p.click('[data-testid="ab-run-button"]');
    expect(await idle(p, 300_000)).toMatch(/Done/);
    expect(await problems(p)).toBe('');

    await p.click('[data-testid="research-view-spectra-evolution"]');
    await p.waitForSelector('[data-testid="spevo-spectrum"] canvas');
    // The three learned 1x1 mixings and the head, with their covariance shapes.
    const layers = await p.locator('[data-testid="spevo-layer"] option').allTextContents();
    expect(layers.map((l) => l.split(' ')[0])).toEqual(['mix1', 'mix2', 'mix3', 'classifier']);
    expect(await p.textContent('[data-testid="spevo-scrubber"] >> xpath=..')).toMatch(/step 10 \(\d+ of \d+\)/);
    const end = await p.textContent('[data-testid="spevo-caption"]');
    await p.fill('[data-testid="spevo-scrubber"]', '0');
    expect(await p.textContent('[data-testid="spevo-scrubber"] >> xpath=..')).toMatch(/step 0 /);
    const start = await p.textContent('[data-testid="spevo-caption"]');
    expect(start).toMatch(/mix1 at step 0: effective rank \d+\.\d \(entropy\)/);
    expect(start).not.toEqual(end);
    await p.selectOption('[data-testid="spevo-layer"]', 'mix3');
    expect(await p.textContent('[data-testid="spevo-caption"]')).toMatch(/^mix3 at step 0/);
    await p.waitForSelector('[data-testid="spevo-rank"] canvas');
    await session.browser.screenshot('research-spectra-evolution');

    await p.click('[data-testid="research-view-spectra"]');
    const option = await p
      .locator('[data-testid="spectra-model"] option', { hasText: 'trained' })
      .first()
      .getAttribute('value');
    await p.selectOption('[data-testid="spectra-model"]', option!);
    await p.fill('[data-testid="resample-draws"]', '2');
    await p.check('[data-testid="resample-every-layer"]');
    await p.click('[data-testid="resample-button"]');
    expect(await idle(p, 300_000)).toMatch(/Done/);
    expect(await problems(p)).toBe('');
    const result = (await p.textContent('[data-testid="resample-result"]')) ?? '';
    expect(result).toMatch(/trained \d+\.\d%; redrawn from the covariances \d+\.\d% ± /);
    // Every learned interaction layer is redrawn, in order.
    expect(result).toMatch(/layers mix1 \(4→4\), mix2 \(4→4\), mix3 \(4→4\)/);

    // Are the weights Gaussian? The initialization first, then the trained run beside it.
    await p.click('[data-testid="research-view-gaussianity"]');
    await p.click('[data-testid="gaussianity-button"]');
    expect(await idle(p, 120_000)).toMatch(/Done/);
    await p.selectOption('[data-testid="gaussianity-model"]', option!);
    await p.click('[data-testid="gaussianity-button"]');
    expect(await idle(p, 120_000)).toMatch(/Done/);
    expect(await problems(p)).toBe('');
    expect(await p.locator('[data-testid="gaussianity-table"] tbody tr').count()).toBe(4);
    expect(await p.textContent('[data-testid="gaussianity-previous"]')).toMatch(/initialized/);
    expect(await p.textContent('[data-testid="gaussianity-latest"]')).toMatch(/trained/);
    await p.waitForSelector('[data-testid="gaussianity-qq"] canvas');
    await session.browser.screenshot('research-gaussianity');
    expect(session.browser.errors).toEqual([]);
  }, 600_000);

  it('sweeps a width, reads out LISTA steps and resamples a rainbow network', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=mlp`);
    await openResearch(session.browser.page, { samples: 160, batch: 16, backend: 'wasm' });
    await session.browser.page.click('[data-testid="research-view-sweep"]');
    await session.browser.page.selectOption('[data-testid="sweep-node"]', 'dense1');
    await session.browser.page.selectOption('[data-testid="sweep-param"]', 'units');
    await session.browser.page.fill('[data-testid="sweep-values"]', '2..32:3');
    await session.browser.page.fill('[data-testid="sweep-budget"]', '30');
    await session.browser.page.click('[data-testid="sweep-button"]');
    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    expect(await session.browser.page.locator('[data-testid="sweep-table"] tbody tr').count()).toBe(3);
    await session.browser.page.waitForSelector('[data-testid="sweep-chart"] canvas');
    await session.browser.page.locator('[data-testid="sweep-chart"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-sweep');

    await openFresh(session.browser.page, `${session.app.url}/?template=scattering-lista`);
    await openResearch(session.browser.page, { samples: 160, batch: 16, backend: 'wasm' });
    await session.browser.page.click('[data-testid="research-view-lista"]');
    await session.browser.page.click('[data-testid="lista-button"]');
    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    await session.browser.page.waitForSelector('[data-testid="lista-result"] canvas');
    expect(await session.browser.page.textContent('[data-testid="lista-result"]')).toMatch(/LISTA/);
    await session.browser.page.locator('[data-testid="lista-result"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('research-lista');

    await openFresh(session.browser.page, `${session.app.url}/?template=rainbow`);
    await shrink(session.browser.page, 16);
    await openResearch(session.browser.page, { samples: 160, batch: 16, backend: 'wasm' });
    await session.browser.page.click('[data-testid="ab-run-button"]');
    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    await session.browser.page.click('[data-testid="research-view-spectra"]');
    const option = await session.browser.page
      .locator('[data-testid="spectra-model"] option', { hasText: 'trained' })
      .first()
      .getAttribute('value');
    await session.browser.page.selectOption('[data-testid="spectra-model"]', option!);
    await session.browser.page.fill('[data-testid="resample-draws"]', '2');
    await session.browser.page.click('[data-testid="resample-button"]');
    expect(await idle(session.browser.page, 240_000)).toMatch(/Done/);
    expect(await problems(session.browser.page)).toBe('');
    expect(await session.browser.page.textContent('[data-testid="resample-result"]')).toMatch(
      /trained \d+\.\d%; redrawn from the covariances \d+\.\d% ± /,
    );
    await session.browser.screenshot('research-resample');
    expect(session.browser.errors).toEqual([]);
  }, 600_000);
});
