// Saving to and loading from a directory (Node): model.json plus binary weight files.
//
// A save is atomic: every file is written under a temporary name in the same directory, flushed to
// disk (fsync) and renamed over its final name, model.json last, then the directory is flushed. The
// binary files are not overwritten in place: a save writes the name (`weights.bin` or
// `weights.alt.bin`) that the current model.json does not reference, so until the new model.json is
// renamed into place the old one still points at complete files of its own; the files it referenced
// are deleted after. A crash at any moment leaves the previous save loadable (or the new one).
// Two processes must not save into the same directory at the same time.

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { DataError, ValueError, describe } from '../../errors.js';
import type { IOHandler, LoadedSource, ModelArtifacts, ModelJson, WeightGroup } from './types.js';

const MODEL_JSON = 'model.json';
const TEMP_MARK = '.simdnet-tmp-';
let tempCounter = 0;

/** The directory and model.json of a `file://` URL or a path (to the directory or to model.json). */
export function resolveFilePath(url: string): { dir: string; modelJson: string } {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  if (path.length === 0)
    throw new ValueError(`file path: expected 'file://<directory>' or a directory path, received ${describe(url)}.`);
  const full = resolve(path);
  const isJsonFile = full.endsWith('.json');
  return isJsonFile ? { dir: dirname(full), modelJson: full } : { dir: full, modelJson: join(full, MODEL_JSON) };
}

function writeDurably(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `name` in `dir` atomically: temporary file, fsync, rename. */
function commit(dir: string, name: string, data: Uint8Array): void {
  const temp = join(dir, `${TEMP_MARK}${process.pid}-${tempCounter++}-${name}`);
  writeDurably(temp, data);
  renameSync(temp, join(dir, name));
}

function syncDir(dir: string): void {
  // Makes the renames durable; some platforms (Windows) cannot open a directory, which is fine there.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

function referencedFiles(json: unknown): Set<string> {
  const names = new Set<string>();
  if (typeof json !== 'object' || json === null) return names;
  const j = json as Partial<ModelJson>;
  const groups: unknown[] = [
    ...(Array.isArray(j.weightsManifest) ? j.weightsManifest : []),
    ...(j.simdnet?.optimizerWeights ? [j.simdnet.optimizerWeights] : []),
  ];
  for (const g of groups) {
    const paths = (g as Partial<WeightGroup>)?.paths;
    if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') names.add(p);
  }
  return names;
}

function readJsonIfAny(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** `weights.bin` → `weights.alt.bin`. */
function alternate(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.alt${name.slice(dot)}` : `${name}.alt`;
}

/** Checks a manifest path: a plain name inside the model's directory. */
export function checkRelativePath(path: unknown, where: string): string {
  if (typeof path !== 'string' || path.length === 0)
    throw new DataError(`${where}: expected a file name, received ${describe(path)}.`);
  const n = normalize(path);
  if (isAbsolute(path) || n.startsWith('..') || n.split(sep).includes('..')) {
    throw new DataError(
      `${where}: ${JSON.stringify(path)} points outside the model's directory; weight files must sit next to ` +
        `model.json.`,
    );
  }
  return n;
}

export class FileHandler implements IOHandler {
  readonly dir: string;
  readonly modelJson: string;

  constructor(url: string) {
    ({ dir: this.dir, modelJson: this.modelJson } = resolveFilePath(url));
  }

  async save(artifacts: ModelArtifacts): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    // left by a crashed save
    for (const f of readdirSync(this.dir)) if (f.startsWith(TEMP_MARK)) unlinkSync(join(this.dir, f));
    const previous = referencedFiles(readJsonIfAny(this.modelJson));
    const renamed = new Map<string, string>();
    for (const [name, data] of artifacts.files) {
      const target = previous.has(name) ? alternate(name) : name;
      renamed.set(name, target);
      commit(this.dir, target, data);
    }
    const json: ModelJson = structuredClone(artifacts.json);
    const rename = (g: WeightGroup) => (g.paths = g.paths.map((p) => renamed.get(p) ?? p));
    json.weightsManifest.forEach(rename);
    if (json.simdnet.optimizerWeights) rename(json.simdnet.optimizerWeights);
    syncDir(this.dir);
    commit(
      this.dir,
      this.modelJson.slice(this.dir.length + 1),
      new TextEncoder().encode(JSON.stringify(json, null, 1)),
    );
    syncDir(this.dir);
    const now = referencedFiles(json);
    for (const old of previous) {
      if (now.has(old)) continue;
      try {
        unlinkSync(join(this.dir, checkRelativePath(old, 'weightsManifest')));
      } catch {
        /* already gone, or not ours to delete */
      }
    }
  }

  async load(): Promise<LoadedSource> {
    let text: string;
    try {
      if (statSync(this.modelJson).isDirectory())
        throw new DataError(`loadModel: ${this.modelJson} is a directory, expected model.json.`);
      text = readFileSync(this.modelJson, 'utf8');
    } catch (e) {
      if (e instanceof DataError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const advice =
        code === 'ENOENT'
          ? 'no model was saved there; check the path (a directory holding model.json, or model.json itself)'
          : 'check the path and its permissions';
      throw new DataError(`loadModel: cannot read ${this.modelJson} (${code ?? (e as Error).message}): ${advice}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new DataError(
        `loadModel: ${this.modelJson} is not valid JSON (${(e as Error).message}); the file is damaged or is not a ` +
          `model.json.`,
      );
    }
    const dir = this.dir;
    return {
      description: this.modelJson,
      json,
      async readFile(path: string): Promise<Uint8Array> {
        const file = join(dir, checkRelativePath(path, 'weightsManifest paths'));
        try {
          const b = readFileSync(file);
          return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        } catch (e) {
          throw new DataError(
            `loadModel: cannot read weight file ${file} named in model.json ` +
              `(${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); copy it next to model.json.`,
          );
        }
      },
    };
  }
}
