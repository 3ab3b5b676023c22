import type { RandomCall } from '../../calls/random.js';
import type { Lowerers } from './types.js';

// Element i's random number depends on (seed, salt, first + i) only: a part starting at element s
// passes first = s (the table's index role) and draws exactly what one pass would.
export const randomLowerers: Lowerers<RandomCall> = {
  dropout({ x, y, mask, n, rate, seed, salt }, l) {
    return l.kernel('dropoutForward', { x, y, mask, n, rate, seed, salt, first: 0 });
  },
  alphaDropout({ x, y, mask, n, rate, a, b, alphaP, seed, salt }, l) {
    return l.kernel('alphaDropoutForward', {
      x,
      y,
      mask,
      n,
      rate,
      a,
      b,
      dropped: a * alphaP + b,
      seed,
      salt,
      first: 0,
    });
  },
  dropoutBackward({ dy, mask, dx, n }, l) {
    return l.kernel('dropoutBackward', { dy, mask, dx, n });
  },
};
