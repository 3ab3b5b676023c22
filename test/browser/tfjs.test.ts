// simdnet's tfjs backend on TensorFlow.js's webgl backend in headless Chromium (WebGL 2 through
// SwiftShader, float32 textures): the page loads tf.min.js and simdnet from dist/, runs compiled
// programs (every primitive, fused calls, a hand-compiled training step) and a small fit, and the
// results must match the float64 reference backend run in Node on the same programs.
//
// Tolerance: |webgl − reference| ≤ 1e-3 · max(1, |reference|). WebGL computes in float32 (highp)
// with its own exp/log/pow approximations; measured worst cases are in the report of the commit
// that added this file (about 1e-6 for single calls, 1e-6 to 1e-5 after training steps).

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';
import { CHROMIUM_PATH, ensureBuilt, importDist } from './harness.js';
import { startStaticServer, type StaticServer } from './server.js';
import { trainTiny, type TinyRun } from './scenarios.js';
import { programCases, trainSteps } from './tfjs-scenarios.js';

const TOLERANCE = 1e-3;
/** WebGL 2 on the CPU (SwiftShader): no GPU needed; float32 render targets. */
const WEBGL_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-first-run',
  '--disable-background-networking',
];
const PAGE = '/test/browser/tfjs-page.html';

let server: StaticServer | undefined;
let browser: Browser | undefined;
let page: Page;
let setupError: unknown;
const messages: { type: string; text: string }[] = [];

beforeAll(async () => {
  try {
    await ensureBuilt();
    server = await startStaticServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: WEBGL_ARGS,
      timeout: 60_000,
    });
    page = await browser.newPage();
    page.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => messages.push({ type: 'pageerror', text: String(e.stack ?? e) }));
    const response = await page.goto(server.url + PAGE);
    if (!response?.ok()) throw new Error(`tfjs browser test: ${PAGE} answered ${response?.status()}`);
    await page.waitForFunction(() => (window as { simdnetLoaded?: unknown }).simdnetLoaded !== undefined, null, {
      timeout: 30_000,
    });
    const loaded = await page.evaluate(
      () => (window as unknown as { simdnetLoaded: { ok: boolean; error?: string; tf?: boolean } }).simdnetLoaded,
    );
    if (!loaded.ok) throw new Error(`tfjs browser test: the page could not import dist/: ${loaded.error}`);
    if (!loaded.tf) throw new Error('tfjs browser test: tf.min.js did not define window.tf');
  } catch (error) {
    setupError = error;
  }
});
beforeEach(() => {
  if (setupError) {
    const hint =
      String(setupError).includes('Executable doesn') || String(setupError).includes('ENOENT')
        ? ` (install Chromium: apt-get install -y chromium, or set CHROMIUM_PATH)`
        : '';
    throw new Error(`${String(setupError)}${hint}`);
  }
});
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close();
});

type Globals = {
  tf: { memory(): { numTensors: number }; getBackend(): string; env(): { getBool(flag: string): boolean } };
  simdnet: typeof import('../../src/index.js');
  tfjsBackend: typeof import('../../src/backend/tfjs/index.js');
  scenarios: typeof import('./tfjs-scenarios.js');
  tinyScenarios: typeof import('./scenarios.js');
};

/** max |a − e| / max(1, |e|) */
function worst(actual: readonly number[], expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let w = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) && Number.isNaN(actual[i])) continue;
    w = Math.max(w, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
    if (Number.isNaN(w)) return Infinity;
  }
  return w;
}

describe('tfjs backend on webgl in Chromium', () => {
  it('loads: loadTfjs({ tf: window.tf, backend: "webgl" }) runs on WebGL with float32 textures', async () => {
    const info = await page.evaluate(async () => {
      const g = window as unknown as Globals;
      const backend = await g.tfjsBackend.loadTfjs({ tf: g.tf as never, backend: 'webgl' });
      return { description: backend.description, float32: g.tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') };
    });
    expect(info).toEqual({ description: 'tfjs (webgl)', float32: true });
  });

  it(
    'every primitive and fused call agrees ' +
      `with the float64 reference within ${TOLERANCE}, ` +
      'and frees its tensors',
    async () => {
      const onWebgl = await page.evaluate(async () => {
        const g = window as unknown as Globals;
        const backend = await g.tfjsBackend.loadTfjs({ tf: g.tf as never, backend: 'webgl' });
        g.scenarios.programCases(backend); // compiles the shaders
        const before = g.tf.memory().numTensors;
        const cases = g.scenarios.programCases(backend);
        return { cases, leaked: g.tf.memory().numTensors - before };
      });
      expect(onWebgl.leaked).toBe(0);
      const expected = programCases(new ReferenceBackend());
      expect(Object.keys(onWebgl.cases).sort()).toEqual(Object.keys(expected).sort());
      const report: string[] = [];
      let worstAll = 0;
      for (const [name, values] of Object.entries(expected)) {
        const w = worst(onWebgl.cases[name], values);
        worstAll = Math.max(worstAll, w);
        if (!(w <= TOLERANCE)) report.push(`${name}: ${w}`);
      }
      expect(report, `cases beyond ${TOLERANCE}`).toEqual([]);
      console.log(`webgl single calls: worst relative difference ${worstAll.toExponential(2)}`);
    },
  );

  it(`a hand-compiled training step (10 Adam steps) ends where the reference ends, within ${TOLERANCE}`, async () => {
    const onWebgl = await page.evaluate(async () => {
      const g = window as unknown as Globals;
      const backend = await g.tfjsBackend.loadTfjs({ tf: g.tf as never, backend: 'webgl' });
      return g.scenarios.trainSteps(backend, 10);
    });
    const expected = trainSteps(new ReferenceBackend(), 10);
    expect(expected.losses[9]).toBeLessThan(expected.losses[0] * 0.8);
    const lossDiff = worst(onWebgl.losses, expected.losses);
    const weightDiff = Math.max(...expected.weights.map((w, i) => worst(onWebgl.weights[i], w)));
    console.log(`webgl training step: losses ${lossDiff.toExponential(2)}, weights ${weightDiff.toExponential(2)}`);
    expect(lossDiff).toBeLessThanOrEqual(TOLERANCE);
    expect(weightDiff).toBeLessThanOrEqual(TOLERANCE);
  });

  it(
    `fit() through configureBackend({ backend: 'tfjs', tf, tfjsBackend: 'webgl' }) matches the reference backend in ` +
      `Node within ${TOLERANCE}`,
    async () => {
      const onWebgl: TinyRun = await page.evaluate(async () => {
        const g = window as unknown as Globals;
        return g.tinyScenarios.trainTiny(g.simdnet, {
          epochs: 3,
          configure: { backend: 'tfjs', tf: g.tf, tfjsBackend: 'webgl' },
        });
      });
      expect(onWebgl.backend.description).toBe('tfjs (webgl)');
      const inNode = await trainTiny(await importDist(), { epochs: 3, configure: { backend: 'reference' } });
      expect(inNode.history.loss[2]).toBeLessThan(inNode.history.loss[0]);
      const diffs = {
        loss: worst(onWebgl.history.loss, inNode.history.loss),
        weights: Math.max(...inNode.weights.map((w, i) => worst(onWebgl.weights[i].values, w.values))),
        predictions: worst(onWebgl.predictions.values, inNode.predictions.values),
      };
      console.log(`webgl fit: ${JSON.stringify(diffs)}`);
      for (const [key, value] of Object.entries(diffs)) expect(value, key).toBeLessThanOrEqual(TOLERANCE);
      expect(messages.filter((m) => m.type === 'pageerror')).toEqual([]);
    },
  );
});
