// simdnet from dist/ in headless Chromium: the page imports the ES modules, fetches the kernels
// (ready()), trains a small seeded model and must end where the same run in this Node process ends.

import { describe, expect, it } from 'vitest';
import { importDist, openTestPage, useBrowser, type TestPage } from './harness.js';
import { trainTiny, type TinyRun } from './scenarios.js';

let page: TestPage;
const browserSession = useBrowser(async (s) => {
  page = await openTestPage(s);
});

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function expectSameRun(browser: TinyRun, node: TinyRun, tolerance: number): void {
  expect(Object.keys(browser.history).sort()).toEqual(Object.keys(node.history).sort());
  for (const key of Object.keys(node.history))
    expect(maxAbsDiff(browser.history[key], node.history[key]), key).toBeLessThanOrEqual(tolerance);
  expect(browser.weights.map((w) => w.shape)).toEqual(node.weights.map((w) => w.shape));
  for (const [i, w] of browser.weights.entries()) {
    expect(maxAbsDiff(w.values, node.weights[i].values), `weight ${i}`).toBeLessThanOrEqual(tolerance);
  }
  expect(browser.predictions.shape).toEqual(node.predictions.shape);
  expect(maxAbsDiff(browser.predictions.values, node.predictions.values), 'predictions').toBeLessThanOrEqual(tolerance);
}

describe('simdnet in Chromium (dist/, ES modules)', () => {
  it('loads from dist/ with the kernels fetched as application/wasm, without Node modules', async () => {
    const flavour = await page.page.evaluate(async () => {
      const s = (window as unknown as { simdnet: typeof import('../../src/index.js') }).simdnet;
      const backend = await s.ready();
      return { name: backend.name, description: backend.description };
    });
    expect(flavour.name).toBe('wasm');
    // Chrome has relaxed SIMD on by default, so the relaxed build is the one fetched.
    expect(flavour.description).toMatch(/relaxed-simd/);
    expect(browserSession.session.server.requests).toContain('/build/simdnet-relaxed.wasm');
    expect(browserSession.session.server.requests.some((r) => r.startsWith('/node_modules/'))).toBe(false);
    expect(page.messages.filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);
  });

  it(
    'trains a seeded dense 8 → softmax 3 model to the same losses, ' + 'weights and predictions as Node (adam)',
    async () => {
      const browser = await page.trainTiny({ epochs: 5, optimizer: 'adam' });
      const node = await trainTiny(await importDist(), { epochs: 5, optimizer: 'adam' });
      // The same kernel build; the thread counts may differ (this page is not cross-origin isolated),
      // which must not change a single bit of the results.
      expect(browser.backend.flavour).toBe(node.backend.flavour);
      // The run must have learnt something, so that agreement is not agreement on nothing.
      expect(node.history.loss).toHaveLength(5);
      expect(node.history.loss[4]).toBeLessThan(node.history.loss[0] * 0.8);
      expectSameRun(browser, node, 1e-6);
    },
  );

  it('does the same with sgd + momentum, and a different seed gives different weights', async () => {
    const browser = await page.trainTiny({ epochs: 3, optimizer: 'sgd', seed: 11 });
    const node = await trainTiny(await importDist(), { epochs: 3, optimizer: 'sgd', seed: 11 });
    expectSameRun(browser, node, 1e-6);
    const other = await page.trainTiny({ epochs: 3, optimizer: 'sgd', seed: 12 });
    expect(maxAbsDiff(other.weights[0].values, browser.weights[0].values)).toBeGreaterThan(1e-3);
  });

  it('refuses Node-only features with a clear error instead of breaking the page', async () => {
    const errors = await page.page.evaluate(async () => {
      const s = (window as unknown as { simdnet: typeof import('../../src/index.js') }).simdnet;
      const model = s.sequential([s.layers.dense({ units: 2, inputShape: [3] })], { seed: 1 });
      const out: string[] = [];
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const csv = () =>
        model.fit([[1, 2, 3]], [[1, 0]], {
          epochs: 1,
          verbose: 0,
          callbacks: [s.callbacks.csvLogger({ filename: 'log.csv' })],
        });
      for (const attempt of [
        () => model.save('file://./x'),
        () => model.save('./x'),
        () => s.datasets.fashionMnist(),
        csv,
      ]) {
        try {
          await attempt();
          out.push('no error');
        } catch (e) {
          out.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      }
      return out;
    });
    expect(errors[0]).toMatch(/ValueError: .*only Node can use; in a browser use 'indexeddb:\/\/name'/);
    expect(errors[1]).toMatch(/ValueError: .*only Node can use/);
    expect(errors[2]).toMatch(/DataError: fashionMnist: .*needs Node\.js/);
    expect(errors[3]).toMatch(/StateError: csvLogger: writing a file needs Node\.js/);
  });
});
