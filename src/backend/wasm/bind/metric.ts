import type { MetricCall } from '../../calls/metric.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface MetricKernels {
  accuracySparse(scores: Ptr, labels: Ptr, rows: number, cols: number, out: Ptr): void;
  accuracyDense(scores: Ptr, targets: Ptr, rows: number, cols: number, out: Ptr): void;
  argmaxRows(x: Ptr, rows: number, cols: number, out: Ptr): void;
  countNonFinite(x: Ptr, n: number): number;
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
};
