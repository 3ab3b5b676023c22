// Reductions: column sums (bias gradients), the row argmax the metrics and the reduce primitive use,
// non-finite counts, and the sum of a split loss's partials.

import { hsumI4 } from './math';

/**
 * out[j] (+)= Σ_i x[i·ldx + j] for j < cols (ldx in elements). SIMD across columns: blocks of 16
 * columns keep four f32x4 accumulators in registers while walking down the rows, then blocks of 4,
 * then single remainder columns. accumulate != 0 adds to out, else overwrites.
 */
export function columnSums(rows: i32, cols: i32, x: usize, ldx: i32, out: usize, accumulate: i32): void {
  const stride = <usize>ldx << 2;
  let j = 0;
  for (; j <= cols - 16; j += 16) {
    const o = <usize>j << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let p = x + o;
    for (let i = 0; i < rows; i++) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      p += stride;
    }
    if (accumulate) {
      a0 = f32x4.add(a0, v128.load(out + o));
      a1 = f32x4.add(a1, v128.load(out + o, 16));
      a2 = f32x4.add(a2, v128.load(out + o, 32));
      a3 = f32x4.add(a3, v128.load(out + o, 48));
    }
    v128.store(out + o, a0);
    v128.store(out + o, a1, 16);
    v128.store(out + o, a2, 32);
    v128.store(out + o, a3, 48);
  }
  for (; j <= cols - 4; j += 4) {
    const o = <usize>j << 2;
    let a = f32x4.splat(0);
    let p = x + o;
    for (let i = 0; i < rows; i++) {
      a = f32x4.add(a, v128.load(p));
      p += stride;
    }
    if (accumulate) a = f32x4.add(a, v128.load(out + o));
    v128.store(out + o, a);
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let a: f32 = 0;
    let p = x + o;
    for (let i = 0; i < rows; i++) {
      a += load<f32>(p);
      p += stride;
    }
    if (accumulate) a += load<f32>(out + o);
    store<f32>(out + o, a);
  }
}

/**
 * Index of the largest value in row[0..cols), ties → first index (as tf.argMax). Each lane keeps its
 * best value and index (strict > keeps the earliest); the four lanes are then merged (larger value,
 * or equal value with smaller index) and the scalar remainder (all later indices) uses strict >.
 * NaN values are never selected (except when lane 0 / the first element is NaN itself).
 */
// @ts-ignore: decorator
@inline
export function rowArgmax(row: usize, cols: i32): i32 {
  let best: f32;
  let bi = 0;
  let j = 0;
  if (cols >= 4) {
    let bv = v128.load(row);
    let biv = i32x4(0, 1, 2, 3);
    let idx = biv;
    const four = i32x4.splat(4);
    for (j = 4; j <= cols - 4; j += 4) {
      idx = i32x4.add(idx, four);
      const v = v128.load(row + (<usize>j << 2));
      const gt = f32x4.gt(v, bv);
      bv = v128.bitselect(v, bv, gt);
      biv = v128.bitselect(idx, biv, gt);
    }
    best = f32x4.extract_lane(bv, 0);
    bi = i32x4.extract_lane(biv, 0);
    let v = f32x4.extract_lane(bv, 1), k = i32x4.extract_lane(biv, 1);
    if (v > best || (v == best && k < bi)) { best = v; bi = k; }
    v = f32x4.extract_lane(bv, 2); k = i32x4.extract_lane(biv, 2);
    if (v > best || (v == best && k < bi)) { best = v; bi = k; }
    v = f32x4.extract_lane(bv, 3); k = i32x4.extract_lane(biv, 3);
    if (v > best || (v == best && k < bi)) { best = v; bi = k; }
  } else {
    best = load<f32>(row);
    j = 1;
  }
  for (; j < cols; j++) {
    const v = load<f32>(row + (<usize>j << 2));
    if (v > best) { best = v; bi = j; }
  }
  return bi;
}

/**
 * Number of NaN or ±Inf values in x[0..n): exponent bits all ones.
 * Loop: 16 floats a step into four independent counters (one counter chained every vector ran
 * at ~7 G floats/s, compute-bound: fit's check of a 31 MB training set took 1.1 ms), then
 * vectors of 4, then single values.
 */
export function countNonFinite(x: usize, n: i32): i32 {
  const expMask = i32x4.splat(0x7f800000);
  let acc0 = i32x4.splat(0);
  let acc1 = i32x4.splat(0);
  let acc2 = i32x4.splat(0);
  let acc3 = i32x4.splat(0);
  let i = 0;
  // true lanes of i32x4.eq are −1: subtracting them counts
  for (; i <= n - 16; i += 16) {
    const p = x + (<usize>i << 2);
    acc0 = i32x4.sub(acc0, i32x4.eq(v128.and(v128.load(p), expMask), expMask));
    acc1 = i32x4.sub(acc1, i32x4.eq(v128.and(v128.load(p, 16), expMask), expMask));
    acc2 = i32x4.sub(acc2, i32x4.eq(v128.and(v128.load(p, 32), expMask), expMask));
    acc3 = i32x4.sub(acc3, i32x4.eq(v128.and(v128.load(p, 48), expMask), expMask));
  }
  for (; i <= n - 4; i += 4) {
    acc0 = i32x4.sub(acc0, i32x4.eq(v128.and(v128.load(x + (<usize>i << 2)), expMask), expMask));
  }
  let count = hsumI4(i32x4.add(i32x4.add(acc0, acc1), i32x4.add(acc2, acc3)));
  for (; i < n; i++) count += i32((load<i32>(x + (<usize>i << 2)) & 0x7f800000) == 0x7f800000);
  return count;
}

/**
 * out[0] = <f32>((Σ_i partials[i]) / divisor), the f64 partials added in index order: the second half
 * of a loss split over threads (each thread wrote its blocks' partial sums), the same sum, in the
 * same order, as the kernel run whole.
 */
export function sumPartials(partials: usize, count: i32, divisor: f64, out: usize): void {
  let total: f64 = 0;
  for (let i = 0; i < count; i++) total += load<f64>(partials + (<usize>i << 3));
  store<f32>(out, <f32>(total / divisor));
}
