import type { RegularizationCall } from '../../calls/regularization.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface RegularizationKernels {
  regularizerPenalty(x: Ptr, n: number, l1: number, l2: number, out: Ptr): void;
  /** grad = 0 skips the gradient. */
  activityRegularizer(x: Ptr, n: number, l1: number, l2: number, scale: number, out: Ptr, grad: Ptr): void;
}

// Penalties sum to one number: one thread (see split.ts).
export const regularizationLowerers: Lowerers<RegularizationCall> = {
  regularizerPenalty(call, l) {
    return l.call('regularizerPenalty', [l.at(call.x), call.n, call.l1, call.l2, l.at(call.out)]);
  },
  activityRegularizer(call, l) {
    return l.call('activityRegularizer', [l.at(call.x), call.n, call.l1, call.l2, call.scale, l.at(call.out), call.grad ? l.at(call.grad) : 0]);
  },
};
