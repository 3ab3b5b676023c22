// Metric kernels: counts and sums accumulated per batch.

import type { Slice } from '../backend.js';

export type MetricCall =
  | {
      /** [Σ w·hit, Σ w]: argmax match (k = 0) or label among the k highest scores (k ≥ 1). */
      readonly kind: 'categoricalHits';
      readonly labels: 'sparse' | 'dense';
      readonly scores: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly k: number;
      readonly weights: Slice | null;
      readonly out: Slice;
    }
  | {
      /** [TP, FP, FN, TN, exact-match hits, Σ w] at one threshold, weighted. */
      readonly kind: 'binaryCounts';
      readonly scores: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly threshold: number;
      readonly weights: Slice | null;
      readonly out: Slice;
    }
  | {
      /** Weighted histograms of predictions for positive then negative labels, `buckets` each. */
      readonly kind: 'aucHistogram';
      readonly scores: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly buckets: number;
      readonly weights: Slice | null;
      readonly out: Slice;
    }
  | { readonly kind: 'weightSum'; readonly weights: Slice; readonly n: number; readonly out: Slice };
