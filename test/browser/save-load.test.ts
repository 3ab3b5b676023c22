// Saving and loading in a real browser: indexeddb:// (across a page reload, and read back in Node),
// downloads:// caught as Playwright download events, then picked again through an
// <input type="file"> and loaded with browserFiles. The unit tests only drive these handlers through
// stubs (test/model/io/browser-handlers.test.ts).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDist, openTestPage, useBrowser, type PageGlobals, type TestPage } from './harness.js';
import { tinyData } from './scenarios.js';

let page: TestPage;
let dir: string;

useBrowser(async (session) => {
  page = await openTestPage(session);
});
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-browser-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Trains the tiny model for two epochs in the page and keeps it as window.model; returns its predictions. */
async function trainInPage(): Promise<number[]> {
  return page.page.evaluate(async () => {
    const g = window as unknown as PageGlobals;
    const s = g.simdnet;
    await s.ready();
    const { x, y } = g.scenarios.tinyData();
    const model = g.scenarios.tinyModel(s, 7);
    model.compile({
      optimizer: s.optimizers.adam({ learningRate: 0.05 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    await model.fit(s.tensor(x, [x.length / 4, 4]), y, { epochs: 2, batchSize: 8, verbose: 0 });
    g.model = model;
    return Array.from(model.predict(s.tensor(x, [x.length / 4, 4])).dataSync());
  });
}

async function nodePredictions(url: string): Promise<number[]> {
  const simdnet = await importDist();
  const model = await simdnet.loadModel(url);
  const { x } = tinyData();
  return Array.from(model.predict(simdnet.tensor(x, [x.length / 4, 4])).dataSync());
}

describe('indexeddb://', () => {
  it('save then loadModel gives the same predictions, after a reload too, and training resumes exactly', async () => {
    const trained = await trainInPage();
    const first = await page.page.evaluate(async () => {
      const g = window as unknown as PageGlobals;
      const s = g.simdnet;
      const model = g.model as InstanceType<typeof s.Sequential>;
      const { x, y } = g.scenarios.tinyData();
      const xs = s.tensor(x, [x.length / 4, 4]);
      await model.save('indexeddb://tiny');
      const loaded = await s.loadModel('indexeddb://tiny');
      const predictions = Array.from(loaded.predict(xs).dataSync());
      // The original model goes on for two more epochs: what a resumed run must reproduce.
      const history = await model.fit(xs, y, { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0 });
      return {
        predictions,
        epoch: loaded.epoch,
        loss: history.history.loss,
        weights: model.getWeights().map((w) => Array.from(w.dataSync())),
      };
    });
    expect(first.predictions).toEqual(trained);
    expect(first.epoch).toBe(2);

    await page.reload();
    const resumed = await page.page.evaluate(async () => {
      const g = window as unknown as PageGlobals;
      const s = g.simdnet;
      await s.ready();
      const { x, y } = g.scenarios.tinyData();
      const xs = s.tensor(x, [x.length / 4, 4]);
      const model = await s.loadModel('indexeddb://tiny');
      const predictions = Array.from(model.predict(xs).dataSync());
      const history = await model.fit(xs, y, { epochs: 4, initialEpoch: model.epoch, batchSize: 8, verbose: 0 });
      return {
        predictions,
        loss: history.history.loss,
        weights: model.getWeights().map((w) => Array.from(w.dataSync())),
      };
    });
    expect(resumed.predictions).toEqual(trained);
    expect(resumed.loss).toEqual(first.loss);
    expect(resumed.weights).toEqual(first.weights);
  });

  it('a model stored in IndexedDB by the page loads in Node with the same predictions', async () => {
    const trained = await trainInPage();
    const stored = await page.page.evaluate(async () => {
      const g = window as unknown as PageGlobals;
      await (g.model as { save(url: string): Promise<void> }).save('indexeddb://for-node');
      // Read the record with the raw IndexedDB API, as the handler stored it.
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('simdnet-models');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const record = await new Promise<{ json: unknown; files: Record<string, ArrayBuffer> }>((resolve, reject) => {
        const r = db.transaction('models', 'readonly').objectStore('models').get('for-node');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      db.close();
      return {
        json: record.json,
        files: Object.entries(record.files).map(
          ([name, b]) => [name, Array.from(new Uint8Array(b))] as [string, number[]],
        ),
      };
    });
    expect(stored.files.map(([name]) => name).sort()).toEqual(['optimizer.bin', 'weights.bin']);
    const out = join(dir, 'from-indexeddb');
    rmSync(out, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(out);
    writeFileSync(join(out, 'model.json'), JSON.stringify(stored.json));
    for (const [name, bytes] of stored.files) writeFileSync(join(out, name), Uint8Array.from(bytes));
    expect(await nodePredictions(`file://${out}`)).toEqual(trained);
  });

  it(
    'modelCheckpoint saves to indexeddb:// during fit; ' + 'the last checkpoint predicts like the trained model',
    async () => {
      const result = await page.page.evaluate(async () => {
        const g = window as unknown as PageGlobals;
        const s = g.simdnet;
        const { x, y } = g.scenarios.tinyData();
        const xs = s.tensor(x, [x.length / 4, 4]);
        const model = g.scenarios.tinyModel(s, 3);
        model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
        await model.fit(xs, y, {
          epochs: 3,
          batchSize: 8,
          verbose: 0,
          callbacks: [s.callbacks.modelCheckpoint({ filepath: 'indexeddb://ckpt-{epoch}' })],
        });
        const last = await s.loadModel('indexeddb://ckpt-3');
        const first = await s.loadModel('indexeddb://ckpt-1');
        const p = (m: { predict(t: unknown): { dataSync(): ArrayLike<number> } }) =>
          Array.from(m.predict(xs).dataSync());
        return { model: p(model), last: p(last), first: p(first), epochs: [first.epoch, last.epoch] };
      });
      expect(result.last).toEqual(result.model);
      expect(result.first).not.toEqual(result.model);
      expect(result.epochs).toEqual([1, 3]);
    },
  );

  it('loading a name that was never saved fails with a DataError naming it', async () => {
    const message = await page.page.evaluate(async () => {
      const s = (window as unknown as PageGlobals).simdnet;
      return s.loadModel('indexeddb://never-saved').then(
        () => 'loaded',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    });
    expect(message).toMatch(/^DataError: loadModel: no model named "never-saved" in IndexedDB/);
  });
});

describe('downloads:// and browserFiles', () => {
  it('downloads model.json and its weight files, which load back from an <input type=file> and in Node', async () => {
    const trained = await trainInPage();
    const downloads: Download[] = [];
    page.page.on('download', (d) => downloads.push(d));
    await page.page.evaluate(async () => {
      const g = window as unknown as PageGlobals;
      await (g.model as { save(url: string): Promise<void> }).save('downloads://tiny');
    });
    await expect.poll(() => downloads.length, { timeout: 15_000 }).toBe(3);
    const names = downloads.map((d) => d.suggestedFilename());
    expect([...names].sort()).toEqual(['tiny.json', 'tiny.optimizer.bin', 'tiny.weights.bin']);
    const out = join(dir, 'downloads');
    const paths: Record<string, string> = {};
    for (const d of downloads) {
      paths[d.suggestedFilename()] = join(out, d.suggestedFilename());
      await d.saveAs(paths[d.suggestedFilename()]);
    }
    const json = JSON.parse((await import('node:fs')).readFileSync(paths['tiny.json'], 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['tiny.weights.bin']);

    // The user picks the files again: model.json first, then the weights.
    await page.page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.id = 'pick';
      document.body.append(input);
    });
    await page.page.setInputFiles('#pick', [
      paths['tiny.json'],
      paths['tiny.weights.bin'],
      paths['tiny.optimizer.bin'],
    ]);
    const picked = await page.page.evaluate(async () => {
      const g = window as unknown as PageGlobals;
      const s = g.simdnet;
      const files = Array.from((document.getElementById('pick') as HTMLInputElement).files!);
      const model = await s.loadModel(s.browserFiles(files));
      const { x } = g.scenarios.tinyData();
      return {
        names: files.map((f) => f.name),
        epoch: model.epoch,
        predictions: Array.from(model.predict(s.tensor(x, [x.length / 4, 4])).dataSync()),
      };
    });
    expect(picked.names[0]).toBe('tiny.json');
    expect(picked.epoch).toBe(2);
    expect(picked.predictions).toEqual(trained);
    expect(await nodePredictions(`file://${paths['tiny.json']}`)).toEqual(trained);
  });
});
