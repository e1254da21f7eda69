/**
 * End-to-end harness: starts the app exactly as users do (`node bin/start.js`, which
 * builds when the sources are newer than dist/ and then serves it) on a free port with
 * a fresh data folder, and drives Debian's Chromium through playwright-core.
 * Console errors and page errors are collected so tests can assert a clean page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Two test files starting at once must not both run `vite build` into dist/. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'wavegraph-e2e-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes was left by a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmdirSync(lock);
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
}

export interface App {
  url: string;
  port: number;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wavegraph-data-'));
  return withBuildLock(async () => {
    let log = '';
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'start.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WAVEGRAPH_DATA: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (b: Buffer) => {
        log += b.toString();
        const m = /running at (http:\/\/\S+)/.exec(log);
        if (m) resolve(m[1].replace(/[.,]$/, ''));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`bin/start.js exited with ${code} before serving:\n${log}`)));
      // unref: a script that started the app must be able to exit as soon as it is done
      setTimeout(() => reject(new Error(`bin/start.js did not print its URL within 240 s:\n${log}`)), 240_000).unref();
    });
    return {
      url,
      port,
      dataDir,
      output: () => log,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
          if (child.exitCode === null) child.kill('SIGKILL');
        }
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: { downloads?: boolean; args?: string[] } = {}): Promise<Browser> {
  requireChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'wavegraph-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // the flags below say --headless=new themselves
    args: options.args ?? CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: options.downloads ?? true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One app and one browser for a whole test file, with each test judging only the
 * errors its own page logged. Call at the top level of the file.
 */
export function useAppAndBrowser(hooks: {
  beforeAll: (fn: () => Promise<void>, timeout?: number) => void;
  beforeEach: (fn: () => void) => void;
  afterAll: (fn: () => Promise<void>) => void;
}): { readonly app: App; readonly browser: Browser } {
  const session = {} as { app: App; browser: Browser };
  hooks.beforeAll(async () => {
    session.app = await startApp();
    session.browser = await launchBrowser();
  }, 300_000);
  hooks.beforeEach(() => {
    session.browser?.errors.splice(0);
  });
  hooks.afterAll(async () => {
    await session.browser?.close();
    await session.app?.stop();
  });
  return session;
}
