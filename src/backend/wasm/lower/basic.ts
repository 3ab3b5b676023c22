import type { BasicCall } from '../../calls/basic.js';
import { byElements, byRows } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface BasicKernels {
  copyF32(src: Ptr, dst: Ptr, n: number): void;
  fillF32(dst: Ptr, n: number, value: number): void;
  zeroBytes(ptr: Ptr, n: number): void;
  scaleF32(x: Ptr, y: Ptr, n: number, s: number): void;
  addF32(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  gatherRows(source: Ptr, rows: Ptr, count: number, rowBytes: number, out: Ptr): void;
  gradientNormSq(g: Ptr, w: Ptr, n: number, l1: number, l2: number, accumulate: number, out: Ptr): void;
}

export const basicLowerers: Lowerers<BasicCall> = {
  add(call, l) {
    const args = [l.at(call.a), l.at(call.b), l.at(call.y), call.n];
    return l.call('addF32', args, byElements(args, call.n, 3, [0, 1, 2], 'light'));
  },
  scale(call, l) {
    const args = [l.at(call.x), l.at(call.y), call.n, call.factor];
    return l.call('scaleF32', args, byElements(args, call.n, 2, [0, 1], 'light'));
  },
  copy(call, l) {
    const args = [l.at(call.src), l.at(call.dst), call.n];
    return l.call('copyF32', args, byElements(args, call.n, 2, [0, 1], 'light'));
  },
  gatherRows(call, l) {
    // Split by rows: each thread copies its range of out's rows (indices and out advance; the source
    // pointer, read from the binding at each run, stays put).
    const args = [l.bound(call.source), l.at(call.rows), call.count, call.rowLength * 4, l.at(call.out)];
    return l.call('gatherRows', args, byRows(args, call.count, call.rowLength, 2, [4], 'light', [[1, 4]]));
  },
  gradientNormSq(call, l) {
    // A sum to one number: one thread (see split.ts).
    return l.call('gradientNormSq', [l.at(call.g), l.at(call.w), call.n, call.l1, call.l2, call.accumulate ? 1 : 0, l.at(call.out)]);
  },
};
