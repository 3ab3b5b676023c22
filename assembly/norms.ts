// Squared norms of gradients, for a convergence test on the global gradient norm ‖g‖₂ (and reusable by
// global-norm clipping). The gradient counted is the one the update applies: the loss gradient plus
// the fused regularizer gradient l1·sign(w) + 2·l2·w (optimizers.ts's regularizedGrad).

import { regularizedGrad1, regularizedGrad4 } from './optimizers';

// Lanes sum in f32 over blocks of this many floats, then join an f64 total: a long gradient (a
// 235,200-weight kernel) keeps ~7 significant digits without an f64 convert per element.
const BLOCK: i32 = 1024;

/**
 * out[0] = (accumulate ? out[0] : 0) + Σᵢ (gᵢ + l1·sign(wᵢ) + 2·l2·wᵢ)² over n floats.
 * Called once per gradient tensor: the first call with accumulate = 0, the others with 1.
 * Loop: blocks of BLOCK floats, f32x4 over each block's vector part (two accumulators to break the
 * add chain), the block's lanes added into an f64 total; scalar remainder after the last block.
 * With l1 = l2 = 0, w is not read at all.
 */
export function gradientNormSq(g: usize, w: usize, n: i32, l1: f32, l2: f32, accumulate: i32, out: usize): void {
  const l1v = f32x4.splat(l1);
  const twoL2: f32 = 2 * l2;
  const twoL2v = f32x4.splat(twoL2);
  const regularized = l1 != 0 || l2 != 0;
  let total: f64 = accumulate ? <f64>load<f32>(out) : 0;
  const vecEnd = n & ~7;
  let i = 0;
  while (i < vecEnd) {
    const blockEnd = min(i + BLOCK, vecEnd);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    // Eight floats a turn: two f32x4 lanes, one per accumulator.
    for (; i < blockEnd; i += 8) {
      const o = <usize>i << 2;
      let v0 = v128.load(g + o);
      let v1 = v128.load(g + o, 16);
      if (regularized) {
        v0 = regularizedGrad4(v128.load(w + o), v0, l1v, twoL2v);
        v1 = regularizedGrad4(v128.load(w + o, 16), v1, l1v, twoL2v);
      }
      a0 = f32x4.add(a0, f32x4.mul(v0, v0));
      a1 = f32x4.add(a1, f32x4.mul(v1, v1));
    }
    const s = f32x4.add(a0, a1);
    total += <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let v = load<f32>(g + o);
    if (regularized) v = regularizedGrad1(load<f32>(w + o), v, l1, twoL2);
    total += <f64>v * <f64>v;
  }
  store<f32>(out, <f32>total);
}
