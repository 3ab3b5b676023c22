// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 70,000 greyscale 28x28 images of clothing in ten
// classes, as four IDX files. This loader finds them on disk (or downloads them once into the user's
// cache), checks them byte for byte against the published MD5 sums and splits them the way the
// reference Keras notebook does.
//
// Node-only: node:fs, node:path, node:os and node:zlib are imported when the function runs, so that
// importing this module (through the package index) stays harmless in a browser.

import { DataError, ValueError, describe } from '../errors.js';
import { Tensor } from '../tensor.js';
import { IDX_REPAIR_ADVICE, type IdxArray, parseIdx } from './idx.js';
import { md5 } from './md5.js';

/** The ten Fashion-MNIST classes, indexed by label. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** Where the official gzip files are downloaded from (`<base><file>.gz`). */
export const FASHION_MNIST_DOWNLOAD_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Where the Debian package `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

const DEBIAN_PACKAGE = 'dataset-fashion-mnist';
const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
const TRAIN_COUNT = 60000;
const TEST_COUNT = 10000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;

interface FileSpec {
  name: string;
  /** MD5 of the decompressed (IDX) bytes, from the official Fashion-MNIST repository. */
  md5: string;
  rank: 1 | 3;
  count: number;
}

const TRAIN_IMAGES: FileSpec = {
  name: 'train-images-idx3-ubyte',
  md5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  rank: 3,
  count: TRAIN_COUNT,
};
const TRAIN_LABELS: FileSpec = {
  name: 'train-labels-idx1-ubyte',
  md5: '9018921c3c673c538a1fc5bad174d6f9',
  rank: 1,
  count: TRAIN_COUNT,
};
const TEST_IMAGES: FileSpec = {
  name: 't10k-images-idx3-ubyte',
  md5: '8181f5470baa50b63fa0f6fddb340f0a',
  rank: 3,
  count: TEST_COUNT,
};
const TEST_LABELS: FileSpec = {
  name: 't10k-labels-idx1-ubyte',
  md5: '15d484375f8d13e6eb1aabb0c3f46965',
  rank: 1,
  count: TEST_COUNT,
};
const FILES: readonly FileSpec[] = [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS];

/** Options of {@link fashionMnist}; all optional. */
export interface FashionMnistOptions {
  /** A directory holding the four files (plain or `.gz`); searched first. */
  dir?: string;
  /** How many of the training file's first images form the validation set. Default 5000. */
  validation?: number;
  /** How many of the images after the validation ones form the training set. Default: all the rest. */
  trainSamples?: number;
  /** Download the official files into the user cache when they are nowhere on disk. Default true. */
  download?: boolean;
  /** Check every file's MD5 against the published sums. Default true. */
  verify?: boolean;
}

/** The split data set: images are float32 `[N, 28, 28]` in [0, 1], labels int32 `[N]` in 0..9. */
export interface FashionMnist {
  xTrain: Tensor;
  yTrain: Tensor;
  xValid: Tensor;
  yValid: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  classNames: readonly string[];
}

/** Test hooks: where the package directory and the download are. Not part of the public API. */
export interface FashionMnistLocations {
  systemDir?: string;
  downloadBase?: string;
}

const OPTION_NAMES = ['dir', 'validation', 'trainSamples', 'download', 'verify'];

/**
 * Loads Fashion-MNIST, split as Keras users know it: the validation set is the training file's
 * first `validation` images, the training set the `trainSamples` images after them, the test set
 * the official 10,000 test images. Pixels are divided by 255.
 *
 * The four files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each plain or gzipped) are looked for in `options.dir`, then
 * `$FASHION_MNIST_DIR`, then the user cache (`$XDG_CACHE_HOME/simdnet/fashion-mnist` or
 * `~/.cache/simdnet/fashion-mnist`), then `/usr/share/datasets/fashion-mnist` (Debian package
 * `dataset-fashion-mnist`); the first directory holding all four is used. When none does, the
 * official files are downloaded into the cache. Node only.
 *
 * @example
 * // The reference notebook's split: 5,000 validation, 10,000 training, 10,000 test images.
 * const { xTrain, yTrain, xValid, yValid, xTest, yTest } =
 *   await fashionMnist({ validation: 5000, trainSamples: 10000 });
 */
export async function fashionMnist(options?: FashionMnistOptions): Promise<FashionMnist> {
  return loadFashionMnist(options, {});
}

/** {@link fashionMnist} with the package directory and download base replaceable (for tests). */
export async function loadFashionMnist(
  options: FashionMnistOptions | undefined,
  locations: FashionMnistLocations,
): Promise<FashionMnist> {
  const opts = validateOptions(options);
  const node = await importNode();
  const systemDir = locations.systemDir ?? FASHION_MNIST_SYSTEM_DIR;
  const downloadBase = locations.downloadBase ?? FASHION_MNIST_DOWNLOAD_BASE;

  const env = typeof process !== 'undefined' ? process.env : {};
  const cacheDir = userCacheDir(node, env);
  const places: Place[] = [
    {
      dir: opts.dir === undefined ? undefined : node.path.resolve(opts.dir),
      label: 'the `dir` option',
      kind: 'option',
    },
    {
      dir: env.FASHION_MNIST_DIR ? node.path.resolve(env.FASHION_MNIST_DIR) : undefined,
      label: 'FASHION_MNIST_DIR',
      kind: 'env',
    },
    { dir: cacheDir, label: 'the user cache directory', kind: 'cache' },
    { dir: systemDir, label: `Debian package ${DEBIAN_PACKAGE}`, kind: 'system' },
  ];

  let found: Found | undefined;
  const looked: Array<{ place: Place; result: Lookup }> = [];
  for (const place of places) {
    if (place.dir === undefined) continue;
    const result = await lookIn(node, place.dir);
    looked.push({ place, result });
    if (result.kind === 'complete') {
      found = { place, paths: result.paths };
      break;
    }
  }

  let downloadFailure: { url: string; reason: string } | undefined;
  if (!found && opts.download) {
    const cache = looked.find((l) => l.place.kind === 'cache');
    const have = cache && cache.result.kind === 'partial' ? cache.result.paths : new Map<string, string>();
    downloadFailure = await download(
      node,
      cacheDir,
      FILES.filter((f) => !have.has(f.name)),
      downloadBase,
    );
    if (!downloadFailure) {
      const result = await lookIn(node, cacheDir);
      if (result.kind === 'complete') found = { place: places[2], paths: result.paths };
      else downloadFailure = { url: downloadBase, reason: `the downloaded files are not in ${cacheDir} afterwards` };
    }
  }
  if (!found) throw notFoundError(opts, places, looked, downloadBase, downloadFailure);

  const read = async (spec: FileSpec): Promise<Uint8Array> =>
    readIdxFile(node, found!, spec, opts.verify, downloadBase);
  // Small files first: a broken label file is reported before 50 MB of images are decompressed.
  const trainLabels = await read(TRAIN_LABELS);
  const testLabels = await read(TEST_LABELS);
  const testImages = await read(TEST_IMAGES);
  const trainImages = await read(TRAIN_IMAGES);

  const validation = opts.validation;
  const trainSamples = opts.trainSamples;
  return {
    xTrain: images(trainImages, validation, trainSamples),
    yTrain: labels(trainLabels, validation, trainSamples),
    xValid: images(trainImages, 0, validation),
    yValid: labels(trainLabels, 0, validation),
    xTest: images(testImages, 0, TEST_COUNT),
    yTest: labels(testLabels, 0, TEST_COUNT),
    classNames: FASHION_MNIST_CLASS_NAMES,
  };
}

// ---------------------------------------------------------------------------------------------
// Options

interface ValidOptions {
  dir: string | undefined;
  validation: number;
  trainSamples: number;
  download: boolean;
  verify: boolean;
}

function validateOptions(options: FashionMnistOptions | undefined): ValidOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(
      `fashionMnist: expected an options object such as { validation: 5000 } or nothing, received ` +
        `${describe(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new ValueError(
        `fashionMnist: unknown option ${JSON.stringify(key)}; the options are ${OPTION_NAMES.join(', ')}.`,
      );
    }
  }
  const { dir, validation = 5000, download = true, verify = true } = options;
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
    throw new ValueError(
      `fashionMnist: dir must be a non-empty string (a directory holding the four Fashion-MNIST files), received ` +
        `${describe(dir)}.`,
    );
  }
  if (typeof validation !== 'number' || !Number.isInteger(validation) || validation < 0 || validation > TRAIN_COUNT) {
    throw new ValueError(
      `fashionMnist: validation must be an integer from 0 to ${TRAIN_COUNT} (how many of the ${TRAIN_COUNT} training ` +
        `images to hold out), received ${describe(validation)}.`,
    );
  }
  const rest = TRAIN_COUNT - validation;
  const trainSamples = options.trainSamples ?? rest;
  if (typeof trainSamples !== 'number' || !Number.isInteger(trainSamples) || trainSamples < 0 || trainSamples > rest) {
    throw new ValueError(
      `fashionMnist: trainSamples must be an integer from 0 to ${rest} (the ${TRAIN_COUNT} training images minus ` +
        `validation = ${validation}), received ${describe(trainSamples)}.`,
    );
  }
  if (typeof download !== 'boolean') {
    throw new ValueError(`fashionMnist: download must be true or false, received ${describe(download)}.`);
  }
  if (typeof verify !== 'boolean') {
    throw new ValueError(`fashionMnist: verify must be true or false, received ${describe(verify)}.`);
  }
  return { dir, validation, trainSamples, download, verify };
}

// ---------------------------------------------------------------------------------------------
// Finding the files

interface NodeModules {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
  os: typeof import('node:os');
  zlib: typeof import('node:zlib');
}

async function importNode(): Promise<NodeModules> {
  try {
    const [fs, path, os, zlib] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
      import('node:os'),
      import('node:zlib'),
    ]);
    return { fs, path, os, zlib };
  } catch (error) {
    throw new DataError(
      `fashionMnist: reading the data set from disk needs Node.js (node:fs, node:zlib), which this runtime lacks ` +
        `(${reasonOf(error)}). In a browser, fetch the four IDX files yourself and read them with parseIdx().`,
    );
  }
}

interface Place {
  dir: string | undefined;
  label: string;
  kind: 'option' | 'env' | 'cache' | 'system';
}

type Lookup =
  | { kind: 'complete'; paths: Map<string, string> }
  | { kind: 'partial'; paths: Map<string, string>; missing: string[] }
  | { kind: 'absent'; reason: string };

interface Found {
  place: Place;
  paths: Map<string, string>;
}

function userCacheDir(node: NodeModules, env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  const base = xdg && node.path.isAbsolute(xdg) ? xdg : node.path.join(node.os.homedir(), '.cache');
  return node.path.join(base, 'simdnet', 'fashion-mnist');
}

async function isFile(node: NodeModules, file: string): Promise<boolean> {
  try {
    return (await node.fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Which of the four files a directory holds (the plain IDX file preferred to the `.gz`). */
async function lookIn(node: NodeModules, dir: string): Promise<Lookup> {
  try {
    const stat = await node.fs.stat(dir);
    if (!stat.isDirectory()) return { kind: 'absent', reason: 'not a directory' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'absent', reason: code === 'ENOENT' ? 'does not exist' : `cannot be read (${reasonOf(error)})` };
  }
  const paths = new Map<string, string>();
  const missing: string[] = [];
  for (const spec of FILES) {
    const plain = node.path.join(dir, spec.name);
    const gz = `${plain}.gz`;
    if (await isFile(node, plain)) paths.set(spec.name, plain);
    else if (await isFile(node, gz)) paths.set(spec.name, gz);
    else missing.push(spec.name);
  }
  return missing.length === 0 ? { kind: 'complete', paths } : { kind: 'partial', paths, missing };
}

function describeLookup(result: Lookup): string {
  if (result.kind === 'absent') return result.reason;
  if (result.kind === 'complete') return 'has all four files';
  if (result.paths.size === 0) return 'has none of the four files';
  return `has ${result.paths.size} of the four files, lacks ${result.missing.map((m) => `${m}[.gz]`).join(', ')}`;
}

function notFoundError(
  opts: ValidOptions,
  places: Place[],
  looked: Array<{ place: Place; result: Lookup }>,
  downloadBase: string,
  downloadFailure: { url: string; reason: string } | undefined,
): DataError {
  const lines: string[] = [];
  const explicit = looked.find((l) => l.place.kind === 'option');
  if (explicit) {
    lines.push(
      `fashionMnist: the directory given as \`dir\`, ${explicit.place.dir}, does not hold the Fashion-MNIST files: ` +
        `it ${describeLookup(explicit.result)}. Nor does any other place searched.`,
    );
  } else {
    lines.push('fashionMnist: cannot find the Fashion-MNIST files.');
  }
  lines.push(
    `Needed: ${FILES.map((f) => f.name).join(', ')} (each plain or .gz), all four in one directory. Searched, in ` +
      `order:`,
  );
  for (const place of places) {
    const entry = looked.find((l) => l.place === place);
    if (place.kind === 'option' && !entry) continue;
    if (place.kind === 'env' && !entry) {
      lines.push('  - FASHION_MNIST_DIR: not set');
      continue;
    }
    lines.push(`  - ${place.dir} (${place.label}): ${entry ? describeLookup(entry.result) : 'not searched'}`);
  }
  const cacheDir = places[2].dir;
  if (downloadFailure) {
    lines.push(`Downloading into ${cacheDir} failed: ${downloadFailure.url}: ${downloadFailure.reason}.`);
  } else if (!opts.download) {
    lines.push(`Downloading from ${downloadBase} was not tried (download: false).`);
  }
  lines.push(
    `To fix: install the Debian package (sudo apt-get install ${DEBIAN_PACKAGE}), ` +
      'or put the four files in a directory and set FASHION_MNIST_DIR to it (or pass { dir }), ' +
      `or download them from ${downloadBase} into ${cacheDir}${opts.download ? '' : ', or pass download: true'}.`,
  );
  return new DataError(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Downloading

/** Downloads the missing official gzip files into the cache; returns what failed, or undefined. */
async function download(
  node: NodeModules,
  cacheDir: string,
  specs: FileSpec[],
  base: string,
): Promise<{ url: string; reason: string } | undefined> {
  const fetchFn = (globalThis as { fetch?: typeof fetch }).fetch;
  for (const spec of specs) {
    const url = `${base}${spec.name}.gz`;
    if (typeof fetchFn !== 'function') return { url, reason: 'fetch() is not available in this runtime' };
    let gz: Uint8Array;
    try {
      const response = await fetchFn(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok)
        return { url, reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
      gz = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      return { url, reason: reasonOf(error) };
    }
    let raw: Uint8Array;
    try {
      raw = node.zlib.gunzipSync(gz);
    } catch (error) {
      return { url, reason: `the ${gz.length} bytes received are not a complete gzip file (${reasonOf(error)})` };
    }
    const sum = md5(raw);
    if (sum !== spec.md5) {
      return { url, reason: `the decompressed file's MD5 is ${sum}, expected ${spec.md5}` };
    }
    // Write beside the target, then rename: an interrupted download never leaves a partial file.
    const target = node.path.join(cacheDir, `${spec.name}.gz`);
    const temporary = node.path.join(cacheDir, `.${spec.name}.gz.${process.pid}.${Date.now()}.partial`);
    try {
      await node.fs.mkdir(cacheDir, { recursive: true });
      await node.fs.writeFile(temporary, gz);
      await node.fs.rename(temporary, target);
    } catch (error) {
      await node.fs.rm(temporary, { force: true }).catch(() => undefined);
      return { url, reason: `downloaded, but writing ${target} failed (${reasonOf(error)})` };
    }
  }
  return undefined;
}

/** A one-line reason from an error, with the cause's code (fetch's "fetch failed" says little alone). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let reason = error.message || error.name;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    reason += `: ${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ''}`;
  } else if (cause !== undefined) {
    reason += `: ${String(cause)}`;
  }
  return reason;
}

// ---------------------------------------------------------------------------------------------
// Reading and converting

function repairAdvice(node: NodeModules, place: Place, file: string, downloadBase: string): string {
  if (place.kind === 'system') return `Reinstall the package: sudo apt-get install --reinstall ${DEBIAN_PACKAGE}.`;
  if (place.kind === 'cache') return `Delete ${file} and run again to download it afresh.`;
  const gzName = node.path.basename(file).replace(/(\.gz)?$/, '.gz');
  return (
    `Delete ${file} and fetch it again from ${downloadBase}${gzName}, or install ${DEBIAN_PACKAGE} (sudo ` +
    `apt-get install ${DEBIAN_PACKAGE}).`
  );
}

/** Reads one file: decompresses it if gzipped, checks its MD5 and IDX header; returns the values. */
async function readIdxFile(
  node: NodeModules,
  found: Found,
  spec: FileSpec,
  verify: boolean,
  downloadBase: string,
): Promise<Uint8Array> {
  const file = found.paths.get(spec.name)!;
  const advice = repairAdvice(node, found.place, file, downloadBase);
  let bytes: Uint8Array;
  try {
    bytes = await node.fs.readFile(file);
  } catch (error) {
    throw new DataError(`fashionMnist: cannot read ${file} (${reasonOf(error)}).`);
  }
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzipped) {
    try {
      bytes = node.zlib.gunzipSync(bytes);
    } catch (error) {
      throw new DataError(
        `fashionMnist: ${file} is a truncated or corrupt gzip file: expected a complete gzip stream, found ` +
          `${bytes.length} bytes that do not decompress (${reasonOf(error)}). ${advice}`,
      );
    }
  } else if (file.endsWith('.gz')) {
    throw new DataError(
      `fashionMnist: ${file} is not a gzip file: expected it to start with the gzip bytes 1f 8b, found ` +
        `${hexStart(bytes)}. ${advice}`,
    );
  }
  let idx: IdxArray;
  try {
    idx = parseIdx(bytes, `${file}${gzipped ? ' (decompressed)' : ''}`, spec.rank);
  } catch (error) {
    if (error instanceof DataError)
      throw new DataError(`fashionMnist: ${error.message.replace(IDX_REPAIR_ADVICE, advice)}`);
    throw error;
  }
  const expected = spec.rank === 3 ? [spec.count, IMAGE_SIZE, IMAGE_SIZE] : [spec.count];
  if (idx.shape.join() !== expected.join()) {
    throw new DataError(
      `fashionMnist: ${file}: expected shape [${expected.join(', ')}] for ${spec.name}, found ` +
        `[${idx.shape.join(', ')}]. ${advice}`,
    );
  }
  if (verify) {
    const sum = md5(bytes);
    if (sum !== spec.md5) {
      throw new DataError(
        `fashionMnist: ${file} is corrupt or not the official ${spec.name}: the MD5 of its ` +
          `${gzipped ? 'decompressed ' : ''}${bytes.length} bytes is ${sum}, expected ${spec.md5}. ${advice}`,
      );
    }
  }
  if (spec.rank === 1) {
    const labels = idx.data;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= FASHION_MNIST_CLASS_NAMES.length) {
        throw new DataError(
          `fashionMnist: ${file}: expected labels from 0 to 9, found ${labels[i]} at index ${i}. ${advice}`,
        );
      }
    }
  }
  return idx.data;
}

function hexStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Images `start .. start + count` as float32 `[count, 28, 28]`, pixels / 255 (rounded once, as Keras's x / 255.). */
function images(pixels: Uint8Array, start: number, count: number): Tensor {
  const n = count * PIXELS;
  const offset = start * PIXELS;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = pixels[offset + i] / 255;
  return new Tensor(out, [count, IMAGE_SIZE, IMAGE_SIZE]);
}

/** Labels `start .. start + count` as int32 `[count]`. */
function labels(values: Uint8Array, start: number, count: number): Tensor {
  return new Tensor(new Int32Array(values.subarray(start, start + count)), [count]);
}
