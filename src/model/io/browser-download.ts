// Browser file transfer: `downloads://name` saves model.json and its weight files as downloads
// (name.json, name.weights.bin…), and `browserFiles(files)` loads from files the user picked
// (an <input type="file" multiple>): model.json first, then the weight files.

import { DataError, ValueError, describe } from '../../errors.js';
import type { IOHandler, LoadedSource, ModelArtifacts, ModelJson, WeightGroup } from './types.js';

/** Hands a file to the user (by default an <a download> click). */
export type Download = (fileName: string, data: Blob) => void | Promise<void>;

function anchorDownload(fileName: string, data: Blob): void {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc)
    throw new ValueError(
      `downloads://: there is no document to download from (not a browser); in Node save with 'file://…'.`,
    );
  const url = URL.createObjectURL(data);
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export class BrowserDownloadHandler implements IOHandler {
  constructor(
    readonly prefix: string,
    private readonly download: Download = anchorDownload,
  ) {
    if (prefix.length === 0) this.prefix = 'model';
  }

  async save(artifacts: ModelArtifacts): Promise<void> {
    // Downloaded files land side by side: prefix them so that two models do not collide.
    const names = new Map([...artifacts.files.keys()].map((n) => [n, `${this.prefix}.${n}`]));
    const json: ModelJson = structuredClone(artifacts.json);
    const rename = (g: WeightGroup) => (g.paths = g.paths.map((p) => names.get(p) ?? p));
    json.weightsManifest.forEach(rename);
    if (json.simdnet.optimizerWeights) rename(json.simdnet.optimizerWeights);
    await this.download(`${this.prefix}.json`, new Blob([JSON.stringify(json)], { type: 'application/json' }));
    for (const [name, bytes] of artifacts.files)
      await this.download(names.get(name)!, new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  }

  async load(): Promise<LoadedSource> {
    throw new ValueError(
      `downloads://${this.prefix} can only save; load the downloaded files with loadModel(browserFiles([jsonFile, ` +
        `...weightFiles])).`,
    );
  }
}

/** A file the user picked (a browser File, or anything with a name and its bytes). */
export interface PickedFile {
  readonly name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Loads from files picked by the user: model.json first, then the weight files it names.
 *
 * @example
 * const model = await loadModel(browserFiles([...input.files]));
 */
export function browserFiles(files: readonly PickedFile[]): IOHandler {
  if (
    !Array.isArray(files) ||
    files.length === 0 ||
    !files.every((f) => typeof f?.name === 'string' && typeof f?.arrayBuffer === 'function')
  ) {
    throw new ValueError(
      `browserFiles: expected an array of files (model.json first, then its weight files), received ` +
        `${describe(files)}.`,
    );
  }
  const [jsonFile, ...rest] = files;
  return {
    async save(): Promise<void> {
      throw new ValueError('browserFiles: can only load; save with downloads://name.');
    },
    async load(): Promise<LoadedSource> {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(await jsonFile.arrayBuffer()));
      } catch (e) {
        throw new DataError(
          `loadModel: ${jsonFile.name} is not valid JSON (${(e as Error).message}); pick model.json as the first file.`,
        );
      }
      return {
        description: jsonFile.name,
        json,
        async readFile(path: string): Promise<Uint8Array> {
          const base = path.split('/').pop()!;
          const file = rest.find((f) => f.name === path || f.name === base);
          if (!file)
            throw new DataError(
              `loadModel: ${jsonFile.name} names weight file ${JSON.stringify(path)}, which was not among the picked ` +
                `files (${rest.map((f) => f.name).join(', ') || 'none'}); pick it too.`,
            );
          return new Uint8Array(await file.arrayBuffer());
        },
      };
    },
  };
}
