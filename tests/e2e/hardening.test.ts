/**
 * Bad input in a real browser: a panel that throws is closed alone while the rest of
 * the editor keeps working on an intact document, and a share link that is a deflate
 * bomb is refused at start-up with a message instead of hanging the tab.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { openFresh, snapshot } from './editor-helpers';
import { SHARE_PREFIX, toBase64Url } from '../../src/app/files/share';
import { deflateBomb } from '../fuzz/deflate-bomb';

const s = useAppAndBrowser({ beforeAll, beforeEach, afterAll });
const pageErrors = () => s.browser.errors.filter((e) => e.startsWith('page error'));

describe('a panel that fails', () => {
  it('is replaced by a note naming it and the error; the canvas and palette still edit the same document', async () => {
    const page = s.browser.page;
    await openFresh(page, `${s.app.url}/?template=mlp`);
    await page.waitForSelector('[data-testid="node-dense1"]');
    // A document part the schema would refuse, as a peer or an old bug could still put in the store:
    // the inspector reads the node's group from a list holding null.
    await page.evaluate(() => {
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'dense1').group = 'g1';
        d.groups = [null];
      }, 'crafted');
    });
    const before = await snapshot(page);
    await page.click('[data-testid="node-dense1"]');
    const note = page.locator('[data-testid="panel-failed-inspector"]');
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(/The inspector stopped working.*null.*Your graph is safe/s);
    await s.browser.screenshot('panel-failed-inspector');

    // The palette still adds, the canvas still shows it, and nothing of the document was lost.
    await page.dblclick('[data-testid="palette-ReLU"]');
    await expect.poll(async () => (await snapshot(page)).nodes.length).toBe(before.nodes.length + 1);
    await page.waitForSelector('[data-testid="node-relu2"]');
    const after = await snapshot(page);
    expect(after.nodes.slice(0, before.nodes.length)).toEqual(before.nodes);
    expect(after.edges).toEqual(before.edges);
    expect(after.groups).toEqual([null]);

    // Once the document is repaired, Retry brings the inspector back on the same selection.
    await page.evaluate(() => {
      (window as any).wavegraph.store.transact((d: any) => {
        delete d.nodes.find((n: any) => n.id === 'dense1').group;
        delete d.groups;
      }, 'repair');
    });
    // The new node lands at the view's centre, which can be over dense1: move it aside.
    await page.evaluate(() => {
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'relu2').position = { x: -600, y: -600 };
      }, 'aside');
    });
    await page.click('[data-testid="panel-failed-inspector-retry"]');
    await page.waitForSelector('[data-testid="inspector"]');
    await page.click('[data-testid="node-dense1"]');
    await expect.poll(() => page.locator('[data-testid="inspector"] h2').textContent()).toBe('Dense (linear)');
    // React reports the caught error on the console; nothing escaped as an uncaught page error.
    expect(pageErrors()).toEqual([]);
    expect(s.browser.errors.some((e) => /The inspector failed/.test(e))).toBe(true);
  });
});

describe('a graph over the memory budget', () => {
  it('shows its estimate in the summary, and Train refuses with the reason before the worker starts', async () => {
    const page = s.browser.page;
    await openFresh(page, `${s.app.url}/?template=mlp`);
    await page.waitForSelector('[data-testid="node-dense1"]');
    await expect(page.locator('[data-testid="memory-estimate"]').textContent()).resolves.toMatch(
      /MiB to train at batch 128 \(limit 2\.0 GiB\)/,
    );
    await page.evaluate(() => {
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'input').params = { height: 1024, width: 1024, channels: 16 };
        d.nodes.find((n: any) => n.id === 'dense1').params.units = 65536;
      }, 'grow');
    });
    await expect.poll(() => page.locator('[data-testid="memory-estimate"]').textContent()).toMatch(/TiB to train/);
    await expect(page.locator('[data-testid="memory-estimate"]').getAttribute('class')).resolves.toMatch(/over/);
    await page.click('[data-testid="train-button"]');
    await expect
      .poll(() => page.locator('[data-testid="training-diagnostics"]').textContent())
      .toMatch(/needs about [\d.]+ TiB.*more than the 2\.0 GiB/);
    await expect(page.locator('[data-testid="diag-dense1"]').textContent()).resolves.toMatch(/Training this graph/);
    expect(pageErrors()).toEqual([]);
  });
});

describe('a share link that is a deflate bomb', () => {
  it('is refused at start-up with a message; the autosaved graph stays', async () => {
    const page = s.browser.page;
    await openFresh(page, `${s.app.url}/?template=mlp`);
    await page.waitForSelector('[data-testid="node-dense1"]');
    // An edit, so the autosave holds this graph.
    await page.evaluate(() => (window as any).wavegraph.store.transact((d: any) => void (d.name = 'kept'), 'rename'));
    await expect.poll(() => page.evaluate(() => localStorage.getItem('wavegraph:autosave') ?? '')).toMatch(/"kept"/);
    // 64 MiB once unpacked, a 400 kB link.
    const link = SHARE_PREFIX + toBase64Url(deflateBomb(64 * 1024 * 1024));
    const t0 = Date.now();
    await page.goto(`${s.app.url}/${link}`);
    await page.waitForSelector('[data-testid="canvas"]');
    await expect
      .poll(() => page.locator('[data-testid="message"]').textContent())
      .toMatch(/Could not open the shared graph.*more than 8 MiB/s);
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds).toBeLessThan(30);
    await page.waitForSelector('[data-testid="node-dense1"]');
    const kept = await snapshot(page);
    expect(kept.name).toBe('kept');
    expect(kept.nodes.map((n: { id: string }) => n.id)).toEqual([
      'input',
      'flatten',
      'dense1',
      'relu1',
      'dense2',
      'loss',
    ]);
    expect(pageErrors()).toEqual([]);
  });
});
