import type { MetricCall } from '../../calls/metric.js';
import { byRows } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface MetricKernels {
  accuracySparse(scores: Ptr, labels: Ptr, rows: number, cols: number, out: Ptr): void;
  accuracyDense(scores: Ptr, targets: Ptr, rows: number, cols: number, out: Ptr): void;
  argmaxRows(x: Ptr, rows: number, cols: number, out: Ptr): void;
  countNonFinite(x: Ptr, n: number): number;
  categoricalHits(scores: Ptr, target: Ptr, sparse: number, rows: number, cols: number, k: number, weights: Ptr, out: Ptr): void;
  binaryCounts(scores: Ptr, targets: Ptr, rows: number, cols: number, threshold: number, weights: Ptr, out: Ptr): void;
  aucHistogram(scores: Ptr, targets: Ptr, rows: number, cols: number, buckets: number, weights: Ptr, out: Ptr): void;
  weightSum(weights: Ptr, n: number, out: Ptr): void;
}

// Metrics count or sum over the batch into a few numbers: one thread (see split.ts). argmaxRows
// writes one index per row and splits by rows.
export const metricLowerers: Lowerers<MetricCall> = {
  categoricalHits(call, l) {
    const w = call.weights ? l.at(call.weights) : 0;
    return l.call('categoricalHits', [l.at(call.scores), l.at(call.target), call.labels === 'sparse' ? 1 : 0, call.rows, call.cols, call.k, w, l.at(call.out)]);
  },
  binaryCounts(call, l) {
    const w = call.weights ? l.at(call.weights) : 0;
    return l.call('binaryCounts', [l.at(call.scores), l.at(call.target), call.rows, call.cols, call.threshold, w, l.at(call.out)]);
  },
  aucHistogram(call, l) {
    const w = call.weights ? l.at(call.weights) : 0;
    return l.call('aucHistogram', [l.at(call.scores), l.at(call.target), call.rows, call.cols, call.buckets, w, l.at(call.out)]);
  },
  weightSum(call, l) {
    return l.call('weightSum', [l.at(call.weights), call.n, l.at(call.out)]);
  },
};
