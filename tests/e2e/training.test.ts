/**
 * Live training in a real browser, against the app served by `node bin/start.js`:
 * the panel picks WebGPU (software adapter here), the loss falls, epoch results and
 * filter pictures appear, a diverging run is reported without harming the canvas, and
 * every template trains for a few steps.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, launchBrowser, startApp, useAppAndBrowser, type App, type Browser } from './harness';
import { writeIdxSet } from '../data/files';
import { openFresh, shrink } from './editor-helpers';

interface RunOptions {
  samples?: number;
  batch?: number;
  epochs?: number;
  lr?: string;
  optimizer?: 'adam' | 'sgd';
  backend?: string;
  /** A value of the dataset select; the synthetic set unless given. */
  dataset?: string;
}

async function configure(p: Page, o: RunOptions): Promise<void> {
  // Once the server's datasets are listed the panel selects the graph's own; pick after that.
  await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
  await p.selectOption('[data-testid="train-dataset"]', o.dataset ?? 'synthetic');
  await p.fill('[data-testid="train-samples"]', String(o.samples ?? 256));
  await p.fill('[data-testid="train-batch"]', String(o.batch ?? 16));
  await p.fill('[data-testid="train-epochs"]', String(o.epochs ?? 1));
  await p.fill('[data-testid="train-lr"]', o.lr ?? '0.003');
  await p.selectOption('[data-testid="train-optimizer"]', o.optimizer ?? 'adam');
  await p.selectOption('[data-testid="train-backend"]', o.backend ?? 'auto');
}

/** The final status line (each test opens a fresh page, so no earlier run's line is left). */
async function waitDone(p: Page, timeout: number): Promise<string> {
  await p.waitForFunction(
    () =>
      /Finished|Stopped|diverged|could not start/.test(
        document.querySelector('[data-testid="training-status"]')?.textContent ?? '',
      ),
    null,
    { timeout, polling: 200 },
  );
  return (await p.textContent('[data-testid="training-status"]')) ?? '';
}

async function metric(p: Page, id: string): Promise<string> {
  return ((await p.textContent(`[data-testid="metric-${id}"]`)) ?? '').trim();
}

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });
const templates = readdirSync(join(ROOT, 'templates'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));
/**
 * Templates for 32x32 colour images need CIFAR-10, which the app's server does not offer
 * (only Fashion-MNIST) and the synthetic set (28x28 grey) cannot stand in for; they train
 * from CIFAR-10 files in tests/wavelets/learned-scattering.test.ts.
 */
const cifarTemplates = templates.filter(
  (t) => JSON.parse(readFileSync(join(ROOT, 'templates', `${t}.json`), 'utf8')).training?.dataset === 'cifar10',
);

describe('training in the browser', () => {
  it('trains a small Dense model on WebGPU and the loss falls', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=mlp`);
    await shrink(session.browser.page, 32);
    await configure(session.browser.page, { samples: 480, batch: 16, epochs: 1, lr: '0.003' });
    await session.browser.page.click('[data-testid="train-button"]');
    // Loss values as the readout shows them, sampled while training runs.
    const losses: number[] = [];
    const sampler = setInterval(() => {
      void metric(session.browser.page, 'loss')
        .then((t) => {
          const v = Number(t);
          if (Number.isFinite(v) && v !== losses.at(-1)) losses.push(v);
        })
        .catch(() => undefined);
    }, 100);
    const status = await waitDone(session.browser.page, 240_000);
    clearInterval(sampler);
    expect(status).toMatch(/Finished/);
    expect(await session.browser.page.textContent('[data-testid="backend-label"]')).toBe('webgpu');
    expect(await session.browser.page.textContent('[data-testid="training-backend"]')).toContain('webgpu');
    const final = Number(await metric(session.browser.page, 'loss'));
    expect(losses.length).toBeGreaterThan(1);
    expect(final).toBeLessThan(losses[0]);
    expect(await metric(session.browser.page, 'step')).toBe('30');
    expect(await metric(session.browser.page, 'test-acc')).toMatch(/%$/);
    console.log(
      `webgpu (SwiftShader), Dense 784-32-10, batch 16: ${await metric(session.browser.page, 'speed')} samples/s; loss ${losses[0]} -> ${final}`,
    );
    await session.browser.page.waitForSelector('[data-testid="confusion-matrix"]');
    expect(
      await session.browser.page
        .locator('[data-testid="prediction-grid"] .prediction.right, [data-testid="prediction-grid"] .prediction.wrong')
        .count(),
    ).toBe(32);
    await session.browser.screenshot('training-webgpu');

    // Pick a test image, click a node: its feature maps appear.
    await session.browser.page.click('[data-testid="prediction-3"]');
    await session.browser.page.click('[data-testid="node-relu1"]');
    await session.browser.page.waitForSelector('[data-testid="feature-maps"]', { timeout: 30_000 });
    expect(await session.browser.page.textContent('[data-testid="feature-maps"]')).toContain('relu1');
    await session.browser.screenshot('training-feature-maps');
    expect(session.browser.errors).toEqual([]);
  }, 300_000);

  it('computes Scattering2D on WebGPU as the CPU backend does', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=scattering-linear`);
    await session.browser.page.evaluate(() => {
      const store = (window as any).wavegraph.store;
      store.transact((d: any) => {
        for (const n of d.nodes) if (n.type === 'Scattering2D') n.params.L = 4; // small: software WebGPU
      }, 'smaller scattering for the test');
    });
    await configure(session.browser.page, { samples: 64, batch: 16, epochs: 1, backend: 'webgpu' });
    await session.browser.page.click('[data-testid="train-button"]');
    expect(await waitDone(session.browser.page, 240_000)).toMatch(/Finished/);
    expect(await session.browser.page.textContent('[data-testid="backend-label"]')).toBe('webgpu');
    await session.browser.page.click('[data-testid="prediction-0"]');
    await session.browser.page.click('[data-testid="node-scattering"]');
    await session.browser.page.waitForSelector('[data-testid="feature-maps"]', { timeout: 60_000 });
    await session.browser.page.click('[data-testid="verify-button"]');
    const result = await session.browser.page.waitForSelector('[data-testid="verify-result"]', { timeout: 120_000 });
    const rel = Number(await result.getAttribute('data-rel-error'));
    console.log(`Scattering2D J=2 L=4 on webgpu vs cpu: ${await result.textContent()}`);
    expect(await result.textContent()).toContain('webgpu vs cpu');
    expect(rel).toBeLessThan(1e-4);
    await session.browser.screenshot('scattering-webgpu-check');
    expect(session.browser.errors).toEqual([]);
  }, 420_000);

  it('shows Conv2D filters updating during training (WASM)', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=cnn`);
    await shrink(session.browser.page, 16);
    await configure(session.browser.page, { samples: 320, batch: 16, epochs: 1, backend: 'wasm', lr: '0.01' });
    await session.browser.page.click('[data-testid="train-button"]');
    expect(await waitDone(session.browser.page, 240_000)).toMatch(/Finished/);
    // The page is cross-origin isolated, so WASM runs its threaded binary (its helper
    // threads start from the bundle: a minified factory that reads outside itself fails).
    expect(await session.browser.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const label = session.browser.page.locator('[data-testid="backend-label"]');
    expect(await label.getAttribute('data-wasm-threaded')).toBe('true');
    expect(await label.textContent()).toMatch(/^wasm · \d+ threads?$/);
    await session.browser.page.click('[data-testid="tab-inside"]');
    await session.browser.page.waitForSelector('[data-testid="filters-conv1-real"]');
    const caption = await session.browser.page.textContent('[data-testid="filters-conv1"] h4');
    expect(caption).toMatch(/step 20/);
    expect(await session.browser.page.locator('[data-testid="filters-conv1-fourier"]').count()).toBe(1);
    // The fixed picture is drawn: the canvas is not blank.
    const lit = await session.browser.page.$eval('[data-testid="filters-conv1-real"]', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 30) n++;
      return n;
    });
    expect(lit).toBeGreaterThan(10);
    console.log(`wasm, small CNN, batch 16: ${await metric(session.browser.page, 'speed')} samples/s`);
    await session.browser.screenshot('training-filters');
    expect(session.browser.errors).toEqual([]);
  }, 300_000);

  it('reports a diverging run clearly and leaves the canvas intact', async () => {
    await openFresh(session.browser.page, `${session.app.url}/?template=mlp`);
    await shrink(session.browser.page, 32);
    const before = await session.browser.page.evaluate(() =>
      JSON.stringify((window as any).wavegraph.store.getSnapshot().nodes),
    );
    await configure(session.browser.page, { samples: 320, batch: 16, lr: '1e5', backend: 'wasm' }); // the largest rate the settings allow (TRAINING_LIMITS)
    await session.browser.page.click('[data-testid="train-button"]');
    expect(await waitDone(session.browser.page, 120_000)).toMatch(/diverged/);
    const problems = (await session.browser.page.textContent('[data-testid="training-diagnostics"]')) ?? '';
    expect(problems).toMatch(/loss (exploded|became)/);
    expect(problems).toMatch(/Lower the learning rate/);
    expect(await session.browser.page.locator('[data-testid="node-dense1"]').isVisible()).toBe(true);
    expect(
      await session.browser.page.evaluate(() => JSON.stringify((window as any).wavegraph.store.getSnapshot().nodes)),
    ).toBe(before);
    await session.browser.screenshot('training-diverged');
    expect(session.browser.errors).toEqual([]);
  }, 200_000);

  // Statistics models (ending in Moments) are synthesized, not trained; the CIFAR-10 templates need files this server does not have.
  const isStatistics = (name: string) =>
    JSON.parse(readFileSync(join(ROOT, 'templates', `${name}.json`), 'utf8')).nodes.some(
      (n: { type: string }) => n.type === 'Moments',
    );
  it.each(templates.filter((t) => !isStatistics(t) && !cifarTemplates.includes(t)))(
    'template %s trains a few steps on WASM',
    async (name) => {
      await openFresh(session.browser.page, `${session.app.url}/?template=${name}`);
      await configure(session.browser.page, { samples: 64, batch: 16, epochs: 1, backend: 'wasm' });
      await session.browser.page.click('[data-testid="train-button"]');
      const status = await waitDone(session.browser.page, 240_000);
      const problems = (await session.browser.page.locator('[data-testid="training-diagnostics"]').count())
        ? await session.browser.page.textContent('[data-testid="training-diagnostics"]')
        : '';
      expect(problems).toBe('');
      expect(status).toMatch(/Finished/);
      expect(await metric(session.browser.page, 'step')).toBe('4');
      expect(session.browser.errors).toEqual([]);
    },
    300_000,
  );

  it.each(templates.filter(isStatistics))(
    "template %s says it is a statistics model and offers Synthesis in the training dock's place",
    async (name) => {
      const p = session.browser.page;
      await openFresh(p, `${session.app.url}/?template=${name}`);
      await p.waitForSelector('[data-testid="synthesis-start"]');
      expect(await p.locator('[data-testid="dock"]').isVisible()).toBe(false);
      // Ctrl+Enter on the canvas says why there is nothing to train.
      await p.click('[data-testid="canvas"] .react-flow__pane');
      await p.keyboard.press('Control+Enter');
      await expect
        .poll(() => p.locator('[data-testid="message"]').last().textContent(), { timeout: 10_000 })
        .toMatch(/statistics model.*Synthesize/s);
      expect(session.browser.errors).toEqual([]);
    },
    120_000,
  );

  it('synthesizes in the worker: target, Gaussian and maximum-entropy sample, the KS table and the cross-scale correlations', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=synthesis-gaussian`);
    await p.selectOption('[data-testid="synthesis-dock"] select >> nth=1', '32');
    await p.fill('[data-testid="synthesis-dock"] input >> nth=0', '6');
    await p.click('[data-testid="synthesis-start"]');
    // A progress bar with Stop from the click on, until the run ends.
    await p.waitForSelector('[data-testid="synthesis-progress-stop"]', { timeout: 5_000 });
    await expect
      .poll(() => p.textContent('[data-testid="synthesis-status"]'), { timeout: 120_000 })
      .toMatch(/completed · step 6/);
    expect(await p.locator('[data-testid="synthesis-progress"]').count()).toBe(0);
    expect(await p.locator('[data-testid="synthesis-report"] tr').count()).toBe(5);
    // Ising spins: the same distances on the target's values, the ones the claim reads
    expect(await p.locator('[data-testid="synthesis-report-levels"] tr').count()).toBe(5);
    expect(
      await p.evaluate(() => (document.querySelector('[data-testid="synthesis-sample"]') as HTMLCanvasElement).width),
    ).toBe(32);
    // The why: across scales, the Ising target's moduli correlate far more than its linear coefficients.
    const across = async (id: string) => Number(await p.textContent(`[data-testid="corr-${id}-across"]`));
    for (const f of ['target', 'gaussian', 'sample'])
      for (const k of ['linear', 'modulus']) await p.waitForSelector(`[data-testid="corr-${f}-${k}"]`);
    expect(await across('target-modulus')).toBeGreaterThan(2 * (await across('target-linear')));
    await p.locator('[data-testid="synthesis-correlations"]').scrollIntoViewIfNeeded();
    await session.browser.screenshot('synthesis-dock');
    expect(session.browser.errors).toEqual([]);
  }, 200_000);
});

describe('the dataset a graph asks for', () => {
  let app: App;
  let browser: Browser;
  // A small Fashion-MNIST folder (IDX, gzip, 28x28) the server offers.
  const data = mkdtempSync(join(tmpdir(), 'wavegraph-fashion-'));
  beforeAll(async () => {
    writeIdxSet(data, { gzip: true, train: 32, test: 16, side: 28 });
    app = await startApp({ WAVEGRAPH_FASHION_MNIST: data });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(data, { recursive: true, force: true });
  });

  it("selects the Input node's dataset when the server has it, says why when it does not, and keeps a set the user picks", async () => {
    const p = browser.page;
    await openFresh(p, `${app.url}/?template=mlp`);
    const select = p.locator('[data-testid="train-dataset"]');
    const note = p.locator('[data-testid="train-dataset-note"]');
    const inputDataset = '[data-testid="param-input-dataset"]';
    expect(await p.inputValue(inputDataset)).toBe('fashion-mnist');
    await expect.poll(() => select.inputValue()).toBe('server:fashion-mnist');
    expect(await note.count()).toBe(0);

    // A set the server does not offer: the synthetic set, and a note saying why.
    await p.fill(inputDataset, 'mnist');
    await expect.poll(() => select.inputValue()).toBe('synthetic');
    expect(await note.textContent()).toContain('“mnist”');

    // The user's pick stays through other edits, until the graph asks for another set.
    await p.selectOption('[data-testid="train-dataset"]', 'server:fashion-mnist');
    expect(await note.count()).toBe(0);
    await p.evaluate(() =>
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'dense1').params.units = 16;
      }, 'units'),
    );
    await p.waitForTimeout(200);
    expect(await select.inputValue()).toBe('server:fashion-mnist');
    await p.fill(inputDataset, 'synthetic');
    await expect.poll(() => select.inputValue()).toBe('synthetic');
    expect(await note.count()).toBe(0);

    // Back to Fashion-MNIST, and a few steps trained on the server's files.
    await p.fill(inputDataset, 'fashion-mnist');
    await expect.poll(() => select.inputValue()).toBe('server:fashion-mnist');
    await configure(p, { samples: 32, batch: 16, epochs: 1, backend: 'wasm', dataset: 'server:fashion-mnist' });
    await p.click('[data-testid="train-button"]');
    expect(await waitDone(p, 120_000)).toMatch(/Finished/);
    expect(await metric(p, 'step')).toBe('2');
    expect(browser.errors).toEqual([]);
  }, 200_000);
});
