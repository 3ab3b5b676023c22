import type { MetricCall } from '../../calls/metric.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface MetricKernels {
  countNonFinite(x: Ptr, n: number): number;
  categoricalHits(scores: Ptr, target: Ptr, sparse: number, rows: number, cols: number, k: number, weights: Ptr, out: Ptr): void;
  binaryCounts(scores: Ptr, targets: Ptr, rows: number, cols: number, threshold: number, weights: Ptr, out: Ptr): void;
  aucHistogram(scores: Ptr, targets: Ptr, rows: number, cols: number, buckets: number, weights: Ptr, out: Ptr): void;
  weightSum(weights: Ptr, n: number, out: Ptr): void;
}

// Metrics count or sum over the batch into a few numbers: one thread (see split.ts).
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
