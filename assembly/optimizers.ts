// Optimizer update kernels. Every update reads w and g once and writes w once; the weight
// regularizer's gradient l1·sign(w) + 2·l2·w joins g inside that pass (regularizedGrad below), so a
// regularized weight costs no extra trip through memory. Further optimizers (momentum, Adam…) reuse
// regularizedGrad4/regularizedGrad1 the same way.

import { madd } from './simd';

/** l1·sign(w) on four lanes, sign(0) = 0: l1's magnitude with w's sign bit, masked where w == 0. */
@inline
function l1Sign4(w: v128, l1: v128): v128 {
  const signed = v128.or(v128.and(w, f32x4.splat(-0.0)), l1);
  return v128.and(signed, f32x4.ne(w, f32x4.splat(0)));
}

/** g + l1·sign(w) + twoL2·w on four lanes (l1 ≥ 0). */
@inline
export function regularizedGrad4(w: v128, g: v128, l1: v128, twoL2: v128): v128 {
  return madd(w, twoL2, f32x4.add(g, l1Sign4(w, l1)));
}

/** g + l1·sign(w) + twoL2·w for one value (the remainders of regularizedGrad4's loops). */
@inline
export function regularizedGrad1(w: f32, g: f32, l1: f32, twoL2: f32): f32 {
  const s: f32 = w > 0 ? l1 : w < 0 ? -l1 : 0;
  return twoL2 * w + (g + s);
}

/**
 * w ← w − lr·(g + l1·sign(w) + 2·l2·w) over n floats (l1, l2 ≥ 0; 0 when the weight has no
 * regularizer, which leaves g exact).
 * Loop: f32x4 body over n & ~3, scalar remainder.
 */
export function sgdUpdate(w: usize, g: usize, n: i32, learningRate: f32, l1: f32, l2: f32): void {
  const nlr = f32x4.splat(-learningRate);
  const l1v = f32x4.splat(l1);
  const twoL2: f32 = 2 * l2;
  const twoL2v = f32x4.splat(twoL2);
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const wv = v128.load(w + o);
    const gr = regularizedGrad4(wv, v128.load(g + o), l1v, twoL2v);
    v128.store(w + o, madd(gr, nlr, wv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const wv = load<f32>(w + o);
    store<f32>(w + o, wv - learningRate * regularizedGrad1(wv, load<f32>(g + o), l1, twoL2));
  }
}
