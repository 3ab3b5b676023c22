import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataError, ValueError } from '../../src/errors.js';
import {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DOWNLOAD_BASE,
  fashionMnist,
  loadFashionMnist,
  type FashionMnist,
} from '../../src/data/fashion-mnist.js';

const SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';
const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
const haveSystemFiles = NAMES.every((n) => existsSync(join(SYSTEM_DIR, `${n}.gz`)));
const absent = `${SYSTEM_DIR} is absent: install the Debian package dataset-fashion-mnist to run the real-data tests`;
const NO_FILES = haveSystemFiles ? '' : ` (skipped: ${absent})`;

// Nothing real is touched: HOME and XDG_CACHE_HOME point into a temporary directory.
let root: string;
let emptyDir: string;
const savedEnv = {
  HOME: process.env.HOME,
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
  FASHION_MNIST_DIR: process.env.FASHION_MNIST_DIR,
};
let cacheDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'simdnet-fashion-mnist-'));
  process.env.HOME = join(root, 'home');
  process.env.XDG_CACHE_HOME = join(root, 'xdg-cache');
  delete process.env.FASHION_MNIST_DIR;
  cacheDir = join(root, 'xdg-cache', 'simdnet', 'fashion-mnist');
  emptyDir = join(root, 'empty');
  await mkdir(emptyDir);
});

afterAll(async () => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  vi.unstubAllGlobals();
  delete process.env.FASHION_MNIST_DIR;
  await rm(join(root, 'xdg-cache'), { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

/** A fresh directory holding links to the real files, with `replace` written as real files instead. */
async function fixtureDir(name: string, replace: Record<string, Uint8Array> = {}): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  for (const n of NAMES) {
    const own = Object.keys(replace).find((k) => k === n || k === `${n}.gz`);
    if (own) await writeFile(join(dir, own), replace[own]);
    else await symlink(join(SYSTEM_DIR, `${n}.gz`), join(dir, `${n}.gz`));
  }
  return dir;
}

const realGz = (name: string): Promise<Buffer> => readFile(join(SYSTEM_DIR, `${name}.gz`));

describe('fashionMnist on the real files', () => {
  let notebook: FashionMnist;
  let rawTrainImages: Uint8Array;
  let rawTrainLabels: Uint8Array;

  beforeAll(async () => {
    if (!haveSystemFiles) return;
    notebook = await fashionMnist({ validation: 5000, trainSamples: 10000 });
    rawTrainImages = gunzipSync(await realGz('train-images-idx3-ubyte')).subarray(16);
    rawTrainLabels = gunzipSync(await realGz('train-labels-idx1-ubyte')).subarray(8);
  });

  it.skipIf(!haveSystemFiles)(`gives the notebook's shapes and dtypes${NO_FILES}`, () => {
    const { xTrain, yTrain, xValid, yValid, xTest, yTest, classNames } = notebook;
    expect(xTrain.shape).toEqual([10000, 28, 28]);
    expect(yTrain.shape).toEqual([10000]);
    expect(xValid.shape).toEqual([5000, 28, 28]);
    expect(yValid.shape).toEqual([5000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    for (const x of [xTrain, xValid, xTest]) expect(x.data).toBeInstanceOf(Float32Array);
    for (const y of [yTrain, yValid, yTest]) expect(y.data).toBeInstanceOf(Int32Array);
    expect(classNames).toEqual([
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
    expect(classNames).toBe(FASHION_MNIST_CLASS_NAMES);
  });

  it.skipIf(!haveSystemFiles)(
    `splits like the notebook: validation = images 0..4999, training = 5000..14999${NO_FILES}`,
    () => {
      expect(Array.from(notebook.yValid.data.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
      expect(Array.from(notebook.yTest.data.subarray(0, 3))).toEqual([9, 2, 1]);
      expect(Array.from(notebook.yValid.data)).toEqual(Array.from(rawTrainLabels.subarray(0, 5000)));
      expect(Array.from(notebook.yTrain.data)).toEqual(Array.from(rawTrainLabels.subarray(5000, 15000)));
      // Training image 0 is file image 5000; validation image 4999 is file image 4999.
      for (let i = 0; i < 784; i++) {
        expect(notebook.xTrain.data[i]).toBe(Math.fround(rawTrainImages[5000 * 784 + i] / 255));
        expect(notebook.xValid.data[4999 * 784 + i]).toBe(Math.fround(rawTrainImages[4999 * 784 + i] / 255));
      }
    },
  );

  it.skipIf(!haveSystemFiles)(`scales pixels to [0, 1] as float32(p / 255)${NO_FILES}`, () => {
    for (const x of [notebook.xTrain, notebook.xValid, notebook.xTest]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of x.data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
  });

  it.skipIf(!haveSystemFiles)(
    `gives all 55,000 remaining images by default, and takes an empty validation set${NO_FILES}`,
    async () => {
      const all = await fashionMnist({ verify: false });
      expect(all.xTrain.shape).toEqual([55000, 28, 28]);
      expect(all.xValid.shape).toEqual([5000, 28, 28]);
      expect(Array.from(all.yTrain.data.subarray(0, 10000))).toEqual(Array.from(notebook.yTrain.data));
      const none = await fashionMnist({ validation: 0, trainSamples: 3, verify: false });
      expect(none.xValid.shape).toEqual([0, 28, 28]);
      expect(none.yValid.shape).toEqual([0]);
      expect(Array.from(none.yTrain.data)).toEqual([9, 0, 0]);
    },
  );

  it.skipIf(!haveSystemFiles)(
    `reads plain (decompressed) files as well as .gz, from FASHION_MNIST_DIR${NO_FILES}`,
    async () => {
      const plain = gunzipSync(await realGz('t10k-labels-idx1-ubyte'));
      process.env.FASHION_MNIST_DIR = await fixtureDir('plain', { 't10k-labels-idx1-ubyte': plain });
      const data = await fashionMnist({ validation: 10, trainSamples: 10 });
      expect(Array.from(data.yTest.data.subarray(0, 3))).toEqual([9, 2, 1]);
      expect(data.yTest.shape).toEqual([10000]);
    },
  );
});

describe('fashionMnist with broken files', () => {
  it.skipIf(!haveSystemFiles)(`reports a truncated gzip file${NO_FILES}`, async () => {
    const gz = await realGz('train-labels-idx1-ubyte');
    const dir = await fixtureDir('truncated-gz', { 'train-labels-idx1-ubyte.gz': gz.subarray(0, 1000) });
    const error = await rejection(fashionMnist({ dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(
      `fashionMnist: ${join(dir, 'train-labels-idx1-ubyte.gz')} is a truncated or corrupt gzip file: expected a ` +
        `complete gzip stream, found 1000 bytes that do not decompress`,
    );
    expect(error.message).toContain(
      `Delete ${join(dir, 'train-labels-idx1-ubyte.gz')} and fetch it again from ` +
        `${FASHION_MNIST_DOWNLOAD_BASE}train-labels-idx1-ubyte.gz`,
    );
  });

  it.skipIf(!haveSystemFiles)(`reports a truncated plain IDX file with the sizes${NO_FILES}`, async () => {
    const plain = gunzipSync(await realGz('t10k-labels-idx1-ubyte'));
    const dir = await fixtureDir('truncated-idx', { 't10k-labels-idx1-ubyte': plain.subarray(0, plain.length - 100) });
    const error = await rejection(fashionMnist({ dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      new RegExp(
        '^fashionMnist: \\S+t10k-labels-idx1-ubyte: truncated: the header declares shape \\[10000\\], which takes ' +
          '10008 bytes \\(8 header \\+ 10000 values\\), found 9908\\. Delete \\S+ and fetch it again',
      ),
    );
  });

  it.skipIf(!haveSystemFiles)(`reports a corrupt file by its MD5, expected and actual${NO_FILES}`, async () => {
    const plain = gunzipSync(await realGz('t10k-labels-idx1-ubyte'));
    plain[500] = plain[500] === 0 ? 1 : 0; // still a valid label: only the MD5 can tell
    const dir = await fixtureDir('corrupt', { 't10k-labels-idx1-ubyte': plain });
    const error = await rejection(fashionMnist({ dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      new RegExp(
        '^fashionMnist: \\S+t10k-labels-idx1-ubyte is corrupt or not the official t10k-labels-idx1-ubyte: the MD5 ' +
          'of its 10008 bytes is [0-9a-f]{32}, expected 15d484375f8d13e6eb1aabb0c3f46965\\.',
      ),
    );
    // verify: false skips the sum; the label range is still checked.
    const loaded = await fashionMnist({ dir, verify: false, validation: 1, trainSamples: 1 });
    expect(loaded.yTest.data[500]).toBe(plain[8 + 500]);
  });

  it.skipIf(!haveSystemFiles)(`reports labels out of range even without verification${NO_FILES}`, async () => {
    const plain = gunzipSync(await realGz('t10k-labels-idx1-ubyte'));
    plain[8 + 42] = 10;
    const dir = await fixtureDir('bad-label', { 't10k-labels-idx1-ubyte': plain });
    const error = await rejection(fashionMnist({ dir, verify: false }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/t10k-labels-idx1-ubyte: expected labels from 0 to 9, found 10 at index 42\./);
  });

  it.skipIf(!haveSystemFiles)(`reports swapped files (images where labels belong)${NO_FILES}`, async () => {
    const dir = await fixtureDir('swapped', { 't10k-labels-idx1-ubyte.gz': await realGz('t10k-images-idx3-ubyte') });
    const error = await rejection(fashionMnist({ dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(
      'expected a label file (magic 0x00000801, 1 dimension), found 3 dimensions (magic number 0x00000803)',
    );
  });

  it.skipIf(!haveSystemFiles)(`reports a .gz file that is not gzip${NO_FILES}`, async () => {
    const dir = await fixtureDir('not-gzip', {
      'train-labels-idx1-ubyte.gz': new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]),
    });
    const error = await rejection(fashionMnist({ dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(
      'train-labels-idx1-ubyte.gz is not a gzip file: expected it to start with the gzip bytes 1f 8b, found 00 00 08 ' +
        '01.',
    );
  });

  it.skipIf(!haveSystemFiles)(`searches FASHION_MNIST_DIR before the package directory${NO_FILES}`, async () => {
    const gz = await realGz('train-labels-idx1-ubyte');
    process.env.FASHION_MNIST_DIR = await fixtureDir('env-first', {
      'train-labels-idx1-ubyte.gz': gz.subarray(0, 500),
    });
    const error = await rejection(fashionMnist());
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(join(root, 'env-first', 'train-labels-idx1-ubyte.gz'));
  });
});

describe('fashionMnist when the files are nowhere', () => {
  it('names every place searched, FASHION_MNIST_DIR, the Debian package and the download it did not try', async () => {
    const error = await rejection(
      loadFashionMnist({ dir: emptyDir, download: false }, { systemDir: join(root, 'no-such-dir') }),
    );
    expect(error).toBeInstanceOf(DataError);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(
      `fashionMnist: the directory given as \`dir\`, ${emptyDir}, does not hold the Fashion-MNIST files: it has none ` +
        `of the four files. Nor does any other place searched.`,
    );
    expect(error.message).toContain(
      'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each plain ' +
        'or .gz)',
    );
    expect(lines).toContain(`  - ${emptyDir} (the \`dir\` option): has none of the four files`);
    expect(lines).toContain('  - FASHION_MNIST_DIR: not set');
    expect(lines).toContain(`  - ${cacheDir} (the user cache directory): does not exist`);
    expect(lines).toContain(`  - ${join(root, 'no-such-dir')} (Debian package dataset-fashion-mnist): does not exist`);
    expect(error.message).toContain(`Downloading from ${FASHION_MNIST_DOWNLOAD_BASE} was not tried (download: false).`);
    expect(error.message).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(error.message).toContain('set FASHION_MNIST_DIR to it');
    expect(error.message).toContain('or pass download: true');
  });

  it('reports a partial directory file by file', async () => {
    const dir = join(root, 'partial');
    await mkdir(dir);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), new Uint8Array(1));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), new Uint8Array(1));
    process.env.FASHION_MNIST_DIR = dir;
    const error = await rejection(loadFashionMnist({ download: false }, { systemDir: emptyDir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message.split('\n')[0]).toBe('fashionMnist: cannot find the Fashion-MNIST files.');
    expect(error.message).toContain(
      `  - ${dir} (FASHION_MNIST_DIR): has 2 of the four files, lacks train-labels-idx1-ubyte[.gz], ` +
        `t10k-images-idx3-ubyte[.gz]`,
    );
    expect(error.message).toContain(
      `  - ${emptyDir} (Debian package dataset-fashion-mnist): has none of the four files`,
    );
  });

  it('tries the download when allowed and reports the URL and why it failed', async () => {
    const fetchMock = vi.fn().mockRejectedValue(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND fashion-mnist.s3-website.eu-central-1.amazonaws.com'), {
          code: 'ENOTFOUND',
        }),
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const error = await rejection(loadFashionMnist(undefined, { systemDir: emptyDir }));
    expect(error).toBeInstanceOf(DataError);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz',
    );
    expect(error.message).toContain(
      `Downloading into ${cacheDir} failed: ` +
        `http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz: fetch failed: ` +
        `getaddrinfo ENOTFOUND fashion-mnist.s3-website.eu-central-1.amazonaws.com.`,
    );
    expect(error.message).toContain('FASHION_MNIST_DIR');
    expect(error.message).toContain('apt-get install dataset-fashion-mnist');
    expect(error.message).not.toContain('pass download: true');
    expect(existsSync(cacheDir) ? await readdir(cacheDir) : []).toEqual([]);
  });

  it('reports an HTTP error status', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('no', { status: 404, statusText: 'Not Found' })));
    const error = await rejection(loadFashionMnist({}, { systemDir: emptyDir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain('train-images-idx3-ubyte.gz: HTTP 404 Not Found.');
  });

  it('refuses a download whose contents do not match the published MD5, and leaves no file behind', async () => {
    const { gzipSync } = await import('node:zlib');
    vi.stubGlobal(
      'fetch',
      vi.fn().mockImplementation(async () => new Response(gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0])))),
    );
    const error = await rejection(loadFashionMnist({}, { systemDir: emptyDir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain("train-images-idx3-ubyte.gz: the decompressed file's MD5 is");
    expect(error.message).toContain('expected f4a8712d7a061bf5bd6d2ca38dc4d50a');
    expect(existsSync(cacheDir) ? await readdir(cacheDir) : []).toEqual([]);
  });

  it('refuses a download cut short', async () => {
    const gz = haveSystemFiles
      ? await realGz('train-images-idx3-ubyte')
      : new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
    vi.stubGlobal(
      'fetch',
      vi.fn().mockImplementation(async () => new Response(new Uint8Array(gz.subarray(0, 5000)))),
    );
    const error = await rejection(loadFashionMnist({}, { systemDir: emptyDir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/train-images-idx3-ubyte\.gz: the \d+ bytes received are not a complete gzip file/);
    expect(existsSync(cacheDir) ? await readdir(cacheDir) : []).toEqual([]);
  });

  it.skipIf(!haveSystemFiles)(`downloads into the cache once, then finds the files there${NO_FILES}`, async () => {
    const fetchMock = vi.fn().mockImplementation(async (url: string) => {
      const name = url.slice(FASHION_MNIST_DOWNLOAD_BASE.length);
      return new Response(await readFile(join(SYSTEM_DIR, name)));
    });
    vi.stubGlobal('fetch', fetchMock);
    const data = await loadFashionMnist({ validation: 5000, trainSamples: 10000 }, { systemDir: emptyDir });
    expect(fetchMock).toHaveBeenCalledTimes(4);
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      `${FASHION_MNIST_DOWNLOAD_BASE}train-images-idx3-ubyte.gz`,
      `${FASHION_MNIST_DOWNLOAD_BASE}train-labels-idx1-ubyte.gz`,
      `${FASHION_MNIST_DOWNLOAD_BASE}t10k-images-idx3-ubyte.gz`,
      `${FASHION_MNIST_DOWNLOAD_BASE}t10k-labels-idx1-ubyte.gz`,
    ]);
    expect((await readdir(cacheDir)).sort()).toEqual(NAMES.map((n) => `${n}.gz`).sort());
    expect(Array.from(data.yValid.data.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);

    fetchMock.mockClear();
    const again = await loadFashionMnist(
      { validation: 5000, trainSamples: 10, verify: false },
      { systemDir: emptyDir },
    );
    expect(fetchMock).not.toHaveBeenCalled();
    expect(Array.from(again.yTest.data.subarray(0, 3))).toEqual([9, 2, 1]);
  });
});

describe('fashionMnist options', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'validation below 0',
      { validation: -1 },
      'fashionMnist: validation must be an integer from 0 to 60000 (how many of the 60000 training images to hold ' +
        'out), received -1.',
    ],
    [
      'validation not an integer',
      { validation: 1.5 },
      'fashionMnist: validation must be an integer from 0 to 60000 (how many of the 60000 training images to hold ' +
        'out), received 1.5.',
    ],
    [
      'validation as a string',
      { validation: '5000' },
      'fashionMnist: validation must be an integer from 0 to 60000 (how many of the 60000 training images to hold ' +
        'out), received "5000".',
    ],
    [
      'validation above 60000',
      { validation: 60001 },
      'fashionMnist: validation must be an integer from 0 to 60000 (how many of the 60000 training images to hold ' +
        'out), received 60001.',
    ],
    [
      'validation + trainSamples above 60000',
      { validation: 5000, trainSamples: 55001 },
      'fashionMnist: trainSamples must be an integer from 0 to 55000 (the 60000 training images minus validation = ' +
        '5000), received 55001.',
    ],
    [
      'trainSamples NaN',
      { trainSamples: Number.NaN },
      'fashionMnist: trainSamples must be an integer from 0 to 55000 (the 60000 training images minus validation = ' +
        '5000), received NaN.',
    ],
    [
      'trainSamples below 0',
      { validation: 0, trainSamples: -5 },
      'fashionMnist: trainSamples must be an integer from 0 to 60000 (the 60000 training images minus validation = ' +
        '0), received -5.',
    ],
    ['download not a boolean', { download: 'yes' }, 'fashionMnist: download must be true or false, received "yes".'],
    ['verify not a boolean', { verify: 0 }, 'fashionMnist: verify must be true or false, received 0.'],
    [
      'dir empty',
      { dir: '' },
      'fashionMnist: dir must be a non-empty string (a directory holding the four Fashion-MNIST files), received "".',
    ],
    [
      'dir not a string',
      { dir: 42 },
      'fashionMnist: dir must be a non-empty string (a directory holding the four Fashion-MNIST files), received 42.',
    ],
    [
      'an unknown option',
      { validationSplit: 0.1 },
      'fashionMnist: unknown option "validationSplit"; the options are dir, validation, trainSamples, download, ' +
        'verify.',
    ],
    [
      'options not an object',
      5000,
      'fashionMnist: expected an options object such as { validation: 5000 } or nothing, received 5000.',
    ],
    [
      'options an array',
      [5000],
      'fashionMnist: expected an options object such as { validation: 5000 } or nothing, received an array of length ' +
        '1.',
    ],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what} with a ValueError, before touching the disk`, async () => {
      const error = await rejection(loadFashionMnist(options as never, { systemDir: emptyDir }));
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toBe(message);
    });
  }
});
