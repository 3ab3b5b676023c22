// Threads in the browser. A cross-origin isolated page (served under /coi/ with
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp) has
// SharedArrayBuffer, so configureBackend({ threads: 2 }) runs the kernels on two Web Workers and must
// train to the same weights as one thread. A page without those headers cannot share memory: it runs
// on one thread and says once, in the console, which two headers would enable threads.

import { beforeAll, describe, expect, it } from 'vitest';
import { importDist, openTestPage, useBrowser, type TestPage } from './harness.js';
import { trainTiny, type TinyRun } from './scenarios.js';

let nodeOneThread: TinyRun;
// Big enough that the model's products split over threads (64 features, 256 hidden units).
const WIDE = { epochs: 4, features: 64, hidden: 256 };
let isolatedPage: TestPage;
let plainPage: TestPage;

useBrowser(async (session) => {
  nodeOneThread = await trainTiny(await importDist(), { ...WIDE, configure: { threads: 1 } });
  isolatedPage = await openTestPage(session, { isolated: true });
  plainPage = await openTestPage(session, { isolated: false });
});

function expectSameTraining(run: TinyRun, reference: TinyRun): void {
  const close = (a: readonly number[], b: readonly number[], what: string) => {
    expect(a.length, what).toBe(b.length);
    for (const [i, v] of a.entries()) expect(Math.abs(v - b[i]), `${what}[${i}]`).toBeLessThanOrEqual(1e-6);
  };
  close(run.history.loss, reference.history.loss, 'loss');
  for (const [i, w] of run.weights.entries()) close(w.values, reference.weights[i].values, `weight ${i}`);
  close(run.predictions.values, reference.predictions.values, 'predictions');
}

const headerMessages = (page: TestPage) =>
  page.messages.filter((m) => /Cross-Origin-(Opener|Embedder)-Policy/i.test(m.text));

describe('cross-origin isolated page', () => {
  let page: TestPage;
  beforeAll(() => {
    page = isolatedPage;
  });

  it('is isolated (the server sends COOP/COEP under /coi/), so SharedArrayBuffer exists', async () => {
    expect(page.crossOriginIsolated).toBe(true);
    expect(await page.page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  });

  it('configureBackend({ threads: 2 }) gives a 2-thread backend that trains to the weights of 1 thread', async () => {
    const two = await page.trainTiny({ ...WIDE, configure: { threads: 2 }, alwaysTeam: true });
    expect(two.backend.threads).toBe(2);
    // 8 steps an epoch, each on both threads.
    expect(two.backend.teamRuns).toBeGreaterThanOrEqual(32);
    const one = await page.trainTiny({ ...WIDE, configure: { threads: 1 } });
    expect(one.backend.threads).toBe(1);
    expectSameTraining(two, one);
    expectSameTraining(two, nodeOneThread);
    expect(headerMessages(page)).toEqual([]);
    expect(page.messages.filter((m) => m.type.endsWith('error') || m.type === 'pageerror')).toEqual([]);
  });
});

describe('page without cross-origin isolation', () => {
  let page: TestPage;
  beforeAll(() => {
    page = plainPage;
  });

  it(
    'asked for 2 threads, runs on 1, trains as 1 thread does, ' + 'and logs exactly one message naming the two headers',
    async () => {
      expect(page.crossOriginIsolated).toBe(false);
      const run = await page.trainTiny({ ...WIDE, configure: { threads: 2 } });
      expect(run.backend.threads).toBe(1);
      expectSameTraining(run, nodeOneThread);
      // Using the backend again (ready(), another model) must not repeat the message.
      await page.page.evaluate(async () => {
        const s = (window as unknown as import('./harness.js').PageGlobals).simdnet;
        await s.ready();
        s.sequential([s.layers.dense({ units: 2, inputShape: [3] })], { seed: 1 }).predict([[1, 2, 3]]);
      });
      const messages = headerMessages(page);
      expect(messages, JSON.stringify(page.messages)).toHaveLength(1);
      expect(messages[0].text).toContain('Cross-Origin-Opener-Policy');
      expect(messages[0].text).toContain('Cross-Origin-Embedder-Policy');
      expect(page.messages.filter((m) => m.type === 'pageerror')).toEqual([]);
    },
  );
});
