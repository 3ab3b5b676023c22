// Counter-based random bits: element i's number is a pure function of (key, i), so a kernel can be
// split over threads (or run on a sub-range with `first`) and every element still gets the same
// number, and the same seed gives the same numbers in any build.
//
// The mixer is Chris Wellons's "lowbias32" (x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15;
// x *= 0x846ca68b; x ^= x >> 16), a bijection on 32 bits with low avalanche bias. One element's
// bits are  h = mix(mix(i ^ k1) + k2)  with two 32-bit keys derived from (step seed, salt): with one
// round, keys that agree in their high bits would give the same set of inputs {i ^ k1} in another
// order; the second keyed round removes that structure.
//
// index.ts exports only randomUniform; the helpers are inlined into the dropout kernels.

// @ts-ignore: decorator
@inline const M1: u32 = 0x7feb352d;
// @ts-ignore: decorator
@inline const M2: u32 = 0x846ca68b;

/** lowbias32 on one lane. */
// @ts-ignore: decorator
@inline
export function mix1(x: u32): u32 {
  x ^= x >>> 16;
  x *= M1;
  x ^= x >>> 15;
  x *= M2;
  x ^= x >>> 16;
  return x;
}

/** lowbias32 on four lanes. */
// @ts-ignore: decorator
@inline
export function mix4(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(M1));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(M2));
  x = v128.xor(x, i32x4.shr_u(x, 16));
  return x;
}

/** The first key of a (step seed, salt) stream. */
// @ts-ignore: decorator
@inline
export function streamKey1(seed: u32, salt: u32): u32 {
  return mix1(seed ^ mix1(salt ^ 0x9e3779b9));
}

/** The second key, derived from the first. */
// @ts-ignore: decorator
@inline
export function streamKey2(k1: u32): u32 {
  return mix1(k1 ^ 0x85ebca6b);
}

/** 32 random bits for element i. */
// @ts-ignore: decorator
@inline
export function bits1(i: u32, k1: u32, k2: u32): u32 {
  return mix1(mix1(i ^ k1) + k2);
}

/** 32 random bits for elements i4 (four indices). */
// @ts-ignore: decorator
@inline
export function bits4(i4: v128, k1: v128, k2: v128): v128 {
  return mix4(i32x4.add(mix4(v128.xor(i4, k1)), k2));
}

/**
 * Keep threshold on the top 24 bits: an element is kept when (bits >>> 8) ≥ threshold, i.e. when
 * its uniform u = (bits >>> 8)·2⁻²⁴ ∈ [0, 1) satisfies u ≥ rate (Keras: `uniform >= rate`).
 */
// @ts-ignore: decorator
@inline
export function keepThreshold(rate: f64): i32 {
  return <i32>Math.ceil(rate * 16777216.0);
}

/**
 * out[j] = uniform in [0, 1) (24 bits) for element first + j, j < n: the stream the dropout kernels
 * draw from, exported so that tests can check its statistics and its independence of `first`.
 */
export function randomUniform(out: usize, n: i32, seed: u32, salt: u32, first: i32): void {
  const k1 = streamKey1(seed, salt);
  const k2 = streamKey2(k1);
  const k1v = i32x4.splat(k1);
  const k2v = i32x4.splat(k2);
  const step = i32x4.splat(4);
  const inv = f32x4.splat(<f32>5.9604644775390625e-8); // 2⁻²⁴
  let idx = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  let j = 0;
  for (; j <= n - 4; j += 4) {
    const u = i32x4.shr_u(bits4(idx, k1v, k2v), 8);
    v128.store(out + (<usize>j << 2), f32x4.mul(f32x4.convert_i32x4_s(u), inv));
    idx = i32x4.add(idx, step);
  }
  for (; j < n; j++) {
    const u = bits1(<u32>(first + j), k1, k2) >>> 8;
    store<f32>(out + (<usize>j << 2), <f32>u * <f32>5.9604644775390625e-8);
  }
}
