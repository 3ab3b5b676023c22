// What every browser test file shares: build dist/ (and the kernels) when stale, start the static
// server, launch Debian's Chromium through playwright-core, open the test page and collect what the
// page logs. Without Chromium the tests fail with a message saying how to install it.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { REPO_ROOT, startStaticServer, type StaticServer } from './server.js';
import type { TinyRun, TrainTinyOptions } from './scenarios.js';

/** The browser the tests drive: Debian's `chromium` package, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
export const PAGE = '/test/browser/page.html';

function newestMtime(dir: string, suffix: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, suffix));
    else if (entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function distIsStale(): boolean {
  const index = join(REPO_ROOT, 'dist/index.js');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, 'src'), '.ts'),
    statSync(join(REPO_ROOT, 'tsconfig.json')).mtimeMs,
    statSync(join(REPO_ROOT, 'tsconfig.build.json')).mtimeMs,
  );
  return statSync(index).mtimeMs < sources;
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(
            `browser tests: \`node ${args.join(' ')}\` failed (needed to build what the page ` +
              `loads):\n${stdout}${stderr}`,
          ),
        );
      else resolve();
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the kernels (scripts/build-wasm.mjs, a no-op when fresh) and dist/ (tsc -p
 * tsconfig.build.json) when any source is newer than dist/index.js. Test files run in parallel, so
 * a lock directory makes the others wait for the one that builds.
 */
export async function ensureBuilt(): Promise<void> {
  const cache = join(REPO_ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const lock = join(cache, 'simdnet-browser-build.lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than 3 minutes belongs to a dead process.
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 240_000)
        throw new Error(`browser tests: gave up waiting for ${lock} (remove it if no build is running).`);
      await sleep(200);
    }
  }
  try {
    await run(['scripts/build-wasm.mjs']);
    if (distIsStale()) await run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
  } finally {
    rmdirSync(lock);
  }
}

/** Launches Chromium, or fails with the way to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser tests: no Chromium at ${CHROMIUM_PATH}. Install Debian's package (\`apt-get update && apt-get install ` +
        `-y chromium\`) ` +
        `or point CHROMIUM_PATH at a Chromium/Chrome binary. (.ci/run installs it.)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export interface Session {
  readonly browser: Browser;
  readonly server: StaticServer;
  close(): Promise<void>;
}

/** Build if needed, serve, launch: for a beforeAll. */
export async function startSession(): Promise<Session> {
  await ensureBuilt();
  const server = await startStaticServer();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    browser,
    server,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export interface TestPage {
  readonly page: Page;
  /** Every console message and uncaught error of the page (and its workers), in order. */
  readonly messages: { type: string; text: string }[];
  readonly crossOriginIsolated: boolean;
  /** Reloads the page (a fresh JavaScript realm, same origin and storage) and waits for simdnet again. */
  reload(): Promise<void>;
  trainTiny(options?: TrainTinyOptions): Promise<TinyRun>;
}

async function waitForSimdnet(
  page: Page,
  messages: { type: string; text: string }[],
): Promise<{ crossOriginIsolated?: boolean }> {
  await page.waitForFunction(() => (window as { simdnetLoaded?: unknown }).simdnetLoaded !== undefined, null, {
    timeout: 30_000,
  });
  const loaded = await page.evaluate(
    () =>
      (window as unknown as { simdnetLoaded: { ok: boolean; error?: string; crossOriginIsolated?: boolean } })
        .simdnetLoaded,
  );
  if (!loaded.ok) {
    throw new Error(
      `browser tests: the page could not import dist/index.js: ` +
        `${loaded.error}\nconsole:\n${messages.map((m) => `  [${m.type}] ${m.text}`).join('\n')}`,
    );
  }
  return loaded;
}

/** Opens the test page (isolated: under /coi/, with COOP/COEP) and waits until simdnet is imported. */
export async function openTestPage(session: Session, { isolated = false } = {}): Promise<TestPage> {
  const context = await session.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const messages: { type: string; text: string }[] = [];
  page.on('console', (m: ConsoleMessage) => messages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => messages.push({ type: 'pageerror', text: String(e.stack ?? e) }));
  page.on('worker', (w) =>
    w.on('console', (m: ConsoleMessage) => messages.push({ type: `worker:${m.type()}`, text: m.text() })),
  );
  const base = isolated ? session.server.isolatedUrl : session.server.url;
  const response = await page.goto(base + PAGE);
  if (!response?.ok()) throw new Error(`browser tests: ${base + PAGE} answered ${response?.status()}`);
  const loaded = await waitForSimdnet(page, messages);
  return {
    page,
    messages,
    crossOriginIsolated: loaded.crossOriginIsolated === true,
    async reload() {
      await page.reload();
      await waitForSimdnet(page, messages);
    },
    trainTiny: (options = {}) =>
      page.evaluate((o) => {
        const g = window as unknown as PageGlobals;
        return g.scenarios.trainTiny(g.simdnet, o);
      }, options),
  };
}

/** The built library as Node loads it (the same files the page imports). */
export async function importDist(): Promise<typeof import('../../src/index.js')> {
  return (await import(
    /* @vite-ignore */ pathToFileURL(join(REPO_ROOT, 'dist/index.js')).href
  )) as typeof import('../../src/index.js');
}

/** The page's globals, for typing the functions passed to page.evaluate (types only: erased). */
export type PageGlobals = {
  simdnet: typeof import('../../src/index.js');
  scenarios: typeof import('./scenarios.js');
  [key: string]: unknown;
};

/**
 * Registers the hooks of a browser test file: build, serve and launch once (beforeAll), close at the
 * end. When that fails (no Chromium, a build error), every test of the file fails with the reason,
 * rather than being reported as skipped. `before` runs after the launch, e.g. to open pages.
 */
export function useBrowser(before?: (session: Session) => Promise<void>): { readonly session: Session } {
  let session: Session | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    try {
      session = await startSession();
      await before?.(session);
    } catch (error) {
      setupError = error;
    }
  });
  beforeEach(() => {
    if (setupError) throw setupError;
  });
  afterAll(async () => session?.close());
  return {
    get session() {
      if (!session) throw setupError ?? new Error('browser tests: the session is not started yet');
      return session;
    },
  };
}
