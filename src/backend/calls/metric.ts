// Metric kernels: counts and sums accumulated per batch.

import type { Slice } from '../backend.js';

export type MetricCall =
  | {
      readonly kind: 'accuracy';
      readonly labels: 'sparse' | 'dense';
      readonly scores: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly out: Slice;
    }
  | { readonly kind: 'argmax'; readonly x: Slice; readonly rows: number; readonly cols: number; readonly out: Slice };
