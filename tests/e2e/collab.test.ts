/**
 * Two people in one shared room, each in their own browser profile, against the app
 * served by `node bin/start.js`: A turns a graph into a room and shares the edit link,
 * B joins; each sees the other's nodes and B sees A's cursor; undo in one browser
 * takes back only that person's edit; a read-only link cannot change the graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, startApp, type App, type Browser } from './harness';
import { center, dragFromPalette, openFresh, snapshot } from './editor-helpers';

let app: App;
let a: Browser;
let b: Browser;
let editLink = '';
let readLink = '';

beforeAll(async () => {
  app = await startApp();
  [a, b] = await Promise.all([launchBrowser(), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await app?.stop();
});

async function nameUser(page: Page, name: string, color: string): Promise<void> {
  await page.evaluate(
    ([n, c]) => localStorage.setItem('wavegraph-user', JSON.stringify({ name: n, color: c })),
    [name, color],
  );
}
const ids = async (page: Page): Promise<string[]> =>
  (await snapshot(page)).nodes.map((n: { id: string }) => n.id).sort();
const connected = (page: Page) => page.waitForSelector('[data-testid="collab-status"][data-status="connected"]');

describe('collaboration in the browser', () => {
  it('A shares a graph as a room and gets an edit and a read-only link', async () => {
    await openFresh(a.page, app.url);
    await nameUser(a.page, 'Ada', '#ff6b6b');
    await a.page.click('[data-testid="template-empty"]');
    await dragFromPalette(a.page, 'Input', 120, 120);
    await a.page.waitForSelector('[data-testid="node-input1"]');
    await a.page.click('[data-testid="collab-button"]');
    await a.page.waitForSelector('[data-testid="room-dialog"]');
    editLink = await a.page.locator('[data-testid="edit-link"]').inputValue();
    readLink = await a.page.locator('[data-testid="read-link"]').inputValue();
    expect(editLink).toMatch(/#room=[^&]+&token=/);
    expect(readLink).toMatch(/#room=[^&]+&token=/);
    expect(readLink).not.toBe(editLink);
    await a.screenshot('collab-a-room-dialog');
    await a.page.click('[data-testid="room-dialog-close"]');
    await connected(a.page);
    const roomOf = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('room');
    expect(roomOf(a.page.url())).toBe(roomOf(editLink));
    expect(roomOf(editLink)).toBeTruthy();
    await a.page.waitForSelector('[data-testid="node-input1"]');
  });

  it('B opens the edit link, and each sees the node the other adds', async () => {
    await openFresh(b.page, app.url);
    await nameUser(b.page, 'Bea', '#4dabf7');
    await b.page.goto(editLink);
    await b.page.waitForSelector('[data-testid="node-input1"]');
    await connected(b.page);
    await dragFromPalette(b.page, 'Dense', 420, 320);
    await a.page.waitForSelector('[data-testid="node-dense1"]');
    await dragFromPalette(a.page, 'Flatten', 120, 360);
    await b.page.waitForSelector('[data-testid="node-flatten1"]');
    expect(await ids(a.page)).toEqual(['dense1', 'flatten1', 'input1']);
    expect(await ids(b.page)).toEqual(['dense1', 'flatten1', 'input1']);
    // B's node is validated on A's canvas too: its unconnected input is reported there.
    await expect
      .poll(() => a.page.locator('[data-testid="diag-dense1"]').textContent(), { timeout: 15_000 })
      .toMatch(/not connected/);
    await a.page.waitForSelector('[data-testid="peer"][data-name="Bea"]');
    await b.page.waitForSelector('[data-testid="peer"][data-name="Ada"]');
  });

  it("B sees A's cursor, and A's selection outlined", async () => {
    const pane = await center(a.page, '[data-testid="canvas"] .react-flow__pane');
    await a.page.mouse.move(pane.x - 50, pane.y - 40, { steps: 5 });
    await a.page.mouse.move(pane.x + 60, pane.y + 30, { steps: 5 });
    const cursor = b.page.locator('[data-testid="peer-cursor"][data-name="Ada"]');
    await cursor.waitFor();
    await expect.poll(() => cursor.textContent(), { timeout: 15_000 }).toContain('Ada');
    await a.page.click('[data-testid="node-flatten1"]');
    await b.page.waitForSelector('[data-testid="peer-selection-flatten1"]');
    await b.page.waitForSelector('[data-testid="peer-editing-flatten1"]');
    await a.page.mouse.move(pane.x + 80, pane.y + 60, { steps: 3 });
    await b.screenshot('collab-b-sees-ada');
    await a.screenshot('collab-a-sees-bea');
  });

  it('warns before deleting a node someone else is editing', async () => {
    await b.page.click('[data-testid="node-flatten1"]');
    const asked = new Promise<string>((resolve) =>
      b.page.once('dialog', (d) => (resolve(d.message()), void d.dismiss())),
    );
    await b.page.keyboard.press('Delete');
    await expect(asked).resolves.toMatch(/Ada is editing/);
    expect(await ids(b.page)).toContain('flatten1');
    expect(await ids(a.page)).toContain('flatten1');
  });

  it("follows a person's view when their name is clicked", async () => {
    const pane = await center(b.page, '[data-testid="canvas"] .react-flow__pane');
    await b.page.mouse.move(pane.x, pane.y);
    await b.page.mouse.wheel(0, 400);
    await b.page.mouse.move(pane.x + 5, pane.y + 5);
    const transform = (p: Page) =>
      p.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    const target = await transform(b.page);
    expect(await transform(a.page)).not.toBe(target);
    await a.page.click('[data-testid="peer"][data-name="Bea"]');
    await a.page.waitForFunction(
      (t) => (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform === t,
      target,
    );
    await a.page.click('[data-testid="peer"][data-name="Bea"]');
  });

  it("undo in one browser takes back only that person's own edit", async () => {
    await a.page.click('[data-testid="canvas"] .react-flow__pane', { position: { x: 30, y: 30 } });
    await a.page.keyboard.press('Control+z');
    await b.page.waitForSelector('[data-testid="node-flatten1"]', { state: 'detached' });
    expect(await ids(a.page)).toEqual(['dense1', 'input1']);
    expect(await ids(b.page)).toEqual(['dense1', 'input1']);
    // A has nothing left to undo in this room: B's node stays.
    await a.page.keyboard.press('Control+z');
    await b.page.click('[data-testid="canvas"] .react-flow__pane', { position: { x: 30, y: 30 } });
    await b.page.keyboard.press('Control+z');
    await a.page.waitForSelector('[data-testid="node-dense1"]', { state: 'detached' });
    expect(await ids(a.page)).toEqual(['input1']);
    expect(await ids(b.page)).toEqual(['input1']);
  });

  it('a read-only link shows the graph and a badge but cannot change it', async () => {
    const c = await a.newPage();
    await c.goto(readLink);
    await c.waitForSelector('[data-testid="node-input1"]');
    await c.waitForSelector('[data-testid="readonly-badge"]');
    await connected(c);
    const before = await snapshot(a.page);
    await dragFromPalette(c, 'Dense', 420, 320);
    const box = await c.locator('[data-testid="node-input1"]').boundingBox();
    await c.mouse.move(box!.x + 20, box!.y + 10);
    await c.mouse.down();
    await c.mouse.move(box!.x + 220, box!.y + 210, { steps: 6 });
    await c.mouse.up();
    // Even a script on the page cannot write: the store refuses and so would the server.
    await c.evaluate(() => (window as any).wavegraph.store.transact((d: any) => void (d.name = 'vandalised')));
    // A change that did get through would reach A; a later edit by A proves the channel is live.
    await a.page.locator('[data-testid="doc-name"]').fill('shared graph');
    await c.waitForFunction(() => (window as any).wavegraph.store.getSnapshot().name === 'shared graph');
    const after = await snapshot(a.page);
    expect(after.nodes).toEqual(before.nodes);
    expect(after.name).toBe('shared graph');
    expect((await snapshot(c)).nodes.map((n: { id: string }) => n.id)).toEqual(['input1']);
    await c.screenshot({ path: 'test-results/screenshots/collab-read-only.png' });
    await c.close();
  });

  it('keeps edits made offline and merges them on reconnect', async () => {
    // Browser offline emulation blocks new sockets but keeps open ones, so the open one is dropped too.
    await b.context.setOffline(true);
    await b.page.evaluate(() =>
      (window as any).wavegraph.room.provider.configuration.websocketProvider.webSocket?.close(),
    );
    await b.page.waitForSelector('[data-testid="collab-status"]:not([data-status="connected"])');
    await dragFromPalette(b.page, 'ReLU', 650, 140);
    await b.page.waitForSelector('[data-testid="node-relu1"]');
    await expect
      .poll(() => b.page.locator('[data-testid="collab-status"]').textContent(), { timeout: 15_000 })
      .toMatch(/offline|reconnecting/);
    await b.screenshot('collab-b-offline');
    expect(await ids(a.page)).not.toContain('relu1');
    await b.context.setOffline(false);
    await a.page.waitForSelector('[data-testid="node-relu1"]', { timeout: 60_000 });
    await connected(b.page);
  });

  it('shows a run someone shares live, tagged with the document version', async () => {
    await a.page.click('[data-testid="room-button"]');
    await a.page.check('[data-testid="share-run-toggle"]');
    await a.page.click('[data-testid="room-dialog-close"]');
    // The training panel announces each repaint of its charts with this event.
    await a.page.evaluate(() => {
      const series = {
        step: [1, 2, 3],
        loss: [2.3, 1.9, 1.5],
        trainAcc: [0.1, 0.3, 0.45],
        testAcc: [null, null, 0.4],
        samplesPerSec: [900, 950, 940],
      };
      window.dispatchEvent(new CustomEvent('wavegraph:training', { detail: { phase: 'training', series } }));
    });
    await b.page.click('[data-testid="live-runs-button"]');
    const panel = b.page.locator('[data-testid="live-runs"]');
    await expect
      .poll(() => panel.textContent(), { timeout: 15_000 })
      .toMatch(/Ada: shared graph · document [0-9a-f]{8} · training/);
    await b.page.waitForSelector('[data-testid="live-runs"] [data-testid="chart-loss"] canvas');
    await b.screenshot('collab-b-live-run');
  });

  it('the owner publishes the room, B forks it with one click, the owner opens the fork read-only', async () => {
    await a.page.click('[data-testid="room-button"]');
    await a.page.check('[data-testid="publish-toggle"]');
    await a.page.click('[data-testid="room-dialog-close"]');
    const roomOf = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('room');
    const original = roomOf(editLink);
    await b.page.goto(readLink);
    await b.page.waitForSelector('[data-testid="readonly-badge"]');
    await b.page.click('[data-testid="fork-button"]');
    await b.page.waitForFunction((room) => new URLSearchParams(location.hash.slice(1)).get('room') !== room, original);
    await b.page.waitForSelector('[data-testid="readonly-badge"]', { state: 'detached' });
    await b.page.waitForSelector('[data-testid="node-input1"]');
    await dragFromPalette(b.page, 'Modulus', 650, 360);
    await b.page.waitForSelector('[data-testid="node-modulus1"]');
    await a.page.click('[data-testid="room-button"]');
    await a.page.waitForSelector('[data-testid="fork-list"] li');
    await a.screenshot('collab-a-forks');
    await a.page.click('[data-testid="fork-list"] li button');
    await a.page.waitForSelector('[data-testid="readonly-badge"]');
    await a.page.waitForSelector('[data-testid="node-modulus1"]');
    expect(roomOf(a.page.url())).toBe(roomOf(b.page.url()));
  });

  it('leaves a clean console', () => {
    // B's browser logs its refused reconnects while it was offline on purpose.
    const unexpected = (errors: string[]) =>
      errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e));
    expect(unexpected(a.errors)).toEqual([]);
    expect(unexpected(b.errors)).toEqual([]);
  });
});
