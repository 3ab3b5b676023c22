// Elementwise addition and the regularized gradient's squared norm (assembly/elementwise.ts, norms.ts).

import type { BasicCall } from '../calls/basic.js';
import { constant, full } from './compose.js';
import type { Defaults } from './types.js';

export const basicDefaults: Defaults<BasicCall> = {
  // y = a + b
  add(call, c) {
    c.map2('add', full(call.a), full(call.b), call.n, call.y);
  },

  // out = (accumulate ? out : 0) + Σ (g + l1·sign(w) + 2·l2·w)²; w is not read when l1 = l2 = 0
  gradientNormSq(call, c) {
    const { g, w, n, l1, l2, out } = call;
    let r = g;
    if (l1 !== 0 || l2 !== 0) {
      r = c.unary('sign', w, n);
      c.map2('mul', full(r), constant(l1), n, r);
      c.map2('add', full(r), full(g), n, r);
      const w2 = c.map2('mul', full(w), constant(2 * l2), n);
      c.map2('add', full(r), full(w2), n, r);
    }
    const sq = c.unary('square', r, n);
    if (!call.accumulate) {
      c.sum(sq, n, out);
      return;
    }
    const total = c.sum(sq, n);
    c.map2('add', full(out), full(total), 1, out);
  },
};
