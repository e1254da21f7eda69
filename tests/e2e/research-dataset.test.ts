/** The research tab's dataset follows the graph, as the training panel's does. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './harness';
import { openFresh } from './editor-helpers';

const session = useAppAndBrowser({ beforeAll, beforeEach, afterAll });

describe('research dataset', () => {
  it('selects the set the graph asks for, and again when another graph opens', async () => {
    const p = session.browser.page;
    await openFresh(p, `${session.app.url}/?template=scattering-linear`);
    await p.click('[data-testid="research-tab"]');
    await expect
      .poll(() => p.inputValue('[data-testid="research-dataset"]'), { timeout: 15_000 })
      .toBe('server:fashion-mnist');
    // An empty graph names no set: the built-in one.
    await p.click('button[title="New empty graph"]');
    await expect.poll(() => p.inputValue('[data-testid="research-dataset"]'), { timeout: 15_000 }).toBe('synthetic');
    // A set the person picks stays while the graph asks for the same one.
    await p.selectOption('[data-testid="research-dataset"]', 'server:fashion-mnist');
    await p.click('[data-testid="doc-name"]');
    await p.keyboard.type(' renamed');
    expect(await p.inputValue('[data-testid="research-dataset"]')).toBe('server:fashion-mnist');
    expect(session.browser.errors).toEqual([]);
  });
});
