// Regularizers: weight penalties for the reported loss (their gradients are fused into the update
// kernels) and activity penalties (a training-objective term with its gradient, in one pass).

import type { Slice } from '../backend.js';

export type RegularizationCall =
  | {
      /** out[0] = l1·Σ|x| + l2·Σx² over n values. */
      readonly kind: 'regularizerPenalty';
      readonly x: Slice;
      readonly n: number;
      readonly l1: number;
      readonly l2: number;
      readonly out: Slice;
    }
  | {
      /** out[0] = scale·(l1·Σ|x| + l2·Σx²) and, if `grad`, grad = scale·(l1·sign(x) + 2·l2·x). */
      readonly kind: 'activityRegularizer';
      readonly x: Slice;
      readonly n: number;
      readonly l1: number;
      readonly l2: number;
      readonly scale: number;
      readonly out: Slice;
      readonly grad: Slice | null;
    };
