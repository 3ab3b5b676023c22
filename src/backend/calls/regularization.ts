// Regularizer penalties (their gradients are fused into the update kernels).

import type { Slice } from '../backend.js';

export type RegularizationCall = {
  /** out[0] = l1·Σ|x| + l2·Σx² over n values. */
  readonly kind: 'regularizerPenalty';
  readonly x: Slice;
  readonly n: number;
  readonly l1: number;
  readonly l2: number;
  readonly out: Slice;
};
