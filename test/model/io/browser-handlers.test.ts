// The browser handlers, in Node through stubs: indexeddb:// against a minimal in-memory stand-in for
// the IndexedDB calls it makes, downloads:// with an injected download function, browserFiles with
// file-like objects.

import { describe, expect, it } from 'vitest';
import { DataError, Tensor, browserFiles, layers, loadModel, sequential } from '../../../src/index.js';
import { IndexedDbHandler, type IDBFactoryLike } from '../../../src/model/io/indexeddb.js';
import { BrowserDownloadHandler } from '../../../src/model/io/browser-download.js';

/** Just enough IndexedDB: open (with upgrade), one object store keyed by `name`, put/get in transactions. */
function fakeIndexedDb(): IDBFactoryLike {
  const stores = new Map<string, Map<string, unknown>>();
  const later = (f: () => void) => setTimeout(f, 0);
  const req = <T>(result: () => T) => {
    const r: { result?: T; error: null; onsuccess?: () => void; onerror?: () => void } = { error: null };
    later(() => {
      r.result = result();
      r.onsuccess?.();
    });
    return r;
  };
  const db = {
    objectStoreNames: { contains: (n: string) => stores.has(n) },
    createObjectStore: (n: string) => stores.set(n, new Map()),
    close: () => undefined,
    transaction: (n: string) => {
      const tx: {
        oncomplete?: () => void;
        onerror?: () => void;
        onabort?: () => void;
        error: null;
        objectStore: (s: string) => unknown;
      } = {
        error: null,
        objectStore: () => ({
          put: (v: { name: string }) => req(() => stores.get(n)!.set(v.name, structuredClone(v))),
          get: (k: string) => req(() => structuredClone(stores.get(n)!.get(k))),
        }),
      };
      later(() => later(() => tx.oncomplete?.()));
      return tx;
    },
  };
  return {
    open: () => {
      const r: {
        result: typeof db;
        onupgradeneeded?: () => void;
        onsuccess?: () => void;
        onerror?: () => void;
        error: null;
      } = { result: db, error: null };
      later(() => {
        if (!stores.has('models')) r.onupgradeneeded?.();
        r.onsuccess?.();
      });
      return r as unknown as IDBOpenDBRequest;
    },
  };
}

const model = () =>
  sequential([layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), layers.dense({ units: 2 })], {
    seed: 6,
  });
const x = new Tensor(
  Float32Array.from({ length: 8 }, (_, i) => i / 8 - 0.5),
  [2, 4],
);

describe('browser handlers (stubs)', () => {
  it('indexeddb: save then load gives the same predictions; a missing name is a clear error', async () => {
    const idb = fakeIndexedDb();
    const m = model();
    await m.save(new IndexedDbHandler('my-model', idb));
    const back = await loadModel(new IndexedDbHandler('my-model', idb));
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    await expect(loadModel(new IndexedDbHandler('other', idb))).rejects.toThrow(
      /no model named "other" in IndexedDB; save one with model\.save\('indexeddb:\/\/other'\)/,
    );
    await expect(loadModel(new IndexedDbHandler('other', idb))).rejects.toBeInstanceOf(DataError);
    await expect(m.save('indexeddb://x')).rejects.toThrow(
      /this runtime has no IndexedDB; in Node save with 'file:\/\/…'/,
    );
  });

  it('downloads then browserFiles: the downloaded files load back', async () => {
    const m = model();
    const downloads: { name: string; data: Blob }[] = [];
    await m.save(new BrowserDownloadHandler('clf', (name, data) => void downloads.push({ name, data })));
    expect(downloads.map((d) => d.name)).toEqual(['clf.json', 'clf.weights.bin']);
    const picked = downloads.map((d) => ({ name: d.name, arrayBuffer: () => d.data.arrayBuffer() }));
    const back = await loadModel(browserFiles(picked));
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    await expect(loadModel(browserFiles(picked.slice(0, 1)))).rejects.toThrow(
      /names weight file "clf\.weights\.bin", which was not among the picked files \(none\); pick it too/,
    );
    expect(() => browserFiles([])).toThrow(
      /browserFiles: expected an array of files \(model\.json first, then its weight files\)/,
    );
    await expect(loadModel('downloads://clf')).rejects.toThrow(
      /downloads:\/\/clf can only save; load the downloaded files with loadModel\(browserFiles/,
    );
  });
});
