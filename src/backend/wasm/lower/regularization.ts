import type { RegularizationCall } from '../../calls/regularization.js';
import type { Lowerers } from './types.js';

// Penalties sum to one number: one thread (see split.ts).
export const regularizationLowerers: Lowerers<RegularizationCall> = {
  regularizerPenalty({ x, n, l1, l2, out }, l) {
    return l.kernel('regularizerPenalty', { x, n, l1, l2, out });
  },
  activityRegularizer({ x, n, l1, l2, scale, out, grad }, l) {
    return l.kernel('activityRegularizer', { x, n, l1, l2, scale, out, grad });
  },
};
