import type { RandomCall } from '../../calls/random.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface RandomKernels {
  randomUniform(out: Ptr, n: number, seed: number, salt: number, first: number): void;
  dropoutForward(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number, salt: number, first: number): void;
  alphaDropoutForward(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, a: number, b: number, dropped: number, seed: number, salt: number, first: number): void;
  dropoutBackward(dy: Ptr, mask: Ptr, dx: Ptr, n: number): void;
}

export const randomBinders: Binders<RandomCall> = {
  dropout(call, at, k) {
    const x = at(call.x);
    const y = at(call.y);
    const mask = call.mask ? at(call.mask) : 0;
    const { n, rate, seed, salt } = call;
    return () => k.dropoutForward(x, y, mask, n, rate, seed.value, salt, 0);
  },
  alphaDropout(call, at, k) {
    const x = at(call.x);
    const y = at(call.y);
    const mask = call.mask ? at(call.mask) : 0;
    const { n, rate, a, b, seed, salt } = call;
    const dropped = a * call.alphaP + b;
    return () => k.alphaDropoutForward(x, y, mask, n, rate, a, b, dropped, seed.value, salt, 0);
  },
  dropoutBackward(call, at, k) {
    const dy = at(call.dy);
    const mask = at(call.mask);
    const dx = at(call.dx);
    return () => k.dropoutBackward(dy, mask, dx, call.n);
  },
};
