// IDX files (the MNIST family's format): a 4-byte magic number, one big-endian uint32 size per
// dimension, then the values in row-major order. Only unsigned-byte data (type code 0x08) is
// read here: 0x00000801 for a label vector, 0x00000803 for a stack of images.
// No Node imports: the parser runs wherever the bytes came from (a file, fetch, a bundle).

import { DataError, describe } from '../errors.js';

/** A parsed unsigned-byte IDX file: its dimensions and its values (a view on the input, no copy). */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

// IDX type codes by value (the format documents them in hex).
const TYPE_NAMES: Record<number, string> = {
  8: 'unsigned byte', // 0x08
  9: 'signed byte', // 0x09
  11: 'int16', // 0x0b
  12: 'int32', // 0x0c
  13: 'float32', // 0x0d
  14: 'float64', // 0x0e
};

/** The advice ending parseIdx's errors; callers that know where the file came from may replace it. */
export const IDX_REPAIR_ADVICE = 'Delete the file and fetch it again (or reinstall the package that provides it).';

/** The largest dimension count accepted: real IDX files use 1 to 4. */
const MAX_RANK = 16;

/**
 * Parses an unsigned-byte IDX file. Every size is checked before anything is read: the magic
 * number, the type code, the dimension count, and that the declared sizes account for the byte
 * length exactly. A truncated, padded or corrupt file throws a `DataError` naming `name`.
 *
 * @param bytes the whole (decompressed) file
 * @param name  how to call the file in errors, usually its path
 * @param rank  the dimension count the caller needs (1 for labels, 3 for images); any when omitted
 *
 * @example
 * const { shape, data } = parseIdx(bytes, 'train-labels-idx1-ubyte', 1);   // shape [60000]
 */
export function parseIdx(bytes: Uint8Array, name: string, rank?: number): IdxArray {
  const fix = IDX_REPAIR_ADVICE;
  if (!(bytes instanceof Uint8Array)) {
    throw new DataError(`${name}: expected the file's bytes as a Uint8Array, received ${describe(bytes)}.`);
  }
  if (bytes.length < 4) {
    throw new DataError(
      `${name}: not an IDX file: expected at least a 4-byte header, found ${bytes.length} ` +
        `byte${bytes.length === 1 ? '' : 's'}. ${fix}`,
    );
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const magicHex = `0x${magic.toString(16).padStart(8, '0')}`;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (these are gzip bytes: decompress the file first)' : '';
    throw new DataError(
      (
        `${name}: not an IDX file: expected a magic number starting with two zero bytes (0x00000801 for labels, ` +
        `0x00000803 for images), found ${magicHex}${gzip}. ${gzip ? '' : fix}`
      ).trimEnd(),
    );
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const typeName = TYPE_NAMES[type] ? `${TYPE_NAMES[type]} data` : 'an unknown type';
    throw new DataError(
      `${name}: expected unsigned-byte IDX data (type code 0x08), found type code ` +
        `0x${type.toString(16).padStart(2, '0')} (${typeName}) in magic number ${magicHex}. ${fix}`,
    );
  }
  const ndim = bytes[3];
  if (ndim === 0 || ndim > MAX_RANK) {
    throw new DataError(
      `${name}: expected 1 to ${MAX_RANK} dimensions in the IDX header, found ${ndim} (magic number ${magicHex}). ` +
        `${fix}`,
    );
  }
  if (rank !== undefined && ndim !== rank) {
    const wanted =
      rank === 1
        ? 'a label file (magic 0x00000801, 1 dimension)'
        : rank === 3
          ? 'an image file (magic 0x00000803, 3 dimensions)'
          : `${rank} dimensions`;
    throw new DataError(
      `${name}: expected ${wanted}, found ${ndim} dimension${ndim === 1 ? '' : 's'} (magic number ${magicHex}). Is ` +
        `it the right file? ${fix}`,
    );
  }
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    throw new DataError(
      `${name}: truncated: a ${ndim}-dimensional IDX header takes ${headerLength} bytes, found ${bytes.length}. ${fix}`,
    );
  }
  const shape: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const o = 4 + 4 * i;
    const dim = ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
    shape.push(dim);
    size *= dim; // exact up to 2^53, far beyond any file that fits in memory
  }
  const expected = headerLength + size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has extra bytes';
    throw new DataError(
      `${name}: ${what}: the header declares shape [${shape.join(', ')}], which takes ${expected} bytes ` +
        `(${headerLength} header + ${size} values), found ${bytes.length}. ${fix}`,
    );
  }
  return { shape, data: bytes.subarray(headerLength) };
}
