/**
 * The editor in a real browser, against the app served by `node bin/start.js`:
 * building a graph by hand, refused connections, undo/redo, autosave across a reload,
 * files, templates, share links and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startApp, ROOT, type App, type Browser } from './harness';
import { center, dragFromPalette, openFresh, snapshot, wire } from './editor-helpers';

let app: App;
let b: Browser;

beforeAll(async () => {
  app = await startApp();
  b = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await app?.stop();
});

const message = () => b.page.locator('[data-testid="message"]');
const edgeCount = async () => (await snapshot(b.page)).edges.length;

describe('editor', () => {
  it('shows the template gallery on first start', async () => {
    await openFresh(b.page, app.url);
    await b.page.waitForSelector('[data-testid="gallery"]');
    for (const f of readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.json'))) {
      await expect
        .poll(() => b.page.locator(`[data-testid="template-${f.replace(/\.json$/, '')}"]`).textContent(), {
          timeout: 15_000,
        })
        .toMatch(/\w+\./);
    }
    await b.screenshot('gallery');
    await b.page.click('[data-testid="template-empty"]');
    await b.page.waitForSelector('[data-testid="gallery"]', { state: 'detached' });
  });

  it('builds the scattering-linear graph from the palette and shows shapes on the edges', async () => {
    const places: [string, number, number][] = [
      ['Input', 60, 80],
      ['Scattering2D', 330, 80],
      ['BatchNorm', 600, 80],
      ['Flatten', 60, 340],
      ['Dense', 330, 340],
      ['SoftmaxCrossEntropy', 600, 340],
    ];
    for (const [type, x, y] of places) await dragFromPalette(b.page, type, x, y);
    const ids = ['input1', 'scattering2d1', 'batchnorm1', 'flatten1', 'dense1', 'softmaxcrossentropy1'];
    for (const id of ids) await b.page.waitForSelector(`[data-testid="node-${id}"]`);
    for (let i = 1; i < ids.length; i++) {
      await wire(b.page, `port-${ids[i - 1]}-out-out`, `port-${ids[i]}-in-in`);
      await b.page.waitForSelector(`[data-testid="edge-${ids[i]}:in"]`);
    }
    const label = (id: string) => b.page.locator(`[data-testid="edge-label-${id}:in"]`).textContent();
    await expect(label('scattering2d1')).resolves.toBe('28×28×1');
    await expect(label('batchnorm1')).resolves.toMatch(/^\d+×\d+×81$/);
    await expect(label('softmaxcrossentropy1')).resolves.toBe('10');
    const problems = await b.page.evaluate(() => {
      const w = (window as any).wavegraph;
      return w.analyze(w.store.getSnapshot()).diagnostics.map((d: any) => d.message);
    });
    expect(problems).toEqual([]);
    await b.page.locator('[data-testid="node-scattering2d1"] .gnode-title').click();
    await expect
      .poll(() => b.page.locator('[data-testid="help-panel"]').textContent(), { timeout: 15_000 })
      .toMatch(/Bruna & Mallat/);
    await b.screenshot('editor-scattering-linear');
  });

  it('refuses an invalid connection while dragging and says why', async () => {
    const before = await edgeCount();
    const a = await center(b.page, '[data-testid="port-input1-out-out"]');
    const t = await center(b.page, '[data-testid="port-dense1-in-in"]');
    await b.page.mouse.move(a.x, a.y);
    await b.page.mouse.down();
    await b.page.mouse.move(t.x - 30, t.y - 30, { steps: 6 });
    await b.page.mouse.move(t.x, t.y, { steps: 6 });
    await b.page.waitForSelector('[data-testid="connection-hint"]');
    await expect
      .poll(() => b.page.locator('[data-testid="connection-hint"]').textContent(), { timeout: 15_000 })
      .toMatch(/Kind mismatch/);
    await b.screenshot('invalid-connection');
    await b.page.mouse.up();
    await expect.poll(() => message().textContent(), { timeout: 15_000 }).toMatch(/Connection refused.*Kind mismatch/);
    expect(await edgeCount()).toBe(before);
  });

  it('undoes and redoes edits from the keyboard', async () => {
    const nodes = async () => (await snapshot(b.page)).nodes.length;
    const edges = await edgeCount();
    const count = await nodes();
    await b.page.locator('[data-testid="node-softmaxcrossentropy1"] .gnode-title').click();
    await b.page.keyboard.press('Delete');
    await b.page.waitForSelector('[data-testid="node-softmaxcrossentropy1"]', { state: 'detached' });
    expect([await nodes(), await edgeCount()]).toEqual([count - 1, edges - 1]);
    await b.page.keyboard.press('Control+z');
    expect([await nodes(), await edgeCount()]).toEqual([count, edges]);
    await b.page.keyboard.press('Control+Shift+z');
    expect([await nodes(), await edgeCount()]).toEqual([count - 1, edges - 1]);
    await b.page.keyboard.press('Control+z');
    await b.page.keyboard.press('Control+y');
    expect(await nodes()).toBe(count - 1);
    await b.page.keyboard.press('Control+z');
    await b.page.waitForSelector('[data-testid="edge-softmaxcrossentropy1:in"]', { state: 'attached' });
    await b.page.waitForTimeout(300);
    await b.screenshot('after-undo');
    expect(await b.page.locator('[data-testid="edge-softmaxcrossentropy1:in"] path').first().getAttribute('d')).toMatch(
      /^M[\d.-]/,
    );
  });

  it('moves a node by dragging: its edge follows during the drag, the document gets one undoable move', async () => {
    const id = 'softmaxcrossentropy1';
    const pos = async () => (await snapshot(b.page)).nodes.find((n: any) => n.id === id).position;
    const edgePath = () => b.page.locator(`[data-testid="edge-${id}:in"] path`).first().getAttribute('d');
    const start = await pos();
    const pathBefore = await edgePath();
    const title = b.page.locator(`[data-testid="node-${id}"] .gnode-title`);
    const box = (await title.boundingBox())!;
    const x0 = box.x + box.width / 2,
      y0 = box.y + box.height / 2;
    await b.page.mouse.move(x0, y0);
    await b.page.mouse.down();
    for (let i = 1; i <= 10; i++) await b.page.mouse.move(x0 + 12 * i, y0 + 6 * i);
    // Mid-drag: the node and its edge are drawn at the pointer, the document is not touched yet.
    await expect.poll(edgePath).not.toBe(pathBefore);
    expect(await pos()).toEqual(start);
    // The dragged node holds the pointer, so a move is not hit-tested against every node on the canvas.
    expect(await b.page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => el.hasPointerCapture(1))).toBe(
      true,
    );
    await b.page.mouse.up();
    await expect.poll(pos).not.toEqual(start);
    const end = await pos();
    const zoom = Number(
      /scale\(([\d.]+)\)/.exec((await b.page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1] ?? 1,
    );
    // The pointer went 120 x 60 px; the first step only starts the drag.
    expect((end.x - start.x) * zoom).toBeGreaterThan(100);
    expect((end.x - start.x) * zoom).toBeLessThanOrEqual(121);
    expect((end.y - start.y) * zoom).toBeGreaterThan(50);
    expect((end.y - start.y) * zoom).toBeLessThanOrEqual(61);
    await b.page.keyboard.press('Control+z');
    await expect.poll(pos).toEqual(start);
    await expect.poll(edgePath).toBe(pathBefore);
    await b.page.keyboard.press('Control+Shift+z');
    await expect.poll(pos).toEqual(end);
  });

  it('keeps the graph across a reload and saves it as a file with Ctrl+S', async () => {
    const before = await snapshot(b.page);
    await b.page.reload();
    await b.page.waitForSelector('[data-testid="node-softmaxcrossentropy1"]');
    expect(await b.page.locator('[data-testid="gallery"]').count()).toBe(0);
    expect(await snapshot(b.page)).toEqual(before);
    await b.page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.keyboard.press('Control+s')]);
    const text = await new Response((await download.createReadStream()) as any).text();
    expect(JSON.parse(text).nodes.map((n: any) => n.id)).toEqual(before.nodes.map((n: any) => n.id));
  });

  it('wires a new node in when an edge is dropped on empty canvas', async () => {
    const a = await center(b.page, '[data-testid="port-batchnorm1-out-out"]');
    await b.page.mouse.move(a.x, a.y);
    await b.page.mouse.down();
    const canvas = (await b.page.locator('[data-testid="canvas"]').boundingBox())!;
    await b.page.mouse.move(canvas.x + 200, canvas.y + 25, { steps: 8 }); // above the first row of nodes
    await b.page.mouse.up();
    await b.page.waitForSelector('[data-testid="add-search"]');
    expect(await b.page.locator('[data-testid="add-search-Dense"]').count()).toBe(0); // Dense takes vectors, not maps
    await b.page.fill('[data-testid="add-search-input"]', 'relu');
    await b.page.keyboard.press('Enter');
    await b.page.waitForSelector('[data-testid="edge-relu1:in"]');
    await b.page.keyboard.press('Control+z');
    await b.page.waitForSelector('[data-testid="node-relu1"]', { state: 'detached' });
  });

  it('expands Scattering2D into its parts and collapses it back', async () => {
    await b.page.click('[data-testid="expand-scattering2d1"]');
    await b.page.waitForSelector('[data-testid="node-scattering2d1/psi0"]');
    const doc = await snapshot(b.page);
    expect(doc.nodes.filter((n: any) => n.group === 'scattering2d1').length).toBeGreaterThan(5);
    await b.page.keyboard.press('f');
    await b.page.waitForTimeout(400);
    await b.screenshot('scattering-expanded');
    await expect
      .poll(() => b.page.locator('[data-testid="edge-label-batchnorm1:in"]').textContent(), { timeout: 15_000 })
      .toMatch(/×81$/);
    await b.page.locator('[data-testid="collapse-scattering2d1"]').first().click();
    await b.page.waitForSelector('[data-testid="node-scattering2d1/psi0"]', { state: 'detached' });
    expect((await snapshot(b.page)).nodes.length).toBe(6);
  });

  it('refuses a malformed file and a future-version file, keeping the canvas', async () => {
    const before = await snapshot(b.page);
    await b.page.setInputFiles('[data-testid="file-input"]', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "wavegraph", "nodes": ['),
    });
    await expect
      .poll(() => message().textContent(), { timeout: 15_000 })
      .toMatch(/Could not open "broken.json".*not valid JSON/);
    const future = JSON.stringify({ format: 'wavegraph', version: 99, nodes: [], edges: [] });
    await b.page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'future.json', { type: 'application/json' }));
      document
        .querySelector('[data-testid="canvas"]')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, future);
    await expect.poll(() => message().textContent(), { timeout: 15_000 }).toMatch(/newer Wavegraph/);
    expect(await snapshot(b.page)).toEqual(before);
    await b.screenshot('bad-file-message');
  });

  it('opens a share link in a fresh page and reports a corrupt one without losing the canvas', async () => {
    const before = await snapshot(b.page);
    await b.page.click('[data-testid="share-button"]');
    await b.page.waitForFunction(() => location.hash.startsWith('#graph='));
    const link = b.page.url();
    const other = await b.newPage();
    await other.goto(app.url);
    await other.evaluate(() => localStorage.clear());
    await other.goto(link);
    await other.waitForSelector('[data-testid="node-softmaxcrossentropy1"]');
    expect(await other.evaluate(() => (window as any).wavegraph.store.getSnapshot())).toEqual(before);
    await other.close();
    await b.page.goto(`${app.url}/#graph=AAAA${'x'.repeat(20)}`);
    await expect.poll(() => message().textContent(), { timeout: 15_000 }).toMatch(/shared graph.*unchanged.*damaged/);
    await b.page.waitForSelector('[data-testid="node-softmaxcrossentropy1"]');
    expect((await snapshot(b.page)).nodes).toEqual(before.nodes);
  });

  it('opens ?template=cnn directly', async () => {
    await b.page.goto(`${app.url}/?template=cnn`);
    await b.page.waitForSelector('[data-testid="node-conv1"]');
    await expect
      .poll(() => b.page.locator('[data-testid="edge-label-flatten-dense1"]').textContent(), { timeout: 15_000 })
      .toBe('3136');
    expect(new URL(b.page.url()).search).toBe('');
    await b.screenshot('template-cnn');
  });

  it('opens every template without diagnostics', async () => {
    const names = readdirSync(join(ROOT, 'templates'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      await b.page.goto(`${app.url}/?template=${name}`);
      await b.page.waitForSelector('.react-flow__node');
      const r = await b.page.evaluate(() => {
        const w = (window as any).wavegraph;
        const doc = w.store.getSnapshot();
        return {
          nodes: doc.nodes.length,
          diagnostics: w.analyze(doc).diagnostics.map((d: any) => `${d.nodeId}: ${d.message}`),
        };
      });
      expect({ name, ...r }).toEqual({ name, nodes: r.nodes, diagnostics: [] });
      expect(await b.page.locator('.gnode-error').count()).toBe(0);
    }
  });

  it('adds by double-click search, shows LISTA steps, copies, pastes, deletes and lays out', async () => {
    await b.page.goto(`${app.url}/?template=cnn`);
    await b.page.waitForSelector('[data-testid="node-conv1"]');
    const canvas = (await b.page.locator('[data-testid="canvas"]').boundingBox())!;
    await b.page.mouse.dblclick(canvas.x + 120, canvas.y + 40);
    await b.page.fill('[data-testid="add-search-input"]', 'lista');
    await b.page.keyboard.press('Enter');
    await b.page.waitForSelector('[data-testid="node-lista1"]');
    await b.page.click('[data-testid="expand-lista1"]');
    const k = (await snapshot(b.page)).nodes.find((n: any) => n.id === 'lista1').params.K;
    expect(await b.page.locator('[data-testid="steps-lista1"] li').count()).toBe(k + 1);
    await b.page.keyboard.press('Control+c');
    await b.page.keyboard.press('Control+v');
    await b.page.waitForSelector('[data-testid="node-lista2"]');
    await b.page.keyboard.press('Delete');
    await b.page.waitForSelector('[data-testid="node-lista2"]', { state: 'detached' });
    expect(await b.page.locator('[data-testid="node-lista1"]').count()).toBe(1);
    const before = (await snapshot(b.page)).nodes.map((n: any) => n.position);
    await b.page.click('[data-testid="layout-button"]');
    await b.page.waitForFunction(
      (p) => JSON.stringify((window as any).wavegraph.store.getSnapshot().nodes.map((n: any) => n.position)) !== p,
      JSON.stringify(before),
    );
    await b.page.keyboard.press('Control+z');
    expect((await snapshot(b.page)).nodes.map((n: any) => n.position)).toEqual(before);
  });

  it('logged no errors in the page', () => {
    expect(b.errors).toEqual([]);
  });
});
