/**
 * Accessibility audits with axe-core in a real browser at 1366x768: the editor, the
 * training panel, the research tab, presenter mode and a shared room have no serious
 * or critical violation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, useAppAndBrowser } from './harness';
import { openFresh } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical violations on the page as it is now, one line each. */
async function audit(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE); // through DevTools: the app's Content-Security-Policy refuses inline scripts
  const found = (await p.evaluate(
    async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations,
  )) as Violation[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')})`,
    );
}

describe('axe-core audit at 1366x768', () => {
  beforeAll(async () => {
    await session.browser.page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the editor with a template, the inspector open on a node', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=scattering-linear`);
    await p.waitForSelector('.gnode-name');
    expect(await audit(p)).toEqual([]);
    await p.click('[data-testid="inspector-panel-open"]');
    await p.locator('.gnode-name').first().click();
    await p.waitForSelector('[data-testid="inspector"]');
    expect(await audit(p)).toEqual([]);
  });

  it('the training panel after a short run, and the research tab', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=mlp`);
    await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
    await p.selectOption('[data-testid="train-dataset"]', 'synthetic');
    await p.fill('[data-testid="train-samples"]', '128');
    await p.fill('[data-testid="train-batch"]', '32');
    await p.selectOption('[data-testid="train-backend"]', 'wasm');
    await p.click('[data-testid="train-button"]');
    await p.waitForFunction(
      () => /Finished|Stopped/.test(document.querySelector('[data-testid="training-status"]')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    expect(await audit(p)).toEqual([]);
    await p.click('[data-testid="tab-inside"]');
    expect(await audit(p)).toEqual([]);
    await p.click('[data-testid="research-tab"]');
    await p.waitForTimeout(500);
    expect(await audit(p)).toEqual([]);
  }, 180_000);

  it('presenter mode and a shared room', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=cnn`);
    await p.waitForSelector('.gnode-name');
    await p.keyboard.press('p');
    await p.waitForSelector('.app.presenter');
    expect(await audit(p)).toEqual([]);
    await p.keyboard.press('Escape');
    await p.click('[data-testid="collab-button"]');
    await p.waitForSelector('[data-testid="room-dialog"]');
    expect(await audit(p)).toEqual([]);
    await p.click('[data-testid="room-dialog-close"]');
    await p.waitForSelector('[data-testid="collab-status"][data-status="connected"]');
    expect(await audit(p)).toEqual([]);
  });
});
