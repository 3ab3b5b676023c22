// Dropout from the randomUniform stream (assembly/dropout.ts): element i is kept when its uniform
// u_i ≥ rate. The kernel tests the 24-bit integer behind u against ⌈rate·2²⁴⌉; comparing u with
// ⌈rate·2²⁴⌉·2⁻²⁴ (exact in float32) is the same test, so a backend whose randomUniform reproduces
// the WASM stream drops exactly the same elements.

import type { HostScalar, Slice } from '../backend.js';
import type { RandomCall } from '../calls/random.js';
import { constant, full, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** 1 where u ≥ rate, else 0, for the n elements of the (seed, salt) stream. */
function keepMask(c: Composer, n: number, rate: number, seed: HostScalar, salt: number): Slice {
  const threshold = Math.ceil(rate * 16777216) / 16777216;
  const u = c.randomUniform(n, seed, salt);
  return c.map2('greaterEqual', full(u), constant(threshold), n, u);
}

export const randomDefaults: Defaults<RandomCall> = {
  // y = keep ? x·s : 0, mask = keep ? s : 0, s = 1/(1 − rate)
  dropout(call, c) {
    const { x, y, mask, n, rate } = call;
    const s = Math.fround(1 / (1 - rate));
    const keep = keepMask(c, n, rate, call.seed, call.salt);
    if (mask) c.map2('mul', full(keep), constant(s), n, mask);
    const xs = c.map2('mul', full(x), constant(s), n);
    c.where(full(keep), full(xs), constant(0), 1, n, y);
  },

  // y = keep ? a·x + b : a·α′ + b, mask = keep ? a : 0
  alphaDropout(call, c) {
    const { x, y, mask, n, rate, a, b } = call;
    const keep = keepMask(c, n, rate, call.seed, call.salt);
    if (mask) c.map2('mul', full(keep), constant(a), n, mask);
    const kept = c.map2('mul', full(x), constant(a), n);
    c.map2('add', full(kept), constant(b), n, kept);
    c.where(full(keep), full(kept), constant(a * call.alphaP + b), 1, n, y);
  },

  // dx = dy ⊙ mask
  dropoutBackward(call, c) {
    c.map2('mul', full(call.dy), full(call.mask), call.n, call.dx);
  },
};
