import type { UpdateCall } from '../../calls/update.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface UpdateKernels {
  sgdUpdate(w: Ptr, g: Ptr, n: number, learningRate: number): void;
}

export const updateBinders: Binders<UpdateCall> = {
  sgdUpdate(call, at, k) {
    const w = at(call.w);
    const g = at(call.g);
    const lr = call.learningRate;
    return () => k.sgdUpdate(w, g, call.n, lr.value);
  },
};
