// Dropout and alpha dropout (training-time forward), and their shared backward dx = dy ⊙ mask.
//
// Element i (counted from `first`, so that a thread given a sub-range draws the same numbers as one
// pass over everything) is kept when its 24-bit uniform from random.ts is ≥ rate. The forward
// writes y and, when asked (mask ≠ 0), the mask of scale factors ∂y/∂x the backward multiplies by.
//
// Loops: f32x4 over the vector part (four indices hashed at once, the keep test as a lane mask that
// selects between the kept and the dropped value without branches), scalar remainder drawing from the
// same stream.

import { madd } from './simd';
import { bits1, bits4, keepThreshold, streamKey1, streamKey2 } from './random';

/**
 * Inverted dropout: y = x·s where kept (s = 1/(1 − rate)), 0 where dropped; mask = s or 0.
 * `mask` may be 0 (no mask written, when nothing differentiates through x).
 */
export function dropoutForward(x: usize, y: usize, mask: usize, n: i32, rate: f64, seed: u32, salt: u32, first: i32): void {
  const k1 = streamKey1(seed, salt);
  const k2 = streamKey2(k1);
  const threshold = keepThreshold(rate);
  const s = <f32>(1.0 / (1.0 - rate));
  const k1v = i32x4.splat(k1);
  const k2v = i32x4.splat(k2);
  const tv = i32x4.splat(threshold);
  const sv = f32x4.splat(s);
  const four = i32x4.splat(4);
  let idx = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const keep = i32x4.ge_s(i32x4.shr_u(bits4(idx, k1v, k2v), 8), tv);
    v128.store(y + o, v128.and(keep, f32x4.mul(v128.load(x + o), sv)));
    if (mask) v128.store(mask + o, v128.and(keep, sv));
    idx = i32x4.add(idx, four);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const kept = <i32>(bits1(<u32>(first + i), k1, k2) >>> 8) >= threshold;
    store<f32>(y + o, kept ? load<f32>(x + o) * s : 0);
    if (mask) store<f32>(mask + o, kept ? s : 0);
  }
}

/**
 * Alpha dropout: kept y = a·x + b, dropped y = `dropped` (= a·α′ + b); mask = a or 0.
 * The layer computes a, b and α′ (Keras's formulas, see src/layers/alpha-dropout.ts).
 */
export function alphaDropoutForward(x: usize, y: usize, mask: usize, n: i32, rate: f64, a: f32, b: f32, dropped: f32, seed: u32, salt: u32, first: i32): void {
  const k1 = streamKey1(seed, salt);
  const k2 = streamKey2(k1);
  const threshold = keepThreshold(rate);
  const k1v = i32x4.splat(k1);
  const k2v = i32x4.splat(k2);
  const tv = i32x4.splat(threshold);
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  const dv = f32x4.splat(dropped);
  const four = i32x4.splat(4);
  let idx = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const keep = i32x4.ge_s(i32x4.shr_u(bits4(idx, k1v, k2v), 8), tv);
    v128.store(y + o, v128.bitselect(madd(v128.load(x + o), av, bv), dv, keep));
    if (mask) v128.store(mask + o, v128.and(keep, av));
    idx = i32x4.add(idx, four);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const kept = <i32>(bits1(<u32>(first + i), k1, k2) >>> 8) >= threshold;
    // Same rounding as the vector part: one fused op in the relaxed build, mul + add otherwise.
    const v = f32x4.extract_lane(madd(f32x4.splat(load<f32>(x + o)), av, bv), 0);
    store<f32>(y + o, kept ? v : dropped);
    if (mask) store<f32>(mask + o, kept ? a : 0);
  }
}

/** dx = dy ⊙ mask (the backward of both dropouts). */
export function dropoutBackward(dy: usize, mask: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), v128.load(mask + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dy + o) * load<f32>(mask + o));
  }
}
