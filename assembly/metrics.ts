// Metric kernels: per-batch counts and sums that the model adds up over an epoch (in f64, in
// TypeScript), so epoch figures are exact ratios of sums rather than means of batch figures.
// weights: per-sample weights [rows] (0 = all ones). Outputs are f32 and overwritten.

import { hsumI4 } from './math';
import { rowArgmax } from './reductions';

/** The sample weight of row r (1 without weights). */
// @ts-ignore: decorator
@inline
function weightOf(weights: usize, r: i32): f32 {
  return weights ? load<f32>(weights + (<usize>r << 2)) : 1;
}

/**
 * out[0] = Σ_i w_i·hit_i, out[1] = Σ_i w_i. The label is labels[i] (int32) when sparse != 0, else the
 * argmax of the target row. k = 0: hit = argmax(scores_i) == label (categorical accuracy; ties go to
 * the first index). k ≥ 1: hit = fewer than k scores strictly above the label's score (top-k
 * accuracy; ties count as in, as tf.math.in_top_k); a non-finite label score or a label outside
 * [0, cols) is a miss. The count is f32x4 compares over the row, then a scalar remainder.
 */
export function categoricalHits(scores: usize, target: usize, sparse: i32, rows: i32, cols: i32, k: i32, weights: usize, out: usize): void {
  let hits: f64 = 0;
  let total: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const w = weightOf(weights, r);
    total += <f64>w;
    if (cols <= 0) continue;
    const sr = scores + <usize>r * rowBytes;
    const label = sparse ? load<i32>(target + (<usize>r << 2)) : rowArgmax(target + <usize>r * rowBytes, cols);
    if (label < 0 || label >= cols) continue;
    let hit = false;
    if (k == 0) {
      hit = rowArgmax(sr, cols) == label;
    } else {
      const sl = load<f32>(sr + (<usize>label << 2));
      if (sl - sl == 0) { // finite
        const slv = f32x4.splat(sl);
        let acc = i32x4.splat(0);
        let j = 0;
        for (; j <= cols - 4; j += 4) acc = i32x4.sub(acc, f32x4.gt(v128.load(sr + (<usize>j << 2)), slv)); // true lanes are −1
        let above = hsumI4(acc);
        for (; j < cols; j++) above += i32(load<f32>(sr + (<usize>j << 2)) > sl);
        hit = above < k;
      }
    }
    if (hit) hits += <f64>w;
  }
  store<f32>(out, <f32>hits);
  store<f32>(out, <f32>total, 4);
}

/**
 * Adds, over n contiguous elements with predictions s and targets t (weights per element from wp when
 * wp != 0, else the constant w): out[0] += Σ w·[s > thr][t ≠ 0] (TP), out[1] += Σ w·[s > thr][t = 0]
 * (FP), out[2] += Σ w·[s ≤ thr][t ≠ 0] (FN), out[3] += Σ w·[s ≤ thr][t = 0] (TN), and
 * out[4] += Σ w·[(s > thr ? 1 : 0) = t] (binary accuracy's exact-match hits).
 */
// @ts-ignore: decorator
@inline
function binarySpan(s: usize, t: usize, n: i32, wp: usize, w: f32, thr: f32, out: usize): void {
  const thv = f32x4.splat(thr);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const wc = f32x4.splat(w);
  let tp = zero, fp = zero, fn = zero, tn = zero, eq = zero;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const tv = v128.load(t + o);
    const wv = wp ? v128.load(wp + o) : wc;
    const predPos = f32x4.gt(v128.load(s + o), thv);
    const labelPos = f32x4.ne(tv, zero);
    tp = f32x4.add(tp, v128.and(wv, v128.and(predPos, labelPos)));
    fp = f32x4.add(fp, v128.and(wv, v128.andnot(predPos, labelPos)));
    fn = f32x4.add(fn, v128.and(wv, v128.andnot(labelPos, predPos)));
    tn = f32x4.add(tn, v128.andnot(wv, v128.or(predPos, labelPos)));
    eq = f32x4.add(eq, v128.and(wv, f32x4.eq(v128.and(predPos, one), tv)));
  }
  let a = hsum(tp), b = hsum(fp), c = hsum(fn), d = hsum(tn), e = hsum(eq);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const tv = load<f32>(t + o);
    const wi: f32 = wp ? load<f32>(wp + o) : w;
    const predPos = load<f32>(s + o) > thr;
    const labelPos = tv != 0;
    if (predPos && labelPos) a += wi;
    else if (predPos) b += wi;
    else if (labelPos) c += wi;
    else d += wi;
    if ((predPos ? <f32>1 : <f32>0) == tv) e += wi;
  }
  store<f32>(out, load<f32>(out) + a);
  store<f32>(out, load<f32>(out, 4) + b, 4);
  store<f32>(out, load<f32>(out, 8) + c, 8);
  store<f32>(out, load<f32>(out, 12) + d, 12);
  store<f32>(out, load<f32>(out, 16) + e, 16);
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Thresholded binary counts over [rows, cols] predictions (every element a prediction, Keras's
 * flattening): out[0..5) = TP, FP, FN, TN, exact-match hits (see binarySpan), all weighted by the
 * row's sample weight; out[5] = Σ w. A prediction is positive when s > threshold, a label when t ≠ 0.
 * Without weights, or with one column, the batch is one span; otherwise one span per row.
 */
export function binaryCounts(scores: usize, targets: usize, rows: i32, cols: i32, threshold: f32, weights: usize, out: usize): void {
  for (let i = 0; i < 6; i++) store<f32>(out + (<usize>i << 2), 0);
  if (rows <= 0 || cols <= 0) return;
  let wsum: f64 = 0;
  if (weights == 0 || cols == 1) {
    binarySpan(scores, targets, rows * cols, weights, 1, threshold, out);
    for (let r = 0; r < rows; r++) wsum += <f64>weightOf(weights, r);
  } else {
    const rowBytes = <usize>cols << 2;
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * rowBytes;
      const w = load<f32>(weights + (<usize>r << 2));
      binarySpan(scores + o, targets + o, cols, 0, w, threshold, out);
      wsum += <f64>w;
    }
  }
  store<f32>(out, <f32>wsum, 20);
}

/**
 * Keras's AUC accumulators (thresholds t_0 = −ε, t_b = b/(N − 1), t_{N−1} = 1 + ε): each prediction
 * p (clipped to [0, 1]) falls in bucket b = max(ceil(p·(N − 1)) − 1, 0), the last threshold it
 * exceeds; out[b] += w for a positive label (t ≠ 0), out[N + b] += w for a negative one.
 * TP(t_i) = Σ_{b ≥ i} out[b] is the reverse cumulative sum (taken in TypeScript). A scatter: scalar.
 * A NaN prediction lands in bucket 0.
 */
export function aucHistogram(scores: usize, targets: usize, rows: i32, cols: i32, buckets: i32, weights: usize, out: usize): void {
  for (let b = 0; b < 2 * buckets; b++) store<f32>(out + (<usize>b << 2), 0);
  if (rows <= 0 || cols <= 0 || buckets <= 0) return;
  const scale = <f32>(buckets - 1);
  const neg = <usize>buckets << 2;
  for (let r = 0; r < rows; r++) {
    const w = weightOf(weights, r);
    for (let j = 0; j < cols; j++) {
      const o = (<usize>r * <usize>cols + <usize>j) << 2;
      let p = load<f32>(scores + o);
      p = p > 0 ? (p < 1 ? p : 1) : 0; // NaN → 0
      let b = <i32>Mathf.ceil(p * scale) - 1;
      b = b < 0 ? 0 : b >= buckets ? buckets - 1 : b;
      const at = out + (<usize>b << 2) + (load<f32>(targets + o) != 0 ? 0 : neg);
      store<f32>(at, load<f32>(at) + w);
    }
  }
}

/** out[0] = Σ w over n sample weights. */
export function weightSum(weights: usize, n: i32, out: usize): void {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += <f64>load<f32>(weights + (<usize>i << 2));
  store<f32>(out, <f32>s);
}
