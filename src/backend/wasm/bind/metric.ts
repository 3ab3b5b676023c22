import type { MetricCall } from '../../calls/metric.js';
import type { Binders } from './types.js';

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

export const metricBinders: Binders<MetricCall> = {
  accuracy(call, at, k) {
    const s = at(call.scores);
    const t = at(call.target);
    const out = at(call.out);
    const fn = call.labels === 'sparse' ? k.accuracySparse : k.accuracyDense;
    return () => fn(s, t, call.rows, call.cols, out);
  },
  argmax(call, at, k) {
    const x = at(call.x);
    const out = at(call.out);
    return () => k.argmaxRows(x, call.rows, call.cols, out);
  },
  categoricalHits(call, at, k) {
    const s = at(call.scores);
    const t = at(call.target);
    const w = call.weights ? at(call.weights) : 0;
    const out = at(call.out);
    const sparse = call.labels === 'sparse' ? 1 : 0;
    return () => k.categoricalHits(s, t, sparse, call.rows, call.cols, call.k, w, out);
  },
  binaryCounts(call, at, k) {
    const s = at(call.scores);
    const t = at(call.target);
    const w = call.weights ? at(call.weights) : 0;
    const out = at(call.out);
    return () => k.binaryCounts(s, t, call.rows, call.cols, call.threshold, w, out);
  },
  aucHistogram(call, at, k) {
    const s = at(call.scores);
    const t = at(call.target);
    const w = call.weights ? at(call.weights) : 0;
    const out = at(call.out);
    return () => k.aucHistogram(s, t, call.rows, call.cols, call.buckets, w, out);
  },
  weightSum(call, at, k) {
    const w = at(call.weights);
    const out = at(call.out);
    return () => k.weightSum(w, call.n, out);
  },
};
