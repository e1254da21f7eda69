/**
 * The first ten seconds of training in the browser: scattering-linear on Fashion-MNIST
 * (70,000 images) with the WASM backend, as a newcomer runs it. Prints the time from
 * pressing Train to the first progress bar, to the first step's metrics, and to the end
 * of the whole frozen front end; then, after a reload, how long the stored front end
 * takes to come back. Run: npx tsx bench/first-metrics.ts
 */
import { launchBrowser, startApp } from '../tests/e2e/harness';

const app = await startApp();
const b = await launchBrowser();
const p = b.page;
const status = async () => (await p.textContent('[data-testid="training-status"]')) ?? '';

async function run(fresh: boolean): Promise<{ bar: number; step: number; frontEnd: string }> {
  if (fresh) {
    await p.goto(app.url);
    await p.evaluate(() => localStorage.clear());
    await p.goto(`${app.url}/?template=scattering-linear`);
  } else await p.reload();
  await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
  await p.selectOption('[data-testid="train-dataset"]', 'server:fashion-mnist');
  await p.fill('[data-testid="train-samples"]', '');
  await p.fill('[data-testid="train-epochs"]', '1');
  await p.selectOption('[data-testid="train-backend"]', 'wasm');
  const t0 = Date.now();
  await p.click('[data-testid="train-button"]');
  await p.waitForSelector('[data-testid="progress-bar"], [data-testid="progress-work"]', { timeout: 60_000 });
  const bar = (Date.now() - t0) / 1000;
  await p.waitForFunction(
    () => /^\d+$/.test(document.querySelector('[data-testid="metric-step"]')?.textContent ?? ''),
    null,
    { timeout: 600_000, polling: 50 },
  );
  const step = (Date.now() - t0) / 1000;
  let frontEnd = '';
  for (let i = 0; i < 6000 && !frontEnd; i++) {
    const s = await status();
    const m = /(Computed|Reused)[^(]*\(\d+ nodes\)[^\d]*([\d.]+) s/.exec(s);
    if (m) frontEnd = `${m[1] === 'Reused' ? 'reused, loaded' : 'computed'} in ${m[2]} s`;
    else await new Promise((r) => setTimeout(r, 100));
  }
  await p.click('[data-testid="stop-button"]');
  await p.waitForFunction(
    () => /Stopped|Finished/.test(document.querySelector('[data-testid="training-status"]')?.textContent ?? ''),
    null,
    { timeout: 60_000 },
  );
  return { bar, step, frontEnd };
}

const first = await run(true);
console.log(
  `fresh:  progress bar after ${first.bar.toFixed(2)} s; first step's metrics after ${first.step.toFixed(1)} s; whole front end ${first.frontEnd}`,
);
const again = await run(false);
console.log(
  `reload: progress bar after ${again.bar.toFixed(2)} s; first step's metrics after ${again.step.toFixed(1)} s; front end ${again.frontEnd}`,
);
await b.close();
await app.stop();
process.exit(0);
