// Weight and activity penalties (assembly/regularization.ts).

import type { Slice } from '../backend.js';
import type { RegularizationCall } from '../calls/regularization.js';
import { constant, full, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** out = l1·Σ|x| + l2·Σx² (times `scale`). */
function penalty(c: Composer, x: Slice, n: number, l1: number, l2: number, out: Slice): void {
  const abs = c.unary('abs', x, n);
  const absSum = c.sum(abs, n);
  const sq = c.unary('square', x, n);
  const sqSum = c.sum(sq, n);
  c.map2('mul', full(absSum), constant(l1), 1, absSum);
  c.map2('mul', full(sqSum), constant(l2), 1, sqSum);
  c.map2('add', full(absSum), full(sqSum), 1, out);
}

export const regularizationDefaults: Defaults<RegularizationCall> = {
  // out = l1·Σ|x| + l2·Σx²
  regularizerPenalty(call, c) {
    penalty(c, call.x, call.n, call.l1, call.l2, call.out);
  },

  // out = scale·(l1·Σ|x| + l2·Σx²); grad = scale·l1·sign(x) + scale·2·l2·x
  activityRegularizer(call, c) {
    const { x, n, l1, l2, scale, out, grad } = call;
    penalty(c, x, n, scale * l1, scale * l2, out);
    if (!grad) return;
    const s = c.unary('sign', x, n);
    c.map2('mul', full(s), constant(scale * l1), n, s);
    c.map2('mul', full(x), constant(scale * 2 * l2), n, grad);
    c.map2('add', full(grad), full(s), n, grad);
  },
};
