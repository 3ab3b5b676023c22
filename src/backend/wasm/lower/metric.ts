import type { MetricCall } from '../../calls/metric.js';
import type { Lowerers } from './types.js';

// Metrics count or sum over the batch into a few numbers: one thread (see split.ts).
export const metricLowerers: Lowerers<MetricCall> = {
  categoricalHits({ labels, scores, target, rows, cols, k, weights, out }, l) {
    return l.kernel('categoricalHits', { scores, target, sparse: labels === 'sparse', rows, cols, k, weights, out });
  },
  binaryCounts({ scores, target, rows, cols, threshold, weights, out }, l) {
    return l.kernel('binaryCounts', { scores, target, rows, cols, threshold, weights, out });
  },
  aucHistogram({ scores, target, rows, cols, buckets, weights, out }, l) {
    return l.kernel('aucHistogram', { scores, target, rows, cols, buckets, weights, out });
  },
  weightSum({ weights, n, out }, l) {
    return l.kernel('weightSum', { weights, n, out });
  },
};
