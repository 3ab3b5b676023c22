// Parameter updates: one fused pass per parameter tensor (regularizer gradient and update together).

import type { HostScalar, Slice } from '../backend.js';

export type UpdateCall = {
  readonly kind: 'sgdUpdate';
  readonly w: Slice;
  readonly g: Slice;
  readonly n: number;
  readonly learningRate: HostScalar;
  /** Regularizer factors whose gradient (l1·sign(w) + 2·l2·w) joins g; 0 when none. */
  readonly l1: number;
  readonly l2: number;
};
