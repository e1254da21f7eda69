/**
 * `npm run bench:gpu`: training throughput in the browser on the machine's real GPU
 * adapter (the app, served as users get it, driven in headless Chromium), on WebGPU
 * and on WebGL, for cnn, scattering-linear and learned-first-layer; beside PyTorch
 * CUDA for the cnn when torch sees a GPU. `--swiftshader` uses Chromium's software
 * adapter instead (to check the benchmark itself on a machine without a GPU: its
 * figures say nothing about GPUs). `--quick`: fewer samples.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM_FLAGS, launchBrowser, startApp } from '../tests/e2e/harness';
import { openFresh } from '../tests/e2e/editor-helpers';

const software = process.argv.includes('--swiftshader');
const quick = process.argv.includes('--quick');
const samples = quick ? 512 : 6144;
const TEMPLATES = ['cnn', 'scattering-linear', 'learned-first-layer'];
const BACKENDS = ['webgpu', 'webgl'];

// The harness's flags ask for the software adapter; a real adapter needs the GPU left on.
const flags = software
  ? CHROMIUM_FLAGS
  : [
      ...CHROMIUM_FLAGS.filter((f) => !/swiftshader/.test(f)),
      '--enable-gpu',
      '--ignore-gpu-blocklist',
      '--use-angle=vulkan',
    ];

/** The adapters the app's page sees (WebGPU needs a secure context such as the app's localhost page). */
async function adapterName(page: Page, url: string): Promise<string> {
  await openFresh(page, url);
  return page.evaluate(async () => {
    const gpu = (
      navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }
    ).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    const webgpu = a?.info
      ? [a.info.vendor, a.info.architecture, a.info.device, a.info.description].filter(Boolean).join(' ')
      : 'no WebGPU adapter';
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const webgl = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'no WebGL2';
    return `WebGPU: ${webgpu || 'unnamed adapter'}; WebGL: ${webgl}`;
  });
}

async function trainOnce(page: Page, url: string, template: string, backend: string): Promise<string> {
  await openFresh(page, `${url}/?template=${template}`);
  await page.waitForSelector('[data-testid="train-dataset"][data-listed]');
  await page.selectOption('[data-testid="train-dataset"]', 'synthetic');
  await page.fill('[data-testid="train-samples"]', String(samples));
  await page.fill('[data-testid="train-batch"]', '128');
  await page.fill('[data-testid="train-epochs"]', '1');
  await page.selectOption('[data-testid="train-backend"]', backend);
  await page.click('[data-testid="train-button"]');
  await page.waitForFunction(
    () =>
      /Finished|Stopped|diverged|could not start/.test(
        document.querySelector('[data-testid="training-status"]')?.textContent ?? '',
      ),
    null,
    { timeout: 1_800_000, polling: 500 },
  );
  const status = (await page.textContent('[data-testid="training-status"]')) ?? '';
  const used = (await page.textContent('[data-testid="training-backend"]')) ?? '';
  const speed = ((await page.textContent('[data-testid="metric-speed"]')) ?? '').trim();
  if (!/Finished/.test(status)) return `not measured (${status.trim()})`;
  if (!used.includes(backend)) return `not measured (ran on ${used.trim()} instead of ${backend})`;
  return `${speed} samples/s`;
}

function pytorchCuda(): string {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [join('bench', 'pytorch_cnn.py'), '2', '50', 'cuda'], { encoding: 'utf8' });
  if (r.status !== 0) return `not measured (${(r.stderr || '').trim().split('\n').pop()})`;
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return `${j.samplesPerSec.toFixed(0)} samples/s on ${j.card}`;
}

const app = await startApp();
const browser = await launchBrowser({ args: flags });
try {
  const adapter = await adapterName(browser.page, app.url);
  console.log(`adapter: ${adapter}${software ? ' (software, --swiftshader: not a GPU figure)' : ''}`);
  if (!software && /swiftshader|llvmpipe|no WebGPU adapter/i.test(adapter)) {
    console.log('note: no hardware adapter was found; the figures below are not GPU figures.');
  }
  for (const template of TEMPLATES) {
    for (const backend of BACKENDS) {
      process.stderr.write(`${template} on ${backend}...\n`);
      console.log(
        `train ${template}.json, browser ${backend}, batch 128, ${samples} synthetic samples: ${await trainOnce(browser.page, app.url, template, backend)}`,
      );
    }
  }
  console.log(`train same CNN, PyTorch CUDA: ${pytorchCuda()}`);
} finally {
  await browser.close();
  await app.stop();
}
process.exit(0);
