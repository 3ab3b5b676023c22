// `indexeddb://name`: a model saved in the browser's IndexedDB, as one record (model.json and its
// files) written in one transaction, so a save is all-or-nothing.

import { DataError, ValueError } from '../../errors.js';
import type { IOHandler, LoadedSource, ModelArtifacts } from './types.js';

const DATABASE = 'simdnet-models';
const STORE = 'models';

/** The part of IndexedDB this handler uses (injectable for tests and other runtimes). */
export interface IDBFactoryLike {
  open(name: string, version?: number): IDBOpenDBRequest;
}

interface StoredModel {
  name: string;
  json: unknown;
  files: Record<string, ArrayBuffer>;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(idb: IDBFactoryLike): Promise<IDBDatabase> {
  const open = idb.open(DATABASE, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: 'name' });
  };
  return request(open);
}

export class IndexedDbHandler implements IOHandler {
  constructor(
    readonly name: string,
    private readonly idb: IDBFactoryLike | undefined = (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB,
  ) {
    if (name.length === 0)
      throw new ValueError(`indexeddb://: expected a model name after the scheme, such as 'indexeddb://my-model'.`);
  }

  private database(): Promise<IDBDatabase> {
    if (!this.idb)
      throw new ValueError(`indexeddb://${this.name}: this runtime has no IndexedDB; in Node save with 'file://…'.`);
    return openDatabase(this.idb);
  }

  async save(artifacts: ModelArtifacts): Promise<void> {
    const db = await this.database();
    try {
      const files: Record<string, ArrayBuffer> = {};
      for (const [name, bytes] of artifacts.files) files[name] = bytes.slice().buffer;
      const tx = db.transaction(STORE, 'readwrite');
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      });
      tx.objectStore(STORE).put({ name: this.name, json: artifacts.json, files } satisfies StoredModel);
      await done;
    } finally {
      db.close();
    }
  }

  async load(): Promise<LoadedSource> {
    const db = await this.database();
    let stored: StoredModel | undefined;
    try {
      stored = await request(
        db.transaction(STORE, 'readonly').objectStore(STORE).get(this.name) as IDBRequest<StoredModel | undefined>,
      );
    } finally {
      db.close();
    }
    if (!stored)
      throw new DataError(
        `loadModel: no model named ${JSON.stringify(this.name)} in IndexedDB; save one with ` +
          `model.save('indexeddb://${this.name}').`,
      );
    const files = stored.files;
    const description = `indexeddb://${this.name}`;
    return {
      description,
      json: stored.json,
      async readFile(path: string): Promise<Uint8Array> {
        const buffer = Object.hasOwn(files, path) ? files[path] : undefined;
        if (!buffer)
          throw new DataError(
            `loadModel: ${description} has no file ${JSON.stringify(path)} named in its model.json; save the model ` +
              `again.`,
          );
        return new Uint8Array(buffer);
      },
    };
  }
}
