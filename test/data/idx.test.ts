import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseIdx } from '../../src/data/idx.js';

/**
 * Builds an IDX file: magic 00 00 <type> <ndim>, big-endian sizes, then `payload` values (default: the declared count).
 */
function idx(dims: number[], options: { type?: number; payload?: number; ndim?: number } = {}): Uint8Array {
  const ndim = options.ndim ?? dims.length;
  const count = options.payload ?? dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(bytes.buffer);
  view.setUint8(2, options.type ?? 0x08);
  view.setUint8(3, ndim);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  for (let i = 0; i < count; i++) bytes[4 + 4 * dims.length + i] = (i * 7) & 0xff;
  return bytes;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseIdx', () => {
  it('reads a label file (0x00000801)', () => {
    const bytes = idx([5]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0, 0, 5]);
    const { shape, data } = parseIdx(bytes, 'labels', 1);
    expect(shape).toEqual([5]);
    expect(Array.from(data)).toEqual([0, 7, 14, 21, 28]);
  });

  it('reads an image file (0x00000803) with big-endian sizes, without copying', () => {
    const bytes = idx([3, 28, 28]);
    const { shape, data } = parseIdx(bytes, 'images', 3);
    expect(shape).toEqual([3, 28, 28]);
    expect(data.length).toBe(3 * 28 * 28);
    expect(data.buffer).toBe(bytes.buffer);
    expect(data.byteOffset).toBe(16);
    expect(data[100]).toBe((100 * 7) & 0xff);
  });

  it('reads sizes above 255 and 65535 (all four size bytes count)', () => {
    const { shape } = parseIdx(idx([70_000]), 'labels');
    expect(shape).toEqual([70_000]);
  });

  it('accepts any rank when none is asked for, and empty dimensions', () => {
    expect(parseIdx(idx([2, 3]), 'matrix').shape).toEqual([2, 3]);
    expect(parseIdx(idx([0, 28, 28]), 'empty', 3)).toEqual({ shape: [0, 28, 28], data: new Uint8Array(0) });
  });

  it('works on a subarray of a larger buffer', () => {
    const file = idx([4]);
    const big = new Uint8Array(100);
    big.set(file, 37);
    const { data } = parseIdx(big.subarray(37, 37 + file.length), 'labels', 1);
    expect(Array.from(data)).toEqual([0, 7, 14, 21]);
  });

  it('rejects a bad magic number', () => {
    const bytes = idx([5]);
    bytes[0] = 0x12;
    bytes[1] = 0x34;
    const error = errorOf(() => parseIdx(bytes, 'data/labels.idx', 1));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'data/labels.idx: not an IDX file: expected a magic number starting with two zero bytes (0x00000801 for ' +
        'labels, 0x00000803 for images), found 0x12340801. ' +
        'Delete the file and fetch it again (or reinstall the package that provides it).',
    );
  });

  it('says so when handed gzip bytes', () => {
    const error = errorOf(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'x.gz'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain('found 0x1f8b0800 (these are gzip bytes: decompress the file first)');
  });

  it('rejects a file shorter than the magic number', () => {
    const error = errorOf(() => parseIdx(new Uint8Array([0, 0]), 'tiny'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /^tiny: not an IDX file: expected at least a 4-byte header, found 2 bytes\. Delete the file/,
    );
  });

  it('rejects a type code other than unsigned byte', () => {
    const error = errorOf(() => parseIdx(idx([5], { type: 0x0d }), 'floats', 1));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'floats: expected unsigned-byte IDX data (type code 0x08), found type code 0x0d (float32 data) in magic number ' +
        '0x00000d01. ' +
        'Delete the file and fetch it again (or reinstall the package that provides it).',
    );
    expect(errorOf(() => parseIdx(idx([5], { type: 0x42 }), 'odd')).message).toContain(
      'found type code 0x42 (an unknown type)',
    );
  });

  it('rejects zero dimensions', () => {
    const error = errorOf(() => parseIdx(idx([]), 'scalar'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'scalar: expected 1 to 16 dimensions in the IDX header, found 0 (magic number 0x00000800). ' +
        'Delete the file and fetch it again (or reinstall the package that provides it).',
    );
  });

  it('rejects the wrong rank (labels where images are wanted)', () => {
    const error = errorOf(() => parseIdx(idx([5]), 'train-images-idx3-ubyte', 3));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      new RegExp(
        '^train-images-idx3-ubyte: expected an image file \\(magic 0x00000803, 3 dimensions\\), found 1 dimension ' +
          '\\(magic number 0x00000801\\)\\. Is it the right file\\?',
      ),
    );
    expect(errorOf(() => parseIdx(idx([2, 2, 2]), 'labels', 1)).message).toContain(
      'expected a label file (magic 0x00000801, 1 dimension), found 3 dimensions',
    );
  });

  it('rejects a file truncated inside the header', () => {
    const bytes = idx([3, 28, 28]).subarray(0, 10);
    const error = errorOf(() => parseIdx(bytes, 'images', 3));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /^images: truncated: a 3-dimensional IDX header takes 16 bytes, found 10\. Delete the file/,
    );
  });

  it('rejects a file truncated inside the values', () => {
    const bytes = idx([3, 28, 28], { payload: 3 * 784 - 1 });
    const error = errorOf(() => parseIdx(bytes, '/tmp/t10k-images-idx3-ubyte', 3));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      '/tmp/t10k-images-idx3-ubyte: truncated: the header declares shape [3, 28, 28], which takes 2368 bytes (16 ' +
        'header + 2352 values), found 2367. ' +
        'Delete the file and fetch it again (or reinstall the package that provides it).',
    );
  });

  it('rejects extra bytes after the values', () => {
    const error = errorOf(() => parseIdx(idx([5], { payload: 9 }), 'labels', 1));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      new RegExp(
        '^labels: has extra bytes: the header declares shape \\[5\\], which takes 13 bytes \\(8 header \\+ 5 ' +
          'values\\), ' +
          'found 17\\.',
      ),
    );
  });

  it('rejects absurd declared sizes without allocating', () => {
    const bytes = idx([1, 1, 1]);
    new DataView(bytes.buffer).setUint32(4, 0xffffffff, false);
    new DataView(bytes.buffer).setUint32(8, 0xffffffff, false);
    const error = errorOf(() => parseIdx(bytes, 'huge', 3));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain('huge: truncated: the header declares shape [4294967295, 4294967295, 1]');
  });

  it('rejects input that is not a Uint8Array', () => {
    const error = errorOf(() => parseIdx([0, 0, 8, 1] as unknown as Uint8Array, 'array'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe("array: expected the file's bytes as a Uint8Array, received an array of length 4.");
  });
});
