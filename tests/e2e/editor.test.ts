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

  it('draws a big graph zoomed far out in low detail, its edges on one canvas from port to port, and in full detail zoomed in', async () => {
    const page = b.page;
    await openFresh(page, app.url);
    await page.click('[data-testid="template-empty"]');
    // A chain of 80 nodes, ten to a row.
    await page.evaluate((count) => {
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes = [
          { id: 'n0', type: 'Input', position: { x: 0, y: 0 }, params: { height: 16, width: 16, channels: 1 } },
        ];
        d.edges = [];
        for (let i = 1; i < count; i++) {
          d.nodes.push({
            id: `n${i}`,
            type: 'ReLU',
            position: { x: (i % 10) * 240, y: Math.floor(i / 10) * 200 },
            params: {},
          });
          d.edges.push({ id: `n${i}:in`, source: `n${i - 1}`, sourcePort: 'out', target: `n${i}`, targetPort: 'in' });
        }
      }, 'a big graph');
    }, 80);
    await page.waitForSelector('[data-testid="node-n79"]');
    // The whole graph in view (Shift+F): F alone stops at legible titles, above the far zoom.
    await page.keyboard.press('Shift+F');
    const layer = page.locator('[data-testid="far-edges"]');
    await expect.poll(() => layer.getAttribute('data-count')).toBe('79');
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
    expect(await page.locator('[data-testid="node-n5"]').getAttribute('class')).toMatch(/gnode-far/);

    // How much an edge canvas has drawn around a point of the page (largest alpha within 2 px).
    const inkAt = (p: { x: number; y: number }, canvas = layer) =>
      canvas.evaluate((el: HTMLCanvasElement, q) => {
        const r = el.getBoundingClientRect();
        const sx = el.width / r.width,
          sy = el.height / r.height;
        const px = Math.round((q.x - r.left) * sx),
          py = Math.round((q.y - r.top) * sy);
        const img = el.getContext('2d')!.getImageData(px - 2, py - 2, 5, 5).data;
        let a = 0;
        for (let i = 3; i < img.length; i += 4) a = Math.max(a, img[i]);
        return a;
      }, p);
    // A bezier whose control points sit level with its ends passes through the middle of its ends.
    const midway = async () => {
      const a = await center(page, '[data-testid="port-n1-out-out"]');
      const z = await center(page, '[data-testid="port-n2-in-in"]');
      return { x: (a.x + z.x) / 2, y: (a.y + z.y) / 2 };
    };
    const m = await midway();
    await expect.poll(() => inkAt(m)).toBeGreaterThan(40);
    expect(await inkAt({ x: m.x, y: m.y - 15 })).toBe(0);

    // The edges follow a dragged node: its own edges are redrawn on a second canvas on each
    // frame, and leave the canvas of the edges at rest until the drag ends.
    const live = page.locator('[data-testid="far-edges-live"]');
    const title = (await page.locator('[data-testid="node-n2"] .gnode-title').boundingBox())!;
    const x0 = title.x + title.width / 2,
      y0 = title.y + title.height / 2;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x0 + 3 * i, y0 + 5 * i);
    const moved = await midway();
    expect(moved.y - m.y).toBeGreaterThan(10);
    await expect.poll(() => inkAt(moved, live)).toBeGreaterThan(40);
    expect(await inkAt(m)).toBe(0);
    // Another node moved meanwhile (a collaborator's edit): its edges follow it at once.
    await page.evaluate(() =>
      (window as any).wavegraph.store.transact((d: any) => {
        d.nodes.find((n: any) => n.id === 'n6').position.y += 80;
      }, 'move n6'),
    );
    const a6 = await center(page, '[data-testid="port-n5-out-out"]');
    const z6 = await center(page, '[data-testid="port-n6-in-in"]');
    expect(z6.y - a6.y).toBeGreaterThan(10);
    await expect.poll(() => inkAt({ x: (a6.x + z6.x) / 2, y: (a6.y + z6.y) / 2 })).toBeGreaterThan(40);
    await page.mouse.up();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => inkAt(m)).toBeGreaterThan(40);
    await expect.poll(() => inkAt(moved, live)).toBe(0);

    // Zoomed in, React Flow draws the edges again, labelled with their shapes.
    const scale = async () =>
      Number(
        /scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1] ?? 1,
      );
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    for (let i = 0; i < 40 && (await scale()) < 0.6; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(50);
    }
    await page.waitForSelector('[data-testid="far-edges"]', { state: 'detached' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(0);
    expect(await page.locator('.edge-label').count()).toBeGreaterThan(0);
    await b.screenshot('big-graph-zoomed-in');
  });

  it('shows every node on the overview map, and moves and zooms the view from it', async () => {
    const page = b.page;
    const map = page.locator('[data-testid="overview-map"]');
    // The previous test left the 80-node chain zoomed in on its middle.
    const viewport = async () => {
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(
        (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '',
      )!;
      return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
    };
    // Of the map's pixels showing a node (blue channel well above the background's), the
    // share drawn bright (the ReLUs' output colour is blue; dimmed, its blue is below 100).
    const brightShare = () =>
      map.evaluate((el: HTMLCanvasElement) => {
        const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
        let bright = 0,
          node = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 2] > 60) node++;
          if (d[i + 2] > 120) bright++;
        }
        return node > 300 ? bright / node : 0;
      });
    // F fits no further out than legible titles (legible-fit.ts); Shift+F shows the whole graph.
    await page.keyboard.press('Shift+F');
    await expect.poll(brightShare).toBeGreaterThan(0.65);
    const box = (await map.boundingBox())!;

    // Zoomed in, most nodes are outside the view and dimmed on the map.
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    for (let i = 0; i < 6; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(50);
    }
    await expect.poll(brightShare).toBeLessThan(0.5);

    // A press on the map's top-left corner centres the view there; dragging moves it on.
    const before = await viewport();
    await page.mouse.move(box.x + 8, box.y + 8);
    await page.mouse.down();
    const centred = await viewport();
    expect(centred.x).toBeGreaterThan(before.x);
    expect(centred.y).toBeGreaterThan(before.y);
    expect(centred.zoom).toBeCloseTo(before.zoom, 5);
    await page.mouse.move(box.x + 48, box.y + 28, { steps: 4 });
    await page.mouse.up();
    const dragged = await viewport();
    expect(dragged.x).toBeLessThan(centred.x);
    expect(dragged.y).toBeLessThan(centred.y);

    // Scrolling on the map zooms the view and does not scroll the page.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 200);
    await expect.poll(async () => (await viewport()).zoom).toBeLessThan(dragged.zoom * 0.9);
    expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
    await b.screenshot('overview-map');
  });

  it('keeps the dotted grid fixed to the graph as the view pans and zooms', async () => {
    const page = b.page;
    await page.goto(`${app.url}/?template=cnn`);
    await page.waitForSelector('[data-testid="node-conv1"]');
    const grid = page.locator('[data-testid="dot-grid"]');
    const pane = page.locator('.react-flow');
    // Where the grid's dots are on screen, in grid steps from the point the view maps flow (0, 0) to:
    // whole numbers when a dot sits on every flow point (k·22, l·22).
    const phase = async () => {
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(
        (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '',
      )!;
      const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const g = (await grid.boundingBox())!;
      const p = (await pane.boundingBox())!;
      const step = 22 * zoom;
      const tile = Number(await grid.locator('pattern').getAttribute('width'));
      return {
        x: (g.x - p.x - tx) / step,
        y: (g.y - p.y - ty) / step,
        left: g.x - p.x,
        top: g.y - p.y,
        step,
        tile,
        right: g.x + g.width - (p.x + p.width),
      };
    };
    const onGrid = (v: number) => Math.abs(v - Math.round(v));
    const check = async () => {
      const f = await phase();
      expect(onGrid(f.x)).toBeLessThan(0.02);
      expect(onGrid(f.y)).toBeLessThan(0.02);
      expect(f.tile).toBeCloseTo(f.step, 3);
      // The layer covers the whole canvas.
      expect(f.left).toBeLessThanOrEqual(0.5);
      expect(f.top).toBeLessThanOrEqual(0.5);
      expect(f.right).toBeGreaterThanOrEqual(-0.5);
      return f;
    };
    const start = await check();
    // Pan by dragging empty canvas a distance that is not a whole number of grid steps.
    const c = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    const spot = await page.evaluate((r) => {
      for (let y = r.y + 30; y < r.y + r.height - 30; y += 9)
        for (let x = r.x + 30; x < r.x + r.width / 2; x += 9)
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      return null;
    }, c);
    expect(spot).not.toBeNull();
    await page.mouse.move(spot!.x, spot!.y);
    await page.mouse.down();
    await page.mouse.move(spot!.x + 37, spot!.y + 23, { steps: 5 });
    await page.mouse.up();
    const panned = await check();
    expect(Math.abs(panned.left - start.left) + Math.abs(panned.top - start.top)).toBeGreaterThan(1);
    // Zoom: the dots spread with the view.
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await phase()).step).toBeGreaterThan(start.step * 1.1);
    await check();
  });

  it('logged no errors in the page', () => {
    expect(b.errors).toEqual([]);
  });
});
