// Activation kernels. Codes: 0 linear, 1 relu, 2 sigmoid, 3 tanh.
// Every loop runs over whole f32x4 vectors, then a scalar remainder that applies the same lane
// function to a splatted value (so remainders get bit-identical results to the vector body).
// In-place (x == y, dy == dx) is allowed: each element is read before it is written.

import { exp4, expShiftSum, rowMax } from './math';

// @ts-ignore: decorator
@inline const ACT_LINEAR: i32 = 0;
// @ts-ignore: decorator
@inline const ACT_RELU: i32 = 1;
// @ts-ignore: decorator
@inline const ACT_SIGMOID: i32 = 2;
// @ts-ignore: decorator
@inline const ACT_TANH: i32 = 3;

// Below this |x| tanh uses its odd polynomial (1 − e would lose relative precision near 0).
// @ts-ignore: decorator
@inline const TANH_SMALL: f32 = 0.625;

// Splatted constants in static tables (one load each; V8 rebuilds a v128.const inside every loop
// iteration with three instructions). ACT_CONSTS rows: −0.0 (the sign mask), 1, −2, TANH_SMALL;
// TANH_Q: the tanh polynomial's coefficients, highest degree first.
const ACT_CONSTS: usize = memory.data<f32>([
  -0.0, -0.0, -0.0, -0.0,
  1.0, 1.0, 1.0, 1.0,
  -2.0, -2.0, -2.0, -2.0,
  TANH_SMALL, TANH_SMALL, TANH_SMALL, TANH_SMALL,
], 16);
const TANH_Q: usize = memory.data<f32>([
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3,
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2,
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2,
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1,
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1,
], 16);
// @ts-ignore: decorator
@inline function cSign(): v128 { return v128.load(ACT_CONSTS); }
// @ts-ignore: decorator
@inline function cOne(): v128 { return v128.load(ACT_CONSTS, 16); }
// @ts-ignore: decorator
@inline function cMinusTwo(): v128 { return v128.load(ACT_CONSTS, 32); }
// @ts-ignore: decorator
@inline function cTanhSmall(): v128 { return v128.load(ACT_CONSTS, 48); }
// @ts-ignore: decorator
@inline function cQ(i: i32): v128 { return v128.load(TANH_Q + (<usize>i << 4)); }

// sigmoid(x) without overflow: e = exp(−|x|) ∈ [0, 1]; s = 1 / (1 + e);
// x ≥ 0 → s, x < 0 → e·s (= 1 − s without cancellation). Saturates to exactly 1 / 0 since exp4
// returns exactly 0 below −87.33. NaN stays NaN.
// @ts-ignore: decorator
@inline
function sigmoid4(x: v128): v128 {
  const one = cOne();
  const ax = v128.andnot(x, cSign());
  const e = exp4(f32x4.neg(ax));
  const s = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(f32x4.mul(e, s), s, f32x4.lt(x, f32x4.splat(0)));
}

// tanh(x) = sign(x)·t(|x|):
//   |x| < 0.625: t = a + a·z·Q(z), z = a², Q degree 4 (Cephes tanhf fit), accurate near 0;
//   otherwise  : t = (1 − e) / (1 + e), e = exp(−2|x|) ∈ [0, 0.29], exactly 1 once e = 0.
// @ts-ignore: decorator
@inline
function tanh4(x: v128): v128 {
  const one = cOne();
  const sign = v128.and(x, cSign());
  const a = v128.xor(x, sign);
  // polynomial branch
  const z = f32x4.mul(a, a);
  let q = f32x4.add(f32x4.mul(cQ(0), z), cQ(1));
  q = f32x4.add(f32x4.mul(q, z), cQ(2));
  q = f32x4.add(f32x4.mul(q, z), cQ(3));
  q = f32x4.add(f32x4.mul(q, z), cQ(4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), a), a);
  // exp branch
  const e = exp4(f32x4.mul(a, cMinusTwo()));
  const large = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const t = v128.bitselect(small, large, f32x4.lt(a, cTanhSmall()));
  return v128.or(t, sign);
}

// @ts-ignore: decorator
@inline
function relu4(x: v128): v128 {
  // x ≤ 0 ? 0 : x — NaN compares false, so NaN propagates (lets divergence checks see it)
  return v128.andnot(x, f32x4.le(x, f32x4.splat(0)));
}

/** y = f(x) elementwise over n floats. x == y allowed. */
export function activationForward(act: i32, x: usize, y: usize, n: i32): void {
  if (act == ACT_LINEAR) {
    if (x != y) memory.copy(y, x, <usize>n << 2);
    return;
  }
  let i = 0;
  const n4 = n & ~3;
  if (act == ACT_RELU) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, relu4(v128.load(x + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<f32>(x + o);
      store<f32>(y + o, v <= 0 ? 0 : v);
    }
  } else if (act == ACT_SIGMOID) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, sigmoid4(v128.load(x + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(y + o, f32x4.extract_lane(sigmoid4(f32x4.splat(load<f32>(x + o))), 0));
    }
  } else if (act == ACT_TANH) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, tanh4(v128.load(x + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(y + o, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + o))), 0));
    }
  }
}

/**
 * dx = dy ⊙ f'(x), with f' written in terms of the forward OUTPUT y:
 * relu y > 0 ? dy : 0; sigmoid dy·y·(1 − y); tanh dy·(1 − y²); linear dx = dy. dx == dy allowed.
 */
export function activationBackward(act: i32, y: usize, dy: usize, dx: usize, n: i32): void {
  if (act == ACT_LINEAR) {
    if (dx != dy) memory.copy(dx, dy, <usize>n << 2);
    return;
  }
  let i = 0;
  const n4 = n & ~3;
  const one = f32x4.splat(1.0);
  if (act == ACT_RELU) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      const mask = f32x4.gt(v128.load(y + o), f32x4.splat(0));
      v128.store(dx + o, v128.and(v128.load(dy + o), mask));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(dx + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0);
    }
  } else if (act == ACT_SIGMOID) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      const d = f32x4.mul(yv, f32x4.sub(one, yv));
      v128.store(dx + o, f32x4.mul(v128.load(dy + o), d));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const yv = load<f32>(y + o);
      store<f32>(dx + o, load<f32>(dy + o) * (yv * (1 - yv)));
    }
  } else if (act == ACT_TANH) {
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      // (1 − y)(1 + y) rather than 1 − y²: 1 − y is exact near |y| = 1, so no cancellation
      const d = f32x4.mul(f32x4.sub(one, yv), f32x4.add(one, yv));
      v128.store(dx + o, f32x4.mul(v128.load(dy + o), d));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const yv = load<f32>(y + o);
      store<f32>(dx + o, load<f32>(dy + o) * ((1 - yv) * (1 + yv)));
    }
  }
}

/** Numerically stable softmax of each row: y = exp(x − max) / Σ exp(x − max). x == y allowed. */
export function softmaxRows(x: usize, y: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    // pass 1: row max; pass 2: e = exp(x − max) into y, summed; pass 3: y *= 1 / sum
    const m = rowMax(xr, cols);
    const inv: f32 = 1.0 / expShiftSum(xr, cols, m, yr);
    const iv = f32x4.splat(inv);
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.mul(v128.load(yr + o), iv));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, load<f32>(yr + o) * inv);
    }
  }
}

// Softmax backward, row by row: dx = y ⊙ (dy − Σ_j dy_j·y_j).
// Two passes per row: the dot product (f32x4 lanes, summed at the end), then the scaled write.
// dx == dy is allowed: the row's dy is fully read before any of it is written.
export function softmaxBackwardRows(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  const vecEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * stride;
    const dyr = dy + <usize>r * stride;
    const dxr = dx + <usize>r * stride;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(yr + o), v128.load(dyr + o)));
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      s += load<f32>(yr + o) * load<f32>(dyr + o);
    }
    const sv = f32x4.splat(s);
    j = 0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      v128.store(dxr + o, f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), sv)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dxr + o, load<f32>(yr + o) * (load<f32>(dyr + o) - s));
    }
  }
}
