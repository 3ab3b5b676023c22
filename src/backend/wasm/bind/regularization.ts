import type { RegularizationCall } from '../../calls/regularization.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface RegularizationKernels {
  regularizerPenalty(x: Ptr, n: number, l1: number, l2: number, out: Ptr): void;
  /** grad = 0 skips the gradient. */
  activityRegularizer(x: Ptr, n: number, l1: number, l2: number, scale: number, out: Ptr, grad: Ptr): void;
}

export const regularizationBinders: Binders<RegularizationCall> = {
  regularizerPenalty(call, at, k) {
    const x = at(call.x);
    const out = at(call.out);
    const { n, l1, l2 } = call;
    return () => k.regularizerPenalty(x, n, l1, l2, out);
  },
  activityRegularizer(call, at, k) {
    const x = at(call.x);
    const out = at(call.out);
    const grad = call.grad ? at(call.grad) : 0;
    const { n, l1, l2, scale } = call;
    return () => k.activityRegularizer(x, n, l1, l2, scale, out, grad);
  },
};
