// Elementwise loss kernels: binary cross-entropy (from logits or probabilities), mean squared error,
// mean absolute error, Huber, hinge. Same signature and contract as losses.ts:
//   (x, target, rows, cols, grad, gradScale, lossOut, weights, param, partials, rowsPerPartial)
// The per-sample loss is the mean over the row's cols elements (Keras's reduction over the last axis),
// so lossOut[0] = Σ_i w_i·(Σ_j l_ij)/cols and grad_ij = l′_ij·w_i·gradScale/cols.
//
// Loop structure: one span function walks contiguous elements, f32x4 over whole vectors (losses
// summed in two f64x2 accumulators), then a scalar remainder through the same lane functions (lane 0
// of a splat), so remainders match the vector body. The batch is summed in blocks of rowsPerPartial
// rows (all rows when ≤ 0), block sums added in order. Without weights, or with one column (weights
// are then per element), a block is one span; with weights and several columns, one span per row
// with that row's weight splatted. grad may alias x (each vector is read before it is written).

import { madd } from './simd';
import { sigmoid4, softplus4 } from './activation-math';

// @ts-ignore: decorator
@inline const MSE: i32 = 0;
// @ts-ignore: decorator
@inline const MAE: i32 = 1;
// @ts-ignore: decorator
@inline const HUBER: i32 = 2;
// @ts-ignore: decorator
@inline const HINGE: i32 = 3;
// @ts-ignore: decorator
@inline const SIGMOID_CE: i32 = 4;
// @ts-ignore: decorator
@inline const BCE_PROBS: i32 = 5;

// Keras's epsilon() and 1 − epsilon() (float32): the from-probabilities clip range.
// @ts-ignore: decorator
@inline const EPS: f32 = 1e-7;
// @ts-ignore: decorator
@inline const ONE_MINUS_EPS: f32 = <f32>1.0 - <f32>1e-7;
// @ts-ignore: decorator
@inline const SQRT2: f32 = 1.41421356;
// @ts-ignore: decorator
@inline const LN2: f32 = 0.693147181;

/**
 * Natural log of positive normal lanes: x = 2^k·m with m ∈ [√½, √2) from the bits, then
 * log m = 2·atanh(s), s = (m − 1)/(m + 1) ∈ [−0.172, 0.172], as 2s·(1 + z/3 + z²/5 + z³/7 + z⁴/9),
 * z = s² (truncation < 1e-9 relative).
 */
// @ts-ignore: decorator
@inline
function log4(x: v128): v128 {
  const one = f32x4.splat(1);
  let k = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000)); // [1, 2)
  const big = f32x4.gt(m, f32x4.splat(SQRT2));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  k = i32x4.sub(k, big); // big lanes are −1: k + 1
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const z = f32x4.mul(s, s);
  let q = madd(z, f32x4.splat(<f32>1 / 9), f32x4.splat(<f32>1 / 7));
  q = madd(q, z, f32x4.splat(<f32>1 / 5));
  q = madd(q, z, f32x4.splat(<f32>1 / 3));
  q = madd(q, z, one);
  return madd(f32x4.convert_i32x4_s(k), f32x4.splat(LN2), f32x4.mul(f32x4.add(s, s), q));
}

/** Per-element loss l(x, t) of a kind; p is Huber's δ. */
// @ts-ignore: decorator
@inline
function loss4(kind: i32, x: v128, t: v128, p: v128): v128 {
  const zero = f32x4.splat(0);
  if (kind == MSE) {
    const d = f32x4.sub(x, t);
    return f32x4.mul(d, d);
  }
  if (kind == MAE) return f32x4.abs(f32x4.sub(x, t));
  if (kind == HUBER) {
    // q = min(|d|, δ): ½q² + δ·(|d| − q)
    const a = f32x4.abs(f32x4.sub(x, t));
    const q = f32x4.min(a, p);
    return madd(p, f32x4.sub(a, q), f32x4.mul(f32x4.mul(q, q), f32x4.splat(0.5)));
  }
  if (kind == HINGE) return f32x4.max(f32x4.sub(f32x4.splat(1), f32x4.mul(t, x)), zero);
  if (kind == SIGMOID_CE) {
    // −t·log σ(x) − (1 − t)·log(1 − σ(x)) = softplus(x) − x·t (no overflow for any x)
    return f32x4.sub(softplus4(x), f32x4.mul(x, t));
  }
  // BCE_PROBS: c = clip(p, eps, 1 − eps); −t·log c − (1 − t)·log(1 − c)
  const one = f32x4.splat(1);
  const c = f32x4.min(f32x4.max(x, f32x4.splat(EPS)), f32x4.splat(ONE_MINUS_EPS));
  return f32x4.neg(madd(t, log4(c), f32x4.mul(f32x4.sub(one, t), log4(f32x4.sub(one, c)))));
}

/** ∂l/∂x of a kind. */
// @ts-ignore: decorator
@inline
function grad4(kind: i32, x: v128, t: v128, p: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (kind == MSE) {
    const d = f32x4.sub(x, t);
    return f32x4.add(d, d);
  }
  if (kind == MAE) {
    // sign(d), 0 at d = 0 (TF's abs gradient)
    const d = f32x4.sub(x, t);
    return f32x4.sub(v128.and(f32x4.gt(d, zero), one), v128.and(f32x4.lt(d, zero), one));
  }
  if (kind == HUBER) return f32x4.max(f32x4.min(f32x4.sub(x, t), p), f32x4.neg(p));
  if (kind == HINGE) return v128.and(f32x4.neg(t), f32x4.gt(f32x4.sub(one, f32x4.mul(t, x)), zero));
  if (kind == SIGMOID_CE) return f32x4.sub(sigmoid4(x), t);
  // BCE_PROBS: mask·(c − t)/(c·(1 − c)), mask = [eps ≤ x ≤ 1 − eps] (TF's clip gradient)
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  const c = f32x4.min(f32x4.max(x, lo), hi);
  const mask = v128.and(f32x4.ge(x, lo), f32x4.le(x, hi));
  return v128.and(f32x4.div(f32x4.sub(c, t), f32x4.mul(c, f32x4.sub(one, c))), mask);
}

/**
 * Σ w·l over n contiguous elements (targets mapped t → t·ta + tb), writing grad = l′·w·k when
 * grad != 0. Weights per element from wp when wp != 0, else the constant w.
 */
// @ts-ignore: decorator
@inline
function span(kind: i32, x: usize, t: usize, n: i32, wp: usize, w: f32, grad: usize, k: f32, ta: f32, tb: f32, p: f32): f64 {
  const tav = f32x4.splat(ta);
  const tbv = f32x4.splat(tb);
  const pv = f32x4.splat(p);
  const kv = f32x4.splat(k);
  const wc = f32x4.splat(w);
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    const tv = madd(v128.load(t + o), tav, tbv);
    const wv = wp ? v128.load(wp + o) : wc;
    const l = f32x4.mul(loss4(kind, xv, tv, pv), wv);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(l));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(i32x4.shuffle(l, l, 2, 3, 0, 1)));
    if (grad) v128.store(grad + o, f32x4.mul(grad4(kind, xv, tv, pv), f32x4.mul(wv, kv)));
  }
  let total = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1) + f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = f32x4.splat(load<f32>(x + o));
    const tv = madd(f32x4.splat(load<f32>(t + o)), tav, tbv);
    const wi: f32 = wp ? load<f32>(wp + o) : w;
    total += <f64>(f32x4.extract_lane(loss4(kind, xv, tv, pv), 0) * wi);
    if (grad) store<f32>(grad + o, f32x4.extract_lane(grad4(kind, xv, tv, pv), 0) * (wi * k));
  }
  return total;
}

/**
 * Σ over rows of w_r·mean_j l(x_rj, t_rj), in f64, as partial sums over blocks of rowsPerPartial rows
 * (≤ 0: one block) added in block order. Split over threads, each part is whole blocks and writes
 * its blocks' partials (f64) to `partials` instead of lossOut; sumPartials adds them in the same order.
 * Loop: per block, one span over its rows·cols elements (per-element weights when cols = 1), or
 * with per-sample weights and cols > 1 one span per row.
 */
// @ts-ignore: decorator
@inline
function elementwiseLoss(
  kind: i32, x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, ta: f32, tb: f32, p: f32,
  partials: usize, rowsPerPartial: i32,
): void {
  if (rows <= 0 || cols <= 0) {
    if (!partials) store<f32>(lossOut, 0);
    return;
  }
  const k: f32 = gradScale / <f32>cols;
  const R = rowsPerPartial > 0 ? rowsPerPartial : rows;
  const rowBytes = <usize>cols << 2;
  let total: f64 = 0;
  for (let b = 0, r0 = 0; r0 < rows; b++, r0 += R) {
    const n = min(R, rows - r0);
    const o = <usize>r0 * rowBytes;
    let sum: f64 = 0;
    if (weights == 0 || cols == 1) {
      sum = span(kind, x + o, t + o, n * cols, weights ? weights + (<usize>r0 << 2) : 0, 1, grad ? grad + o : 0, k, ta, tb, p);
    } else {
      for (let r = r0; r < r0 + n; r++) {
        const ro = <usize>r * rowBytes;
        const w = load<f32>(weights + (<usize>r << 2));
        sum += span(kind, x + ro, t + ro, cols, 0, w, grad ? grad + ro : 0, k, ta, tb, p);
      }
    }
    if (partials) store<f64>(partials + (<usize>b << 3), sum);
    else total += sum;
  }
  if (!partials) store<f32>(lossOut, <f32>(total / <f64>cols));
}

/** Mean squared error: l = (x − t)², l′ = 2(x − t). */
export function meanSquaredErrorLoss(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, _param: f32, partials: usize, rowsPerPartial: i32): void {
  elementwiseLoss(MSE, x, t, rows, cols, grad, gradScale, lossOut, weights, 1, 0, 0, partials, rowsPerPartial);
}

/** Mean absolute error: l = |x − t|, l′ = sign(x − t). */
export function meanAbsoluteErrorLoss(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, _param: f32, partials: usize, rowsPerPartial: i32): void {
  elementwiseLoss(MAE, x, t, rows, cols, grad, gradScale, lossOut, weights, 1, 0, 0, partials, rowsPerPartial);
}

/** Huber with δ = param: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond; l′ = clip(d, −δ, δ). */
export function huberLoss(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, delta: f32, partials: usize, rowsPerPartial: i32): void {
  elementwiseLoss(HUBER, x, t, rows, cols, grad, gradScale, lossOut, weights, 1, 0, delta, partials, rowsPerPartial);
}

/**
 * Hinge: l = max(1 − t·x, 0), l′ = −t where 1 − t·x > 0. As Keras, targets are converted from
 * {0, 1} to {−1, 1} when every target of the batch is 0 or 1 (a first pass decides).
 */
export function hingeLoss(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, _param: f32, partials: usize, rowsPerPartial: i32): void {
  const n = rows > 0 && cols > 0 ? rows * cols : 0;
  let binary = true;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(t + (<usize>i << 2));
    if (v != 0 && v != 1) {
      binary = false;
      break;
    }
  }
  elementwiseLoss(HINGE, x, t, rows, cols, grad, gradScale, lossOut, weights, binary ? 2 : 1, binary ? -1 : 0, 0, partials, rowsPerPartial);
}

/**
 * Binary cross-entropy from logits with smoothed targets t' = t·(1 − ε) + ε/2 (ε = param):
 * l = softplus(x) − x·t', l′ = σ(x) − t'.
 */
export function sigmoidCrossEntropy(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, smoothing: f32, partials: usize, rowsPerPartial: i32): void {
  elementwiseLoss(SIGMOID_CE, x, t, rows, cols, grad, gradScale, lossOut, weights, <f32>1 - smoothing, smoothing * <f32>0.5, 0, partials, rowsPerPartial);
}

/**
 * Keras binary_crossentropy(from_logits=False) with smoothed targets (ε = param): c = clip(p, eps,
 * 1 − eps); l = −t'·log c − (1 − t')·log(1 − c); l′ = mask·(c − t')/(c(1 − c)).
 */
export function binaryCrossEntropyFromProbs(x: usize, t: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, smoothing: f32, partials: usize, rowsPerPartial: i32): void {
  elementwiseLoss(BCE_PROBS, x, t, rows, cols, grad, gradScale, lossOut, weights, <f32>1 - smoothing, smoothing * <f32>0.5, 0, partials, rowsPerPartial);
}
