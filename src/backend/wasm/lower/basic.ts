import type { BasicCall } from '../../calls/basic.js';
import type { Lowerers } from './types.js';

export const basicLowerers: Lowerers<BasicCall> = {
  add({ a, b, y, n }, l) {
    return l.kernel('addF32', { a, b, y, n });
  },
  gradientNormSq({ g, w, n, l1, l2, accumulate, out }, l) {
    // A sum to one number: one thread (see split.ts).
    return l.kernel('gradientNormSq', { g, w, n, l1, l2, accumulate, out });
  },
};
