import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5 } from '../../src/data/md5.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const nodeMd5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

describe('md5', () => {
  it('matches the RFC 1321 appendix A.5 test suite', () => {
    const vectors: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        '57edf4a22be3c955ac49da2e2107b67a',
      ],
    ];
    for (const [input, digest] of vectors) expect(md5(utf8(input)), JSON.stringify(input)).toBe(digest);
  });

  it('agrees with node:crypto on every length from 0 to 300 bytes (all padding cases)', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(md5(bytes), `length ${length}`).toBe(nodeMd5(bytes));
    }
  });

  it('agrees with node:crypto on large random buffers', () => {
    for (const length of [4096, 65_537, 1_000_003]) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(md5(bytes), `length ${length}`).toBe(nodeMd5(bytes));
    }
  });

  it('hashes only the view it is given (subarrays, Buffers with an offset)', () => {
    const backing = new Uint8Array(randomBytes(1000));
    const view = backing.subarray(3, 3 + 517);
    expect(md5(view)).toBe(nodeMd5(Buffer.from(view)));
    const buffer = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(md5(buffer)).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('sees a single flipped bit', () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    const before = md5(bytes);
    bytes[5_000] ^= 1;
    expect(md5(bytes)).not.toBe(before);
    expect(md5(bytes)).toBe(nodeMd5(bytes));
  });
});
