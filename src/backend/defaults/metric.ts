// Metric counts as compositions (assembly/metrics.ts). Every metric overwrites its `out` with this
// batch's figures (the model adds batches up on the host). Sample weights are per row: w_i = 1
// without them.

import type { Slice } from '../backend.js';
import type { MetricCall } from '../calls/metric.js';
import type { Operand } from '../calls/primitive.js';
import { column, constant, full, row, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** The slice `floats` 32-bit values after `slice`. */
function at(slice: Slice, floats: number): Slice {
  return { ...slice, byteOffset: slice.byteOffset + 4 * floats };
}

/**
 * [0, 1, …, n − 1]: a first 0, then the values so far copied after themselves plus their count (log₂ n calls).
 */
function iota(c: Composer, n: number): Slice {
  const y = c.temp(n);
  c.fill(0, 1, y);
  for (let k = 1; k < n; k *= 2) c.map2('add', full(y), constant(k), Math.min(k, n - k), at(y, k));
  return y;
}

/** Each row's sample weight as an operand over [rows, cols]. */
function rowWeights(weights: Slice | null): Operand {
  return weights ? column(weights) : constant(1);
}

/** out[0] = Σ_i w_i·x_i over rows values. */
function weightedSum(c: Composer, x: Slice, weights: Slice | null, rows: number, out: Slice): void {
  c.sum(weights ? c.map2('mul', full(x), full(weights), rows) : x, rows, out);
}

/** out[0] = Σ_i w_i (rows without weights). */
function weightTotal(c: Composer, weights: Slice | null, rows: number, out: Slice): void {
  if (weights) c.sum(weights, rows, out);
  else c.fill(rows, 1, out);
}

export const metricDefaults: Defaults<MetricCall> = {
  // out = [Σ w·hit, Σ w]. label l: the sparse index or the target row's argmax (first largest);
  // k = 0: hit = argmax(s) = l (ties to the first index); k ≥ 1: hit = s_l finite and fewer than k
  // scores strictly above s_l (ties count as in). A sparse label outside [0, cols) is a miss.
  categoricalHits(call, c) {
    const { scores, rows, cols, k, weights, out } = call;
    weightTotal(c, weights, rows, at(out, 1));
    if (cols <= 0) {
      c.fill(0, 1, out);
      return;
    }
    const sparse = call.labels === 'sparse';
    // Sparse: the labels' one-hot rows (all 0 for an invalid label) give the index and validity.
    const sparseOneHot = sparse ? c.oneHot(call.target, rows, cols) : null;
    const label = c.reduce('argmax', 'cols', sparseOneHot ?? call.target, rows, cols);
    let hit: Slice;
    if (k === 0) {
      hit = c.map2('equal', full(c.reduce('argmax', 'cols', scores, rows, cols)), full(label), rows);
    } else {
      const oneHot = sparseOneHot ?? c.binary('equal', row(iota(c, cols)), column(label), rows, cols);
      const labelScore = c.reduce(
        'sum',
        'cols',
        c.where(full(oneHot), full(scores), constant(0), rows, cols),
        rows,
        cols,
      );
      const above = c.reduce(
        'sum',
        'cols',
        c.binary('greater', full(scores), column(labelScore), rows, cols),
        rows,
        cols,
      );
      const finite = c.map2('equal', full(c.map2('sub', full(labelScore), full(labelScore), rows)), constant(0), rows);
      hit = c.map2('mul', full(c.map2('less', full(above), constant(k), rows)), full(finite), rows);
    }
    if (sparseOneHot) hit = c.map2('mul', full(hit), full(c.reduce('max', 'cols', sparseOneHot, rows, cols)), rows);
    weightedSum(c, hit, weights, rows, out);
  },

  // out = [TP, FP, FN, TN, exact-match hits, Σ w], every element weighted by its row's weight:
  // predicted positive s > threshold, labelled positive t ≠ 0, a hit (s > threshold ? 1 : 0) = t.
  // [[TP, FP], [FN, TN]] = [w·pos; w·neg]·[t ≠ 0; t = 0]ᵀ, one product.
  binaryCounts(call, c) {
    const { scores, target, rows, cols, weights, out } = call;
    const n = rows * cols;
    const w = rowWeights(weights);
    const predicted = c.temp(2 * n);
    const positive = c.binary('greater', full(scores), constant(call.threshold), rows, cols);
    c.binary('mul', full(positive), w, rows, cols, predicted);
    c.binary('sub', w, full(predicted), rows, cols, at(predicted, n));
    const labelled = c.temp(2 * n);
    c.map2('equal', full(target), constant(0), n, at(labelled, n));
    c.map2('sub', constant(1), full(at(labelled, n)), n, labelled);
    c.matmul('nt', 2, 2, n, predicted, labelled, out);
    const hits = c.binary('mul', full(c.map2('equal', full(positive), full(target), n)), w, rows, cols);
    c.sum(hits, n, at(out, 4));
    weightTotal(c, weights, rows, at(out, 5));
  },

  // Keras's AUC buckets: p clipped to [0, 1] (NaN → 0) falls in b = max(⌈p·(N − 1)⌉ − 1, 0);
  // out[b] = Σ w over positive labels (t ≠ 0), out[N + b] over negative ones:
  // out [2, N] = [w·[t ≠ 0]; w·[t = 0]]·[b_e = j], one product.
  aucHistogram(call, c) {
    const { scores, target, rows, cols, buckets, weights, out } = call;
    const n = rows * cols;
    if (buckets <= 0) return;
    const p = c.where(
      full(c.map2('greater', full(scores), constant(0), n)),
      full(c.map2('min', full(scores), constant(1), n)),
      constant(0),
      1,
      n,
    );
    const negCeil = c.unary('floor', c.map2('mul', full(p), constant(1 - buckets), n), n); // −⌈p·(N − 1)⌉
    const bucket = c.map2('max', full(c.map2('sub', constant(-1), full(negCeil), n)), constant(0), n);
    const inBucket = c.binary('equal', row(iota(c, buckets)), column(bucket), n, buckets);
    const w = rowWeights(weights);
    const byLabel = c.temp(2 * n);
    const negative = c.map2('equal', full(target), constant(0), n);
    c.binary('mul', w, full(negative), rows, cols, at(byLabel, n));
    c.binary('sub', w, full(at(byLabel, n)), rows, cols, byLabel);
    c.matmul('nn', 2, buckets, n, byLabel, inBucket, out);
  },

  // out[0] = Σ w
  weightSum(call, c) {
    c.sum(call.weights, call.n, call.out);
  },
};
