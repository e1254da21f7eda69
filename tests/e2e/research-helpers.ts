/** What the real-browser tests of the Research tab share: setting it up, waiting for a job, reading its problems. */
import type { Page } from 'playwright-core';

/** Open the Research tab on the built-in synthetic set with these settings (those left out keep the panel's). */
export async function openResearch(
  p: Page,
  o: { samples: number; backend: string; batch?: number; epochs?: number; learningRate?: number },
): Promise<void> {
  await p.click('[data-testid="research-tab"]');
  await p.waitForSelector('[data-testid="research-panel"]');
  await p.selectOption('[data-testid="research-dataset"]', 'synthetic');
  await p.fill('[data-testid="research-samples"]', String(o.samples));
  if (o.batch !== undefined) await p.fill('[data-testid="research-batchSize"]', String(o.batch));
  if (o.epochs !== undefined) await p.fill('[data-testid="research-epochs"]', String(o.epochs));
  if (o.learningRate !== undefined) await p.fill('[data-testid="research-learningRate"]', String(o.learningRate));
  await p.selectOption('[data-testid="research-backend"]', o.backend);
}

/**
 * Wait for the job just started to finish and return the status line. The panel shows a
 * new job's "Starting…" only from its next frame on, so a stale "Done." of the previous
 * job must not count: wait for the panel's finished-jobs count to pass the last one seen.
 */
export async function idle(p: Page, timeout: number): Promise<string> {
  await p.waitForFunction(
    () => {
      const w = window as unknown as { __finishedSeen?: number };
      const stop = document.querySelector('[data-testid="research-stop"]') as HTMLButtonElement | null;
      const finished = Number(
        document.querySelector('[data-testid="research-status"]')?.getAttribute('data-finished') ?? 0,
      );
      if (!stop?.disabled || finished <= (w.__finishedSeen ?? 0)) return false;
      w.__finishedSeen = finished;
      return true;
    },
    null,
    { timeout, polling: 200 },
  );
  return (await p.textContent('[data-testid="research-status"]')) ?? '';
}

/** The research diagnostics shown, or '' when there are none. */
export async function problems(p: Page): Promise<string> {
  return (await p.locator('[data-testid="research-diagnostics"]').count())
    ? ((await p.textContent('[data-testid="research-diagnostics"]')) ?? '')
    : '';
}

/**
 * Record every text the research progress bar shows from now on: a short job can
 * come and go between two polls, so an observer in the page keeps them.
 */
export async function watchProgress(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { __progressSeen?: string[] };
    const seen: string[] = (w.__progressSeen = []);
    const look = () => {
      const t = document.querySelector('[data-testid="research-progress"]')?.getAttribute('aria-valuetext');
      if (t && seen.at(-1) !== t) seen.push(t);
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuetext'],
    });
  });
}

/** The progress bar's texts seen since watchProgress. */
export async function progressSeen(p: Page): Promise<string[]> {
  return p.evaluate(() => (window as unknown as { __progressSeen?: string[] }).__progressSeen ?? []);
}
