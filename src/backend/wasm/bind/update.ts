import type { UpdateCall } from '../../calls/update.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface UpdateKernels {
  /** w ← w − lr·(g + l1·sign(w) + 2·l2·w). */
  sgdUpdate(w: Ptr, g: Ptr, n: number, learningRate: number, l1: number, l2: number): void;
}

export const updateBinders: Binders<UpdateCall> = {
  sgdUpdate(call, at, k) {
    const w = at(call.w);
    const g = at(call.g);
    const lr = call.learningRate;
    const { n, l1, l2 } = call;
    return () => k.sgdUpdate(w, g, n, lr.value, l1, l2);
  },
};
