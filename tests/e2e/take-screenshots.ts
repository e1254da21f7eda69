/**
 * Screenshots for the docs at a laptop's and a desktop's size: the editor, presenter
 * mode, and a lesson. Run: npx tsx tests/e2e/take-screenshots.ts (writes docs/screens/*.png).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startApp, ROOT } from './harness';

const out = join(ROOT, 'docs', 'screens');
mkdirSync(out, { recursive: true });
const app = await startApp();
const b = await launchBrowser();
const p = b.page;
const settle = () => new Promise((r) => setTimeout(r, 1500));
for (const [w, h] of [
  [1366, 768],
  [1920, 1080],
]) {
  await p.setViewportSize({ width: w, height: h });
  await p.goto(app.url);
  await p.evaluate(() => localStorage.clear());
  await p.goto(`${app.url}/?template=scattering-lista`);
  await p.waitForSelector('.gnode-name');
  // The editor shot shows the graph; the lesson card comes back for presenter mode.
  await p.click('[data-testid="lesson-fold"]');
  await settle();
  await p.locator('.gnode-name', { hasText: 'LISTA' }).first().click();
  await settle();
  await p.screenshot({ path: join(out, `editor-${w}x${h}.png`) });
  await p.keyboard.press('Escape');
  await p.click('[data-testid="lesson-open"]');
  await p.keyboard.press('p');
  await p.waitForSelector('.app.presenter');
  await settle();
  const c = (await p.locator('[data-testid="canvas"]').boundingBox())!;
  await p.mouse.move(c.x + c.width * 0.45, c.y + c.height * 0.4, { steps: 4 });
  await p.screenshot({ path: join(out, `presenter-${w}x${h}.png`) });
  await p.keyboard.press('Escape');
  await p.goto(`${app.url}/?template=scattering-linear`);
  await p.waitForSelector('[data-testid="lesson-panel"]');
  await p.click('[data-testid="lesson-next"]');
  await p.waitForSelector('[data-testid="lesson-target-scattering"]');
  await settle();
  await p.screenshot({ path: join(out, `lesson-${w}x${h}.png`) });
}
await b.close();
await app.stop();
process.exit(0);
