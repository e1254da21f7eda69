/**
 * A lesson in a real browser at 1366x768: the MLP template's lesson advances step by
 * step, its checks tick when the student does what they ask (sets a parameter in the
 * inspector, wires a convolution in), the targeted node is outlined; a teacher edits a
 * step and its training check ticks after a real run; axe-core finds no serious or
 * critical violation in the lesson panel; in a room a student follows the teacher's
 * step; a person picks their name; Back leaves a room and Forward returns to it.
 * Screenshots of the lesson at 1366x768 and 1920x1080 go to test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, ROOT, useAppAndBrowser } from './harness';
import { dragFromPalette, openFresh, snapshot, wire } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function audit(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE);
  const found = (await p.evaluate(
    async () =>
      (await (window as any).axe.run({ include: [['[data-testid="lesson-panel"]']] }, { resultTypes: ['violations'] }))
        .violations,
  )) as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`);
}

const progress = (p: Page) => p.locator('[data-testid="lesson-progress"]').innerText();
const check = (p: Page) => p.locator('[data-testid="lesson-check"]').getAttribute('data-passed');
const waitCheck = (p: Page, passed: 'true' | 'false') =>
  p.waitForSelector(`[data-testid="lesson-check"][data-passed="${passed}"]`, { timeout: 20_000 });

describe('a lesson at 1366x768', () => {
  beforeAll(async () => {
    await session.browser.page.setViewportSize({ width: 1366, height: 768 });
  });

  it('advances step by step, and its checks tick when the student does what they ask', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=mlp`, { lesson: true });
    await p.waitForSelector('[data-testid="lesson-panel"]');
    expect(await progress(p)).toMatch(/^Step 1 of 6 · 0 of 3 checks done/);
    expect(await p.locator('[data-testid="lesson-back"]').isDisabled()).toBe(true);
    expect(await audit(p)).toEqual([]);

    await p.click('[data-testid="lesson-next"]');
    expect(await progress(p)).toMatch(/^Step 2 of 6/);
    // The step points at the Flatten node: outlined on the canvas, and in view.
    const outline = await p.locator('[data-testid="lesson-target-flatten"]').boundingBox();
    const canvas = (await p.locator('[data-testid="canvas"]').boundingBox())!;
    expect(outline).not.toBeNull();
    expect(outline!.x).toBeGreaterThanOrEqual(canvas.x);
    expect(outline!.x + outline!.width).toBeLessThanOrEqual(canvas.x + canvas.width);

    // Panned far away, the next step's node is brought back into view, clear of the card.
    await p.mouse.move(canvas.x + 300, canvas.y + canvas.height - 30);
    await p.mouse.down();
    await p.mouse.move(canvas.x + 300 - 900, canvas.y + canvas.height - 30, { steps: 8 });
    await p.mouse.up();
    const inView = async (testId: string) => {
      const box = await p.locator(`[data-testid="${testId}"]`).boundingBox();
      const card = (await p.locator('[data-testid="lesson-panel"]').boundingBox())!;
      // In the canvas and clear of the card: beside it or below it.
      const clear = box && (box.x + box.width <= card.x || box.y >= card.y + card.height);
      return (
        !!box &&
        !!clear &&
        box.x >= canvas.x &&
        box.x + box.width <= canvas.x + canvas.width &&
        box.y + box.height <= canvas.y + canvas.height
      );
    };
    expect(await inView('node-dense1')).toBe(false);
    // Step 3: set dense1's units to 128 in the inspector.
    await p.click('[data-testid="lesson-next"]');
    await expect.poll(() => inView('lesson-target-dense1')).toBe(true);
    expect(await progress(p)).toMatch(/^Step 3 of 6/);
    expect(await check(p)).toBe('false');
    await p.waitForSelector('[data-testid="lesson-target-dense1"]');
    await p.click('[data-testid="node-dense1"] .gnode-name');
    await p.click('[data-testid="inspector-panel-open"]').catch(() => undefined);
    await p.fill('[data-testid="inspector-units"]', '128');
    await waitCheck(p, 'true');
    expect(await progress(p)).toMatch(/1 of 3 checks done/);
    await session.browser.screenshot('lesson-check-ticked-1366x768');

    // Step 4: a Convolution 2D wired into flatten.
    await p.click('[data-testid="lesson-next"]');
    expect(await progress(p)).toMatch(/^Step 4 of 6/);
    expect(await check(p)).toBe('false');
    await p.keyboard.press('Escape');
    await dragFromPalette(p, 'Conv2D', 160, 330);
    await p.waitForSelector('[data-testid="node-conv2d1"]');
    expect(await check(p)).toBe('false');
    await wire(p, 'port-input-out-out', 'port-conv2d1-in-in');
    // Flatten takes one input: the student deletes the old edge first, as the step says.
    await p.click('[data-testid="edge-label-input-flatten"]');
    await p.keyboard.press('Delete');
    await p.waitForFunction(
      () => !(window as any).wavegraph.store.getSnapshot().edges.some((e: any) => e.target === 'flatten'),
    );
    expect(await check(p)).toBe('false');
    await wire(p, 'port-conv2d1-out-out', 'port-flatten-in-in');
    await waitCheck(p, 'true');
    const doc = await snapshot(p);
    expect(doc.edges.some((e: any) => e.source === 'conv2d1' && e.target === 'flatten')).toBe(true);
    expect(await progress(p)).toMatch(/2 of 3 checks done/);
    expect(await p.locator('[data-testid="lesson-dot-2"]').innerText()).toBe('✓');

    // Undoing the wire takes the tick back: a check reads the graph as it is now.
    await p.keyboard.press('Control+z');
    await waitCheck(p, 'false');
    await p.keyboard.press('Control+Shift+z');
    await waitCheck(p, 'true');

    await p.click('[data-testid="lesson-back"]');
    expect(await progress(p)).toMatch(/^Step 3 of 6/);
    expect(await check(p)).toBe('true');
    // Another graph from the gallery starts its own lesson at the beginning.
    await p.click('[data-testid="templates-button"]');
    await p.click('[data-testid="template-cnn"]');
    await expect.poll(() => progress(p)).toMatch(/^Step 1 of 6 · 0 of 2 checks done/);
    expect(await p.locator('[data-testid="lesson-panel"] h2').innerText()).toBe('Filters learned from scratch');
    expect(session.browser.errors).toEqual([]);
  }, 120_000);

  it('a teacher edits a step; its training check ticks after a real run; axe finds nothing serious', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=mlp`, { lesson: true });
    await p.waitForSelector('[data-testid="lesson-panel"]');
    await p.click('[data-testid="lesson-edit"]');
    await p.waitForSelector('[data-testid="lesson-editor"]');
    expect(await audit(p)).toEqual([]);
    await p.click('[data-testid="lesson-add-step"]');
    expect(await progress(p)).toMatch(/^Step 2 of 7/);
    await p.fill('[data-testid="lesson-step-title"]', 'Any learning at all');
    await p.fill('[data-testid="lesson-step-text"]', 'Train until the **training loss** is below $10^3$.');
    await p.selectOption('[data-testid="lesson-check-kind"]', 'metric');
    await p.selectOption('[aria-label="Metric"]', 'loss');
    await p.selectOption('[aria-label="Comparison"]', '<=');
    await p.fill('[data-testid="lesson-check-threshold"]', '1000');
    await p.selectOption('[data-testid="lesson-step-target"]', 'panel:training');
    const step = (await snapshot(p)).lesson.steps[1];
    expect(step).toEqual({
      title: 'Any learning at all',
      text: 'Train until the **training loss** is below $10^3$.',
      target: { panel: 'training' },
      check: { kind: 'metric', metric: 'loss', op: '<=', value: 1000 },
    });
    // The formula is drawn as text, not markup.
    expect(await p.locator('[data-testid="lesson-body"] .md-math').innerText()).toBe('10³');
    expect(await p.locator('[data-testid="lesson-body"] strong').innerText()).toBe('training loss');
    await p.click('[data-testid="lesson-edit"]');
    expect(await check(p)).toBe('false');

    await p.waitForSelector('[data-testid="train-dataset"][data-listed]');
    await p.selectOption('[data-testid="train-dataset"]', 'synthetic');
    await p.fill('[data-testid="train-samples"]', '128');
    await p.fill('[data-testid="train-batch"]', '32');
    await p.selectOption('[data-testid="train-backend"]', 'wasm');
    await p.click('[data-testid="train-button"]');
    await p.waitForSelector('[data-testid="lesson-check"][data-passed="true"]', { timeout: 120_000 });
    expect(await audit(p)).toEqual([]);

    // Moved down, then removed: the lesson is back to its six steps.
    await p.click('[data-testid="lesson-edit"]');
    await p.click('[data-testid="lesson-move-down"]');
    expect((await snapshot(p)).lesson.steps[2].title).toBe('Any learning at all');
    expect(await progress(p)).toMatch(/^Step 3 of 7/);
    await p.click('[data-testid="lesson-remove-step"]');
    expect((await snapshot(p)).lesson.steps).toHaveLength(6);
    expect(session.browser.errors).toEqual([]);
  }, 180_000);

  it('a step can point at the Research tab or the Synthesis panel: shown and outlined', async () => {
    const p = session.browser.page;
    const outlined = (sel: string) => p.$eval(sel, (el) => getComputedStyle(el).outlineStyle);
    await openFresh(p, `${session.app.url}/?template=jamming-mlp`, { lesson: true });
    await p.waitForSelector('[data-testid="lesson-panel"]');
    expect(await p.locator('[data-testid="research-panel"]').count()).toBe(0);
    for (let i = 0; i < 4; i++) await p.click('[data-testid="lesson-next"]');
    expect(await progress(p)).toMatch(/^Step 5 of 5/);
    // The step opened the dock's Research area and outlines it.
    await p.waitForSelector('[data-testid="research-panel"]', { state: 'visible' });
    expect(await outlined('[data-testid="research-panel"]')).toBe('solid');
    // Back to a step about training: the Train area again.
    await p.click('[data-testid="lesson-back"]');
    await p.waitForSelector('[data-testid="research-panel"]', { state: 'hidden' });
    expect(await outlined('[data-testid="dock"]')).toBe('solid');

    await openFresh(p, `${session.app.url}/?template=synthesis-gaussian`, { lesson: true });
    await p.waitForSelector('[data-testid="lesson-panel"]');
    expect(await outlined('[data-testid="synthesis-dock"]')).toBe('solid');
    await p.click('[data-testid="lesson-next"]');
    expect(await outlined('[data-testid="synthesis-dock"]')).toBe('none');
    expect(session.browser.errors).toEqual([]);
  }, 120_000);

  it('screenshots of a lesson at 1366x768 and 1920x1080', async () => {
    const p = session.browser.page;
    for (const [w, h] of [
      [1366, 768],
      [1920, 1080],
    ]) {
      await p.setViewportSize({ width: w, height: h });
      await openFresh(p, `${session.app.url}/?template=scattering-linear`, { lesson: true });
      await p.waitForSelector('[data-testid="lesson-panel"]');
      await p.click('[data-testid="lesson-next"]');
      await p.waitForSelector('[data-testid="lesson-target-scattering"]');
      await p.waitForTimeout(600);
      await session.browser.screenshot(`lesson-${w}x${h}`);
    }
    await p.setViewportSize({ width: 1366, height: 768 });
  }, 60_000);

  it('in a room a student follows the teacher’s step; names are chosen; Back leaves the room', async () => {
    const teacher = session.browser.page;
    await openFresh(teacher, `${session.app.url}/?template=cnn`, { lesson: true });
    await teacher.waitForSelector('[data-testid="lesson-panel"]');
    await teacher.click('[data-testid="collab-button"]');
    await teacher.waitForSelector('[data-testid="room-dialog"]');
    const readLink = await teacher.locator('[data-testid="read-link"]').inputValue();
    const roomUrl = teacher.url();
    await teacher.click('[data-testid="room-dialog-close"]');
    await teacher.waitForSelector('[data-testid="collab-status"][data-status="connected"]');
    // The teacher names themselves; the name is remembered.
    await teacher.click('[data-testid="my-name"]');
    await teacher.fill('[data-testid="name-input"]', 'Ms Noether');
    await teacher.press('[data-testid="name-input"]', 'Enter');
    expect(await teacher.locator('[data-testid="my-name"]').getAttribute('data-name')).toBe('Ms Noether');
    expect(JSON.parse((await teacher.evaluate(() => localStorage.getItem('wavegraph-user')))!).name).toBe('Ms Noether');
    await teacher.click('[data-testid="lesson-lead"]');

    const student = await launchBrowser();
    try {
      await student.page.setViewportSize({ width: 1366, height: 768 });
      await student.page.goto(readLink);
      await student.page.waitForSelector('[data-testid="lesson-panel"]');
      await student.page.waitForSelector('[data-testid="peer"][data-name="Ms Noether"]');
      expect(await student.page.locator('[data-testid="lesson-room"]').innerText()).toMatch(
        /Following Ms Noether's step/,
      );
      // Read-only: no edit mode for the student.
      expect(await student.page.locator('[data-testid="lesson-edit"]').count()).toBe(0);
      for (let i = 0; i < 3; i++) await teacher.click('[data-testid="lesson-next"]');
      await student.page.waitForFunction(
        () => document.querySelector('[data-testid="lesson-panel"]')?.getAttribute('data-step') === '3',
      );
      await student.page.waitForSelector('[data-testid="lesson-target-conv1"]');
      // The teacher rewrites the step in the room; the student reads the new text.
      await teacher.click('[data-testid="lesson-edit"]');
      await teacher.fill('[data-testid="lesson-step-text"]', 'Set **kernel** to $3$, edited live.');
      await student.page.waitForFunction(() =>
        /edited live/.test(document.querySelector('[data-testid="lesson-body"]')?.textContent ?? ''),
      );
      await teacher.click('[data-testid="lesson-edit"]');
      // Looking around alone, then following again.
      await student.page.click('[data-testid="lesson-back"]');
      expect(await student.page.locator('[data-testid="lesson-panel"]').getAttribute('data-step')).toBe('2');
      await student.page.click('[data-testid="lesson-follow"]');
      expect(await student.page.locator('[data-testid="lesson-panel"]').getAttribute('data-step')).toBe('3');
      expect(student.errors).toEqual([]);
    } finally {
      await student.close();
    }

    // Back returns to the private editor, Forward into the room again.
    await teacher.goBack();
    await teacher.waitForFunction(() => !document.querySelector('[data-testid="collab-status"]'));
    expect(new URL(teacher.url()).hash).not.toMatch(/room=/);
    await teacher.goForward();
    await teacher.waitForSelector('[data-testid="collab-status"][data-status="connected"]');
    expect(teacher.url()).toBe(roomUrl);
  }, 120_000);
});
