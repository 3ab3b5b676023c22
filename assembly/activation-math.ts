// Lane functions of the activations (four f32 lanes each), used by activations.ts and the GEMM epilogue
// through activationForward. Not re-exported by index.ts.
//
// Every function maps finite lanes to finite lanes (large |x| saturates instead of overflowing) and
// keeps NaN lanes NaN, so that divergence checks downstream still see it.

import { exp4 } from './math';
import { madd } from './simd';

// @ts-ignore: decorator
@inline const TANH_SMALL: f32 = 0.625;
// @ts-ignore: decorator
@inline const SQRT1_2: f32 = 0.70710678118654752;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f32 = 0.39894228040143268;
// @ts-ignore: decorator
@inline const LN2: f32 = 0.69314718055994531;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375; // 9 significant bits: e·LN2_HI exact for |e| < 2^15
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4; // ln2 − LN2_HI
// @ts-ignore: decorator
@inline const SQRT2_M1: f32 = 0.41421356237309505;
/** Keras's SELU constants (Klambauer et al. 2017), as keras.activations.selu spells them. */
// @ts-ignore: decorator
@inline export const SELU_ALPHA: f32 = 1.67326324;
// @ts-ignore: decorator
@inline export const SELU_SCALE: f32 = 1.05070098;

// Splatted constants in static tables: V8 rebuilds a v128.const inside every loop iteration with three
// instructions, a load from a table is one. Each row is one constant in four lanes; c(i) loads row i.
// @ts-ignore: decorator
@inline const C_SIGN = 0;
// @ts-ignore: decorator
@inline const C_ONE = 1;
// @ts-ignore: decorator
@inline const C_MINUS_TWO = 2;
// @ts-ignore: decorator
@inline const C_TANH_SMALL = 3;
// @ts-ignore: decorator
@inline const C_HALF = 4;
// @ts-ignore: decorator
@inline const C_FIFTH = 5;
// @ts-ignore: decorator
@inline const C_SQRT1_2 = 6;
// @ts-ignore: decorator
@inline const C_GAUSS_X_MAX = 7;
// @ts-ignore: decorator
@inline const C_HI_MASK = 8;
// @ts-ignore: decorator
@inline const C_INV_SQRT_2PI = 9;
// @ts-ignore: decorator
@inline const C_TWO = 10;
// @ts-ignore: decorator
@inline const C_THREE = 11;
// @ts-ignore: decorator
@inline const C_LN2 = 12;
// @ts-ignore: decorator
@inline const C_SQRT2_M1 = 13;
// @ts-ignore: decorator
@inline const C_SELU_SCALE = 14;
// @ts-ignore: decorator
@inline const C_SELU_SCALE_ALPHA = 15;
// @ts-ignore: decorator
@inline const C_MINUS_HALF = 16;
// @ts-ignore: decorator
@inline const C_TANH_Q = 17; // 5 rows: the tanh polynomial, highest degree first
// @ts-ignore: decorator
@inline const C_ERFC_P = 22; // 10 rows: the erfc exponent polynomial, highest degree first
// @ts-ignore: decorator
@inline const C_EXPM1_T = 32; // 7 rows: 1/8!, 1/7!, …, 1/2!
// @ts-ignore: decorator
@inline const C_ATANH_T = 39; // 4 rows: 1/9, 1/7, 1/5, 1/3
// @ts-ignore: decorator
@inline const C_SQRT2 = 43;
// @ts-ignore: decorator
@inline const C_LN2_HI = 44;
// @ts-ignore: decorator
@inline const C_LN2_LO = 45;
// @ts-ignore: decorator
@inline const C_MIN_NORMAL = 46;
// @ts-ignore: decorator
@inline const C_TWO_POW_23 = 47;
// @ts-ignore: decorator
@inline const C_TWENTY_THREE = 48;
// @ts-ignore: decorator
@inline const C_INF = 49;
// @ts-ignore: decorator
@inline const C_MINUS_INF = 50;
// @ts-ignore: decorator
@inline const C_NAN = 51;
// @ts-ignore: decorator
@inline const C_TWO_OVER_SQRT_PI = 52;
// @ts-ignore: decorator
@inline const C_ERF_CAP = 53;
// @ts-ignore: decorator
@inline const C_ERF_S = 54; // 6 rows: erf's Maclaurin series in z = x², highest degree first

const CONSTS: usize = memory.data<f32>([
  -0.0, -0.0, -0.0, -0.0,
  1.0, 1.0, 1.0, 1.0,
  -2.0, -2.0, -2.0, -2.0,
  TANH_SMALL, TANH_SMALL, TANH_SMALL, TANH_SMALL,
  0.5, 0.5, 0.5, 0.5,
  0.2, 0.2, 0.2, 0.2,
  SQRT1_2, SQRT1_2, SQRT1_2, SQRT1_2,
  14.0, 14.0, 14.0, 14.0,
  0.0, 0.0, 0.0, 0.0, // unused: the 12-bit mask's pattern is a NaN, so it lives in HI_MASK below
  INV_SQRT_2PI, INV_SQRT_2PI, INV_SQRT_2PI, INV_SQRT_2PI,
  2.0, 2.0, 2.0, 2.0,
  3.0, 3.0, 3.0, 3.0,
  LN2, LN2, LN2, LN2,
  SQRT2_M1, SQRT2_M1, SQRT2_M1, SQRT2_M1,
  SELU_SCALE, SELU_SCALE, SELU_SCALE, SELU_SCALE,
  SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA,
  -0.5, -0.5, -0.5, -0.5,
  // tanh: Cephes tanhf's odd polynomial on [0, 0.625]
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3,
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2,
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2,
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1,
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1,
  // erfc: the Chebyshev fit of Numerical Recipes' erfcc (fractional error < 1.2e-7 for z ≥ 0)
  0.17087277, 0.17087277, 0.17087277, 0.17087277,
  -0.82215223, -0.82215223, -0.82215223, -0.82215223,
  1.48851587, 1.48851587, 1.48851587, 1.48851587,
  -1.13520398, -1.13520398, -1.13520398, -1.13520398,
  0.27886807, 0.27886807, 0.27886807, 0.27886807,
  -0.18628806, -0.18628806, -0.18628806, -0.18628806,
  0.09678418, 0.09678418, 0.09678418, 0.09678418,
  0.37409196, 0.37409196, 0.37409196, 0.37409196,
  1.00002368, 1.00002368, 1.00002368, 1.00002368,
  -1.26551223, -1.26551223, -1.26551223, -1.26551223,
  // expm1 Taylor coefficients
  2.48015873e-5, 2.48015873e-5, 2.48015873e-5, 2.48015873e-5,
  1.98412698e-4, 1.98412698e-4, 1.98412698e-4, 1.98412698e-4,
  1.38888889e-3, 1.38888889e-3, 1.38888889e-3, 1.38888889e-3,
  8.33333333e-3, 8.33333333e-3, 8.33333333e-3, 8.33333333e-3,
  4.16666667e-2, 4.16666667e-2, 4.16666667e-2, 4.16666667e-2,
  1.66666667e-1, 1.66666667e-1, 1.66666667e-1, 1.66666667e-1,
  0.5, 0.5, 0.5, 0.5,
  // atanh series coefficients
  0.111111111, 0.111111111, 0.111111111, 0.111111111,
  0.142857143, 0.142857143, 0.142857143, 0.142857143,
  0.2, 0.2, 0.2, 0.2,
  0.333333333, 0.333333333, 0.333333333, 0.333333333,
  // log4, log1p4, erf4
  1.41421356237309505, 1.41421356237309505, 1.41421356237309505, 1.41421356237309505,
  LN2_HI, LN2_HI, LN2_HI, LN2_HI,
  LN2_LO, LN2_LO, LN2_LO, LN2_LO,
  1.17549435e-38, 1.17549435e-38, 1.17549435e-38, 1.17549435e-38,
  8388608.0, 8388608.0, 8388608.0, 8388608.0,
  23.0, 23.0, 23.0, 23.0,
  Infinity, Infinity, Infinity, Infinity,
  -Infinity, -Infinity, -Infinity, -Infinity,
  NaN, NaN, NaN, NaN,
  1.12837916709551257, 1.12837916709551257, 1.12837916709551257, 1.12837916709551257,
  6.0, 6.0, 6.0, 6.0,
  1.06837606837606838e-4, 1.06837606837606838e-4, 1.06837606837606838e-4, 1.06837606837606838e-4, // 1/9360
  -7.57575757575757576e-4, -7.57575757575757576e-4, -7.57575757575757576e-4, -7.57575757575757576e-4, // −1/1320
  4.62962962962962963e-3, 4.62962962962962963e-3, 4.62962962962962963e-3, 4.62962962962962963e-3, // 1/216
  -2.38095238095238095e-2, -2.38095238095238095e-2, -2.38095238095238095e-2, -2.38095238095238095e-2, // −1/42
  0.1, 0.1, 0.1, 0.1,
  -0.333333333333333333, -0.333333333333333333, -0.333333333333333333, -0.333333333333333333,
], 16);
// the bit mask that keeps the sign, exponent and the top 11 mantissa bits (12 significant bits)
const HI_MASK: usize = memory.data<i32>([0xfffff000, 0xfffff000, 0xfffff000, 0xfffff000], 16);
// log4: the mantissa bits, then 1.0's exponent bits
const LOG_MASKS: usize = memory.data<i32>([0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff, 0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000], 16);

// @ts-ignore: decorator
@inline
function c(i: i32): v128 {
  return i == C_HI_MASK ? v128.load(HI_MASK) : v128.load(CONSTS + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline
function zero(): v128 {
  return f32x4.splat(0);
}

// @ts-ignore: decorator
@inline
export function relu4(x: v128): v128 {
  // x ≤ 0 ? 0 : x — NaN compares false, so NaN propagates
  return v128.andnot(x, f32x4.le(x, zero()));
}

/** x > 0 ? x : a·x */
// @ts-ignore: decorator
@inline
export function leaky4(x: v128, a: v128): v128 {
  return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, zero()));
}

// sigmoid(x) without overflow: e = exp(−|x|) ∈ [0, 1]; s = 1 / (1 + e);
// x ≥ 0 → s, x < 0 → e·s (= 1 − s without cancellation). Saturates to exactly 1 / 0 since exp4
// returns exactly 0 below −87.33.
// @ts-ignore: decorator
@inline
export function sigmoid4(x: v128): v128 {
  const one = c(C_ONE);
  const ax = v128.andnot(x, c(C_SIGN));
  const e = exp4(f32x4.neg(ax));
  const s = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(f32x4.mul(e, s), s, f32x4.lt(x, zero()));
}

// tanh(x) = sign(x)·t(|x|):
//   |x| < 0.625: t = a + a·z·Q(z), z = a², Q degree 4 (Cephes tanhf fit), accurate near 0;
//   otherwise  : t = (1 − e) / (1 + e), e = exp(−2|x|) ∈ [0, 0.29], exactly 1 once e = 0.
// @ts-ignore: decorator
@inline
export function tanh4(x: v128): v128 {
  const one = c(C_ONE);
  const sign = v128.and(x, c(C_SIGN));
  const a = v128.xor(x, sign);
  const z = f32x4.mul(a, a);
  let q = f32x4.add(f32x4.mul(c(C_TANH_Q), z), c(C_TANH_Q + 1));
  q = f32x4.add(f32x4.mul(q, z), c(C_TANH_Q + 2));
  q = f32x4.add(f32x4.mul(q, z), c(C_TANH_Q + 3));
  q = f32x4.add(f32x4.mul(q, z), c(C_TANH_Q + 4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), a), a);
  const e = exp4(f32x4.mul(a, c(C_MINUS_TWO)));
  const large = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const t = v128.bitselect(small, large, f32x4.lt(a, c(C_TANH_SMALL)));
  return v128.or(t, sign);
}

// e^x − 1 for x ≤ 0 (positive lanes are treated as 0), accurate near 0 where e^x − 1 cancels:
//   x ≥ −0.5: the Taylor series x + x²/2! + … + x⁸/8! (truncation < 1e-8 relative), Horner;
//   x < −0.5: exp(x) − 1 ∈ [−1, −0.39], no cancellation to speak of.
// Below −87.33 exp4 returns 0, so the result is exactly −1.
// @ts-ignore: decorator
@inline
export function expm1Neg4(x: v128): v128 {
  const xn = f32x4.pmin(x, zero()); // 0 < x ? 0 : x, NaN stays
  let p = madd(c(C_EXPM1_T), xn, c(C_EXPM1_T + 1));
  p = madd(p, xn, c(C_EXPM1_T + 2));
  p = madd(p, xn, c(C_EXPM1_T + 3));
  p = madd(p, xn, c(C_EXPM1_T + 4));
  p = madd(p, xn, c(C_EXPM1_T + 5));
  p = madd(p, xn, c(C_EXPM1_T + 6));
  const series = madd(f32x4.mul(p, xn), xn, xn); // x + x²·P(x)
  const direct = f32x4.sub(exp4(xn), c(C_ONE));
  return v128.bitselect(direct, series, f32x4.lt(xn, c(C_MINUS_HALF)));
}

/** x > 0 ? x : a·(e^x − 1) */
// @ts-ignore: decorator
@inline
export function elu4(x: v128, a: v128): v128 {
  return v128.bitselect(x, f32x4.mul(a, expm1Neg4(x)), f32x4.gt(x, zero()));
}

/** scale·(x > 0 ? x : alpha·(e^x − 1)) with Keras's constants */
// @ts-ignore: decorator
@inline
export function selu4(x: v128): v128 {
  return v128.bitselect(f32x4.mul(x, c(C_SELU_SCALE)), f32x4.mul(c(C_SELU_SCALE_ALPHA), expm1Neg4(x)), f32x4.gt(x, zero()));
}

/** dy·(y > 0 ? scale : y + scale·alpha) */
// @ts-ignore: decorator
@inline
export function seluGrad4(y: v128, dy: v128): v128 {
  const d = v128.bitselect(c(C_SELU_SCALE), f32x4.add(y, c(C_SELU_SCALE_ALPHA)), f32x4.gt(y, zero()));
  return f32x4.mul(dy, d);
}

/** clip(0.2·x + 0.5, 0, 1), as tfjs and Keras 2 define it */
// @ts-ignore: decorator
@inline
export function hardSigmoid4(x: v128): v128 {
  const t = f32x4.add(f32x4.mul(x, c(C_FIFTH)), c(C_HALF));
  // pmax(t, 0) = t < 0 ? 0 : t, pmin(t, 1) = 1 < t ? 1 : t: one instruction each (min/max are
  // several on x86), and a NaN t compares false, so it passes through
  return f32x4.pmin(f32x4.pmax(t, zero()), c(C_ONE));
}

/** dy·(0 < y < 1 ? 0.2 : 0) */
// @ts-ignore: decorator
@inline
export function hardSigmoidGrad4(y: v128, dy: v128): v128 {
  const inside = v128.and(f32x4.gt(y, zero()), f32x4.lt(y, c(C_ONE)));
  return v128.and(f32x4.mul(dy, c(C_FIFTH)), inside);
}

// log(1 + u) for u ∈ [0, 1], from u itself (1 + u would drop u's low bits):
//   u ≤ √2 − 1: log1p(u) = 2·atanh(s), s = u / (2 + u);
//   u > √2 − 1: log1p(u) = ln2 + log((1 + u)/2) = ln2 + 2·atanh(s), s = (u − 1)/(u + 3);
//   |s| ≤ 0.1716 either way, and 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9) (truncation < 3e-9).
// @ts-ignore: decorator
@inline
function log1pUnit4(u: v128): v128 {
  const big = f32x4.gt(u, c(C_SQRT2_M1));
  const num = v128.bitselect(f32x4.sub(u, c(C_ONE)), u, big);
  const den = f32x4.add(u, v128.bitselect(c(C_THREE), c(C_TWO), big));
  const s = f32x4.div(num, den);
  const z = f32x4.mul(s, s);
  let p = madd(c(C_ATANH_T), z, c(C_ATANH_T + 1));
  p = madd(p, z, c(C_ATANH_T + 2));
  p = madd(p, z, c(C_ATANH_T + 3));
  const s2 = f32x4.add(s, s);
  const l = madd(f32x4.mul(s2, z), p, s2);
  return f32x4.add(l, v128.and(c(C_LN2), big));
}

/** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^−|x|): no overflow, accurate for x ≪ 0 */
// @ts-ignore: decorator
@inline
export function softplus4(x: v128): v128 {
  const ax = v128.andnot(x, c(C_SIGN));
  return f32x4.add(f32x4.max(x, zero()), log1pUnit4(exp4(f32x4.neg(ax))));
}

/** softplus′ = sigmoid(x) = 1 − e^−y = −expm1(−y), accurate when y is tiny */
// @ts-ignore: decorator
@inline
export function softplusGrad4(y: v128, dy: v128): v128 {
  return f32x4.mul(dy, f32x4.neg(expm1Neg4(f32x4.neg(y))));
}

/** x / (1 + |x|) */
// @ts-ignore: decorator
@inline
export function softsign4(x: v128): v128 {
  return f32x4.div(x, f32x4.add(c(C_ONE), v128.andnot(x, c(C_SIGN))));
}

/** dy·(1 − |y|)², since 1/(1 + |x|) = 1 − |y| */
// @ts-ignore: decorator
@inline
export function softsignGrad4(y: v128, dy: v128): v128 {
  const t = f32x4.sub(c(C_ONE), v128.andnot(y, c(C_SIGN)));
  return f32x4.mul(dy, f32x4.mul(t, t));
}

/** x·sigmoid(x) */
// @ts-ignore: decorator
@inline
export function swish4(x: v128): v128 {
  return f32x4.mul(x, sigmoid4(x));
}

/**
 * dy·(s + x·s·(1 − s)) = dy·s·(1 + x·(1 − s)), s = sigmoid(x), with s and 1 − s = sigmoid(−x) both
 * taken from e = exp(−|x|) and q = 1/(1 + e) (s = q, 1 − s = e·q for x ≥ 0, swapped for x < 0), so
 * that 1 − s keeps its relative precision when s rounds to 1
 */
// @ts-ignore: decorator
@inline
export function swishGrad4(x: v128, dy: v128): v128 {
  const one = c(C_ONE);
  const e = exp4(f32x4.neg(v128.andnot(x, c(C_SIGN))));
  const q = f32x4.div(one, f32x4.add(one, e));
  const eq = f32x4.mul(e, q);
  const neg = f32x4.lt(x, zero());
  const s = v128.bitselect(eq, q, neg);
  const sc = v128.bitselect(q, eq, neg);
  return f32x4.mul(dy, f32x4.mul(s, madd(x, sc, one)));
}

// e^(−x²/2) for ax = |x| ≤ 14 (beyond, the result is 0 in float32 anyway): x² is split as
// xh² + (ax − xh)(ax + xh) with xh = ax rounded to 12 significant bits, so that xh² is exact and exp's
// argument carries no rounding error proportional to x² (that would cost ~x²·6e−8 relative).
// @ts-ignore: decorator
@inline
function gaussian4(ax: v128): v128 {
  const xh = v128.and(ax, c(C_HI_MASK));
  const xl = f32x4.sub(ax, xh);
  const mh = c(C_MINUS_HALF);
  return f32x4.mul(exp4(f32x4.mul(f32x4.mul(xh, xh), mh)), exp4(f32x4.mul(f32x4.mul(xl, f32x4.add(ax, xh)), mh)));
}

// Φ(x), the standard normal CDF, as erfc(|x|/√2)/2 on the far side, without cancellation on either
// side: with z = |x|/√2 and g = e^(−z²) = gaussian4(|x|),
//   erfc(z) = t·g·exp(P(t)), t = 1/(1 + z/2), P the Numerical Recipes erfcc polynomial;
//   x ≥ 0: Φ = 1 − erfc(z)/2; x < 0: Φ = erfc(z)/2.
/** The Numerical Recipes erfcc exponent polynomial P(t) (C_ERFC_P, Horner): erfc(z) = t·exp(P(t) − z²). */
// @ts-ignore: decorator
@inline
function erfcPoly4(t: v128): v128 {
  // Unrolled, as the two copies it replaces were.
  let p = madd(c(C_ERFC_P), t, c(C_ERFC_P + 1));
  p = madd(p, t, c(C_ERFC_P + 2));
  p = madd(p, t, c(C_ERFC_P + 3));
  p = madd(p, t, c(C_ERFC_P + 4));
  p = madd(p, t, c(C_ERFC_P + 5));
  p = madd(p, t, c(C_ERFC_P + 6));
  p = madd(p, t, c(C_ERFC_P + 7));
  p = madd(p, t, c(C_ERFC_P + 8));
  p = madd(p, t, c(C_ERFC_P + 9));
  return p;
}

// @ts-ignore: decorator
@inline
function normalCdf4(x: v128, ax: v128, g: v128): v128 {
  const one = c(C_ONE);
  const half = c(C_HALF);
  const t = f32x4.div(one, madd(f32x4.mul(ax, c(C_SQRT1_2)), half, one));
  const p = erfcPoly4(t);
  const halfErfc = f32x4.mul(f32x4.mul(f32x4.mul(t, half), g), exp4(p));
  return v128.bitselect(f32x4.sub(one, halfErfc), halfErfc, f32x4.ge(x, zero()));
}

/** |x| capped at 14 (NaN stays NaN): the argument of gaussian4 and normalCdf4. */
// @ts-ignore: decorator
@inline
function cappedAbs4(x: v128): v128 {
  return f32x4.pmin(v128.andnot(x, c(C_SIGN)), c(C_GAUSS_X_MAX));
}

/** gelu(x) = x·Φ(x) (the exact form, Keras's default approximate=False and tfjs's 'gelu') */
// @ts-ignore: decorator
@inline
export function gelu4(x: v128): v128 {
  const ax = cappedAbs4(x);
  return f32x4.mul(x, normalCdf4(x, ax, gaussian4(ax)));
}

/** dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) */
// @ts-ignore: decorator
@inline
export function geluGrad4(x: v128, dy: v128): v128 {
  const ax = cappedAbs4(x);
  const g = gaussian4(ax);
  const pdf = f32x4.mul(g, c(C_INV_SQRT_2PI));
  return f32x4.mul(dy, madd(x, pdf, normalCdf4(x, ax, g)));
}

// log(x) on four lanes, for the log and log1p primitives: x = 2^e·m with m ∈ [√½, √2) taken from the
// bits (subnormals scaled by 2^23 first), log(m) = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716,
// the same atanh series as log1pUnit4 (truncation < 3e-9); e·ln2 added in two parts (Cody–Waite).
// Special lanes as Math.log: NaN and +Inf give themselves, ±0 gives −Inf, negative lanes NaN.
// @ts-ignore: decorator
@inline
export function log4(x: v128): v128 {
  const one = c(C_ONE);
  const tiny = f32x4.lt(x, c(C_MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, c(C_TWO_POW_23)), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(127));
  let m = v128.or(v128.and(xs, v128.load(LOG_MASKS)), v128.load(LOG_MASKS, 16));
  const big = f32x4.gt(m, c(C_SQRT2));
  m = v128.bitselect(f32x4.mul(m, c(C_HALF)), m, big);
  e = i32x4.sub(e, big); // big lanes are −1: e + 1
  const ef = f32x4.sub(f32x4.convert_i32x4_s(e), v128.and(c(C_TWENTY_THREE), tiny));
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const z = f32x4.mul(s, s);
  let p = madd(c(C_ATANH_T), z, c(C_ATANH_T + 1));
  p = madd(p, z, c(C_ATANH_T + 2));
  p = madd(p, z, c(C_ATANH_T + 3));
  const s2 = f32x4.add(s, s);
  const l = madd(f32x4.mul(s2, z), p, s2);
  let r = madd(ef, c(C_LN2_HI), madd(ef, c(C_LN2_LO), l));
  r = v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, c(C_INF))));
  r = v128.bitselect(c(C_MINUS_INF), r, f32x4.eq(x, zero()));
  return v128.bitselect(c(C_NAN), r, f32x4.lt(x, zero()));
}

// log(1 + x) on four lanes: u = 1 + x rounded, log(u) corrected by the rounding of u,
// log1p(x) ≈ log(u) − ((u − 1) − x)/u (exact to first order; x tiny gives x). The correction is
// skipped where u is 0, negative, infinite or NaN (log4's special lanes).
// @ts-ignore: decorator
@inline
export function log1p4(x: v128): v128 {
  const u = f32x4.add(x, c(C_ONE));
  const corr = f32x4.div(f32x4.sub(f32x4.sub(u, c(C_ONE)), x), u);
  const valid = v128.and(f32x4.gt(u, zero()), f32x4.lt(u, c(C_INF)));
  return f32x4.sub(log4(u), v128.and(corr, valid));
}

// erf(x) = sign(x)·e(|x|) on four lanes, |x| capped at 6 (erf is 1 in float32 well before):
//   |x| < 0.5: the Maclaurin series (2/√π)·x·(1 − z/3 + z²/10 − … + z⁶/9360), z = x² (truncation
//              < 1e-9 relative), with no cancellation near 0;
//   otherwise: 1 − erfc(|x|), erfc(z) = t·exp(P(t) − z²), t = 1/(1 + z/2), P the Numerical Recipes
//              erfcc polynomial normalCdf4 uses (fractional error < 1.2e-7; erf ≥ 0.52 here).
// NaN lanes stay NaN.
// @ts-ignore: decorator
@inline
export function erf4(x: v128): v128 {
  const one = c(C_ONE);
  const sign = v128.and(x, c(C_SIGN));
  const ax = f32x4.pmin(v128.xor(x, sign), c(C_ERF_CAP));
  const z = f32x4.mul(ax, ax);
  let q = madd(c(C_ERF_S), z, c(C_ERF_S + 1));
  q = madd(q, z, c(C_ERF_S + 2));
  q = madd(q, z, c(C_ERF_S + 3));
  q = madd(q, z, c(C_ERF_S + 4));
  q = madd(q, z, c(C_ERF_S + 5));
  q = madd(q, z, one);
  const small = f32x4.mul(f32x4.mul(q, ax), c(C_TWO_OVER_SQRT_PI));
  const t = f32x4.div(one, madd(ax, c(C_HALF), one));
  const p = erfcPoly4(t);
  const large = f32x4.sub(one, f32x4.mul(t, exp4(f32x4.sub(p, z))));
  return v128.or(v128.bitselect(small, large, f32x4.lt(ax, c(C_HALF))), sign);
}
