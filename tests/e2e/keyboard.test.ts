/**
 * A graph built and trained with the keyboard alone, in a real browser: close the
 * gallery, add nodes from the search (A), connect them (C), move focus between nodes
 * (Tab), open the inspector (Enter selects, I shows it), train (Ctrl+Enter).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { snapshot } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

async function add(p: Page, query: string, type: string): Promise<string> {
  await p.keyboard.press('a');
  await p.waitForSelector('[data-testid="add-search-input"]:focus');
  await p.keyboard.type(query);
  await p.waitForSelector(`[data-testid="add-search"] li.active[data-testid="add-search-${type}"]`);
  await p.keyboard.press('Enter');
  await p.waitForSelector('[data-testid="add-search"]', { state: 'detached' });
  // The new node has the focus.
  await p.waitForFunction(
    (t) => document.activeElement?.matches(`.react-flow__node[data-id^="${t}"]`),
    type.toLowerCase(),
  );
  return p.evaluate(() => (document.activeElement as HTMLElement).dataset.id!);
}

async function connectFrom(p: Page, query: string, edgeTestId: string): Promise<void> {
  await p.keyboard.press('c');
  await p.waitForSelector('[data-testid="connect-input"]:focus');
  await p.keyboard.type(query);
  await p.waitForSelector(`[data-testid="connect-dialog"] li.active[data-testid="${edgeTestId}"]`);
  await p.keyboard.press('Enter');
  await p.waitForSelector('[data-testid="connect-dialog"]', { state: 'detached' });
}

describe('keyboard only', () => {
  it('builds and trains a graph without the mouse', async () => {
    const p = session.browser.page;
    // The laptop size, where the inspector starts folded.
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.goto(session.app.url);
    await p.evaluate(() => localStorage.clear());
    await p.goto(session.app.url);
    await p.waitForSelector('[data-testid="gallery"]');
    await p.keyboard.press('Escape');
    await p.waitForSelector('[data-testid="gallery"]', { state: 'detached' });

    const input = await add(p, 'input images', 'Input');
    const flat = await add(p, 'flatten', 'Flatten');
    await connectFrom(p, 'input', `connect-${input}.out-${flat}.in`);
    const dense = await add(p, 'dense linear', 'Dense');
    await connectFrom(p, 'flatten', `connect-${flat}.out-${dense}.in`);
    const loss = await add(p, 'softmax cross', 'SoftmaxCrossEntropy');
    await connectFrom(p, 'dense', `connect-${dense}.out-${loss}.in`);
    const doc = await snapshot(p);
    expect(doc.nodes).toHaveLength(4);
    expect(doc.edges.map((e: any) => `${e.source}>${e.target}`)).toEqual([
      `${input}>${flat}`,
      `${flat}>${dense}`,
      `${dense}>${loss}`,
    ]);
    const problems = await p.evaluate(() => {
      const w = (window as any).wavegraph;
      return w
        .analyze(w.store.getSnapshot())
        .diagnostics.filter((d: any) => d.severity === 'error')
        .map((d: any) => d.message);
    });
    expect(problems).toEqual([]);

    // Focus moves back to the Dense node (past its own fields); Enter selects it; I shows the inspector on it.
    const focused = () =>
      p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id ?? document.activeElement?.tagName);
    for (let i = 0; i < 12 && (await focused()) !== dense; i++) await p.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(dense);
    await p.keyboard.press('Enter');
    await expect(p.locator('[data-testid="inspector-panel-rail"]').count()).resolves.toBe(1);
    await p.keyboard.press('i');
    await expect.poll(() => p.textContent('[data-testid="inspector"] h2'), { timeout: 5000 }).toBe('Dense (linear)');
    // The focused node is drawn with a visible outline.
    const outline = await p.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');

    await p.keyboard.press('Control+Enter');
    await p.waitForFunction(
      () => /Finished/.test(document.querySelector('[data-testid="training-status"]')?.textContent ?? ''),
      null,
      { timeout: 240_000, polling: 250 },
    );
    expect(await p.textContent('[data-testid="metric-test-acc"]')).toMatch(/%$/);
    expect(session.browser.errors).toEqual([]);
  }, 300_000);
});
