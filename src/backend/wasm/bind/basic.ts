import type { BasicCall } from '../../calls/basic.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface BasicKernels {
  copyF32(src: Ptr, dst: Ptr, n: number): void;
  fillF32(dst: Ptr, n: number, value: number): void;
  scaleF32(x: Ptr, y: Ptr, n: number, s: number): void;
  addF32(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  gradientNormSq(g: Ptr, w: Ptr, n: number, l1: number, l2: number, accumulate: number, out: Ptr): void;
}

export const basicBinders: Binders<BasicCall> = {
  add(call, at, k) {
    const a = at(call.a);
    const b = at(call.b);
    const y = at(call.y);
    return () => k.addF32(a, b, y, call.n);
  },
  scale(call, at, k) {
    const x = at(call.x);
    const y = at(call.y);
    return () => k.scaleF32(x, y, call.n, call.factor);
  },
  copy(call, at, k) {
    const src = at(call.src);
    const dst = at(call.dst);
    return () => k.copyF32(src, dst, call.n);
  },
  gradientNormSq(call, at, k) {
    const g = at(call.g);
    const w = at(call.w);
    const out = at(call.out);
    const { n, l1, l2 } = call;
    const accumulate = call.accumulate ? 1 : 0;
    return () => k.gradientNormSq(g, w, n, l1, l2, accumulate, out);
  },
};
