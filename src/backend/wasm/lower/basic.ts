import type { BasicCall } from '../../calls/basic.js';
import { byElements, byRows } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface BasicKernels {
  copyF32(src: Ptr, dst: Ptr, n: number): void;
  fillF32(dst: Ptr, n: number, value: number): void;
  zeroBytes(ptr: Ptr, n: number): void;
  addF32(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  gradientNormSq(g: Ptr, w: Ptr, n: number, l1: number, l2: number, accumulate: number, out: Ptr): void;
}

export const basicLowerers: Lowerers<BasicCall> = {
  add(call, l) {
    const args = [l.at(call.a), l.at(call.b), l.at(call.y), call.n];
    return l.call('addF32', args, byElements(args, call.n, 3, [0, 1, 2], 'light'));
  },
  gradientNormSq(call, l) {
    // A sum to one number: one thread (see split.ts).
    return l.call('gradientNormSq', [l.at(call.g), l.at(call.w), call.n, call.l1, call.l2, call.accumulate ? 1 : 0, l.at(call.out)]);
  },
};
