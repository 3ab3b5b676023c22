// a·b + c on four lanes: one fused instruction in the relaxed-SIMD build, mul + add in the plain one.
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so each build keeps only its branch.
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The 1–3 floats at p as lanes 0.. of a vector (the other lanes repeat lane 0: finite if it is). */
// @ts-ignore: decorator
@inline
export function loadTail(p: usize, r: i32): v128 {
  let v = f32x4.splat(load<f32>(p));
  if (r > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (r > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores lanes 0..r−1 of v at p. */
// @ts-ignore: decorator
@inline
export function storeTail(p: usize, v: v128, r: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (r > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (r > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
