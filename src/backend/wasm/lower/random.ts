import type { RandomCall } from '../../calls/random.js';
import { byElements } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface RandomKernels {
  randomUniform(out: Ptr, n: number, seed: number, salt: number, first: number): void;
  dropoutForward(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number, salt: number, first: number): void;
  alphaDropoutForward(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, a: number, b: number, dropped: number, seed: number, salt: number, first: number): void;
  dropoutBackward(dy: Ptr, mask: Ptr, dx: Ptr, n: number): void;
}

// Element i's random number depends on (seed, salt, first + i) only: a part starting at element s
// passes first = s and draws exactly what one pass would.
export const randomLowerers: Lowerers<RandomCall> = {
  dropout(call, l) {
    const args = [l.at(call.x), l.at(call.y), call.mask ? l.at(call.mask) : 0, call.n, call.rate, call.seed, call.salt, 0];
    return l.call('dropoutForward', args, byElements(args, call.n, 3, [0, 1, 2], 'light', 7));
  },
  alphaDropout(call, l) {
    const dropped = call.a * call.alphaP + call.b;
    const args = [l.at(call.x), l.at(call.y), call.mask ? l.at(call.mask) : 0, call.n, call.rate, call.a, call.b, dropped, call.seed, call.salt, 0];
    return l.call('alphaDropoutForward', args, byElements(args, call.n, 3, [0, 1, 2], 'light', 10));
  },
  dropoutBackward(call, l) {
    const args = [l.at(call.dy), l.at(call.mask), l.at(call.dx), call.n];
    return l.call('dropoutBackward', args, byElements(args, call.n, 3, [0, 1, 2], 'light'));
  },
};
