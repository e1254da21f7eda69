/**
 * The Export menu in a real browser: the open graph downloads as an ONNX model that
 * onnxruntime runs and as a PyTorch .zip; weights of the open graph load, those of
 * another graph are refused with the names that do not match; loaded weights are
 * evaluated by the training panel and offered to the research instruments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { main } from '../../src/cli/main';
import { launchBrowser, startApp, type App, type Browser } from './harness';
import { openFresh } from './editor-helpers';

let app: App;
let b: Browser;
const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-export-'));
const quiet = { out: () => undefined, err: () => undefined, isTTY: false };

beforeAll(async () => {
  app = await startApp();
  b = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await app?.stop();
});

async function downloadFrom(testid: string): Promise<Uint8Array> {
  await b.page.click('[data-testid="export-menu"] > summary');
  const [d] = await Promise.all([
    b.page.waitForEvent('download', { timeout: 120_000 }),
    b.page.click(`[data-testid="${testid}"]`),
  ]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return new Uint8Array(readFileSync(path));
}

describe('Export menu', () => {
  it('downloads the open graph as ONNX and as a PyTorch package; loads weights for it', async () => {
    await openFresh(b.page, app.url);
    await b.page.click('[data-testid="template-mlp"]');
    await b.page.waitForSelector('[data-testid="gallery"]', { state: 'detached' });

    const onnxBytes = await downloadFrom('export-onnx');
    const session = await ort.InferenceSession.create(onnxBytes);
    const out = await session.run({
      images: new ort.Tensor('float32', new Float32Array(2 * 784).fill(0.5), [2, 1, 28, 28]),
    });
    expect(out.scores.dims).toEqual([2, 10]);
    await session.release();

    const zip = await downloadFrom('export-pytorch');
    expect(String.fromCharCode(zip[0], zip[1])).toBe('PK');
    expect(new TextDecoder().decode(zip)).toContain('class Dense(nn.Module)');

    // weights of this graph load; those of another graph are refused, naming them
    expect(await main(['export', 'templates/mlp.json', '--to', 'pytorch', '--out', join(dir, 'mlp')], quiet)).toBe(0);
    expect(await main(['export', 'templates/cnn.json', '--to', 'pytorch', '--out', join(dir, 'cnn')], quiet)).toBe(0);
    const message = b.page.locator('[data-testid="message"]');
    await b.page.setInputFiles('[data-testid="weights-input"]', [
      join(dir, 'cnn', 'weights', 'weights.json'),
      join(dir, 'cnn', 'weights', 'weights.bin'),
    ]);
    await expect.poll(() => message.last().textContent(), { timeout: 60_000 }).toMatch(/do not belong.*conv1\/kernel/s);
    await b.page.setInputFiles('[data-testid="weights-input"]', [
      join(dir, 'mlp', 'weights', 'weights.json'),
      join(dir, 'mlp', 'weights', 'weights.bin'),
    ]);
    await expect.poll(() => message.last().textContent(), { timeout: 60_000 }).toMatch(/Loaded \d+ weights/);
    await b.screenshot('export-menu');
  }, 600_000);

  it('evaluates weights trained elsewhere in the training panel: the accuracy they were saved with', async () => {
    // Trained by the command line on the synthetic set; the panel's synthetic test split is the same 1000 images.
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: () => undefined, isTTY: false };
    const saved = join(dir, 'mlp-trained');
    const args = ['train', 'templates/mlp.json', '--data', 'synthetic', '--limit', '1200', '--epochs', '1'];
    expect(await main([...args, '--seed', '1', '--save', saved, '--json'], io)).toBe(0);
    const cliAcc = (JSON.parse(lines.at(-1)!) as { testAcc: number }).testAcc;
    expect(cliAcc).toBeGreaterThan(0.5);

    await b.page.setInputFiles('[data-testid="weights-input"]', [
      join(saved, 'weights.json'),
      join(saved, 'weights.bin'),
    ]);
    const p = b.page;
    await p.waitForSelector('[data-testid="loaded-weights"]');
    await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
    await p.selectOption('[data-testid="train-dataset"]', 'synthetic');
    await p.fill('[data-testid="train-samples"]', '');
    await p.click('[data-testid="evaluate-loaded"]');
    const status = p.locator('[data-testid="training-status"]');
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/Evaluated the weights as loaded/);
    const shown = Number(/([\d.]+)%/.exec((await status.textContent()) ?? '')![1]) / 100;
    // Another backend's round-off may flip a borderline image or two.
    expect(Math.abs(shown - cliAcc)).toBeLessThan(0.006);

    // The messages of the loads above sit over the dock's lower right: dismiss them.
    while (await p.locator('.message-close').count()) await p.locator('.message-close').first().click();
    await p.click('[data-testid="research-tab"]');
    await p.click('[data-testid="research-view-probe"]');
    await expect
      .poll(async () => (await p.locator('[data-testid="probe-model"] option').allTextContents()).join('|'), {
        timeout: 30_000,
      })
      .toMatch(/loaded weights \(weights\.json\)/);
    await b.screenshot('loaded-weights');
  }, 600_000);
});
