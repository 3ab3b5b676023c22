// Internal math helpers for the non-GEMM kernels (not re-exported by index.ts).
//
// exp4: exp on four f32 lanes.
//   Range reduction: exp(x) = 2^k · exp(r) with k = round(x·log2e), obtained by adding 1.5·2^23
//   (the float add rounds to the nearest integer, which then sits in the low mantissa bits), and
//   r = x − k·ln2 in two steps (Cody–Waite: ln2 = LN2_HI + LN2_LO, k·LN2_HI exact), |r| ≤ ln2/2.
//   exp(r) ≈ 1 + r + r²·P(r), P of degree 5 (the classic Cephes expf minimax coefficients on
//   [−ln2/2, ln2/2]). 2^k is built directly in the exponent bits: (k + 127) << 23.
//   Measured max relative error 1.18e-7 over 4M points in [−87.3, 88.3] (both builds).
//   Input is clamped to [EXP_LO, EXP_HI] so k stays in [−126, 127] (normal floats, never Inf);
//   lanes below EXP_LO return exactly 0 (true result < 1.2e-38: underflow), lanes above EXP_HI
//   return exp(EXP_HI) ≈ 2.4e38. NaN lanes stay NaN (pmin/pmax keep their first operand on NaN).
//   Its constants live in a static table (see EXP_CONSTS).

import { madd } from './simd';

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375; // 8 significant bits: k·LN2_HI exact for |k| < 2^16
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4; // ln2 − LN2_HI
// @ts-ignore: decorator
@inline export const EXP_LO: f32 = -87.33; // ≥ ln(2^−126) = −87.3365: k ≥ −126
// @ts-ignore: decorator
@inline export const EXP_HI: f32 = 88.37; // < 127.5·ln2 = 88.3763: k ≤ 127

// @ts-ignore: decorator
@inline const ROUND_MAGIC: f32 = 12582912.0; // 1.5·2^23
// @ts-ignore: decorator
@inline const ROUND_MAGIC_BITS: i32 = 0x4b400000; // its bit pattern: bits(t) = ROUND_MAGIC_BITS + k

// @ts-ignore: decorator
@inline const P0: f32 = 1.9875691500e-4;
// @ts-ignore: decorator
@inline const P1: f32 = 1.3981999507e-3;
// @ts-ignore: decorator
@inline const P2: f32 = 8.3334519073e-3;
// @ts-ignore: decorator
@inline const P3: f32 = 4.1665795894e-2;
// @ts-ignore: decorator
@inline const P4: f32 = 1.6666665459e-1;
// @ts-ignore: decorator
@inline const P5: f32 = 5.0000001201e-1;

// The constants as splatted vectors in a static table: V8 re-materialises every v128.const inside a
// loop (movq + vmovq + vpunpcklqdq, ~40 instructions per exp4), a load from this table is one.
const EXP_CONSTS: usize = memory.data<f32>([
  EXP_LO, EXP_LO, EXP_LO, EXP_LO,
  EXP_HI, EXP_HI, EXP_HI, EXP_HI,
  LOG2E, LOG2E, LOG2E, LOG2E,
  ROUND_MAGIC, ROUND_MAGIC, ROUND_MAGIC, ROUND_MAGIC,
  -LN2_HI, -LN2_HI, -LN2_HI, -LN2_HI,
  -LN2_LO, -LN2_LO, -LN2_LO, -LN2_LO,
  P0, P0, P0, P0,
  P1, P1, P1, P1,
  P2, P2, P2, P2,
  P3, P3, P3, P3,
  P4, P4, P4, P4,
  P5, P5, P5, P5,
  1.0, 1.0, 1.0, 1.0,
  // expFull4 only: e, the largest x whose exp is finite in float32, +Inf
  2.718281828459045, 2.718281828459045, 2.718281828459045, 2.718281828459045,
  88.72283172607422, 88.72283172607422, 88.72283172607422, 88.72283172607422,
  Infinity, Infinity, Infinity, Infinity,
], 16);

// @ts-ignore: decorator
@inline
function ec(i: i32): v128 {
  return v128.load(EXP_CONSTS + (<usize>i << 4));
}

/** exp on four lanes (see the header comment for the approximation and its range). */
// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  const lo = ec(0);
  // clamp, NaN-preserving: pmax(x, lo) = x < lo ? lo : x; pmin(x, hi) = hi < x ? hi : x
  const xc = f32x4.pmin(f32x4.pmax(x, lo), ec(1));
  // k = round(x·log2e) by the 1.5·2^23 trick: adding it rounds to an integer (round-to-nearest-even)
  // that sits in the low mantissa bits of t, so k's bits come from t without a float→int conversion
  const magic = ec(3);
  const t = madd(xc, ec(2), magic);
  const kf = f32x4.sub(t, magic);
  // r = x − k·ln2 in two steps (Cody–Waite)
  let r = madd(kf, ec(4), xc);
  r = madd(kf, ec(5), r);
  // exp(r) ≈ 1 + r + r²·P(r), Horner
  let p = madd(ec(6), r, ec(7));
  p = madd(p, r, ec(8));
  p = madd(p, r, ec(9));
  p = madd(p, r, ec(10));
  p = madd(p, r, ec(11));
  const r2 = f32x4.mul(r, r);
  p = madd(p, r2, f32x4.add(r, ec(12)));
  // 2^k from the exponent bits: bits(t) = ROUND_MAGIC_BITS + k
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127 - ROUND_MAGIC_BITS)), 23); // (k + 127) << 23
  const y = f32x4.mul(p, scale);
  // underflow: exactly 0 below EXP_LO (NaN compares false, so NaN lanes survive)
  return v128.andnot(y, f32x4.lt(x, lo));
}

/**
 * exp on four lanes over float32's whole range, for the `exp` primitive: exp4 where it is in range;
 * above EXP_HI, e·exp4(x − 1) (x − 1 is exact there), and +Inf above 88.7228317 (the largest float
 * whose exp is finite). Below EXP_LO the result is 0, as exp4's (the true value is subnormal).
 */
// @ts-ignore: decorator
@inline
export function expFull4(x: v128): v128 {
  const hi = f32x4.gt(x, ec(1));
  const y = exp4(v128.bitselect(f32x4.sub(x, ec(12)), x, hi));
  const r = v128.bitselect(f32x4.mul(y, ec(13)), y, hi);
  return v128.bitselect(ec(15), r, f32x4.gt(x, ec(14)));
}

/** Scalar exp with the same approximation as exp4 (for row remainders). */
// @ts-ignore: decorator
@inline
export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** Largest of the four lanes (NaN-free inputs). */
// @ts-ignore: decorator
@inline
export function hmax4(v: v128): f32 {
  const m = f32x4.pmax(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  const m2 = f32x4.pmax(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(m2, 0);
}

/** Sum of the four lanes. */
// @ts-ignore: decorator
@inline
export function hsum4(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  const s2 = f32x4.add(s, i32x4.shuffle(s, s, 1, 0, 3, 2));
  return f32x4.extract_lane(s2, 0);
}

/** Sum of the four i32 lanes. */
// @ts-ignore: decorator
@inline
export function hsumI4(v: v128): i32 {
  const s = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  const s2 = i32x4.add(s, i32x4.shuffle(s, s, 1, 0, 3, 2));
  return i32x4.extract_lane(s2, 0);
}

/** Largest value of row[0..cols), SIMD over full vectors then the scalar remainder. */
export function rowMax(row: usize, cols: i32): f32 {
  let j = 0;
  let m: f32 = load<f32>(row);
  if (cols >= 4) {
    let mv = v128.load(row);
    for (j = 4; j <= cols - 4; j += 4) mv = f32x4.pmax(mv, v128.load(row + (<usize>j << 2)));
    m = hmax4(mv);
  } else {
    j = 1;
  }
  for (; j < cols; j++) {
    const v = load<f32>(row + (<usize>j << 2));
    m = v > m ? v : m;
  }
  return m;
}

/** Σ_j exp(row[j] − m), also storing exp(row[j] − m) to out[j] when out != 0. */
export function expShiftSum(row: usize, cols: i32, m: f32, out: usize): f32 {
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j <= cols - 4; j += 4) {
    const e = exp4(f32x4.sub(v128.load(row + (<usize>j << 2)), mv));
    if (out) v128.store(out + (<usize>j << 2), e);
    acc = f32x4.add(acc, e);
  }
  let s = hsum4(acc);
  for (; j < cols; j++) {
    const e = exp1(load<f32>(row + (<usize>j << 2)) - m);
    if (out) store<f32>(out + (<usize>j << 2), e);
    s += e;
  }
  return s;
}
