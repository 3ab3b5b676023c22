// Regularizer penalties: out[0] = l1·Σ|x| + l2·Σx², for the reported loss. (Their gradient is fused
// into the optimizer's update pass, so no backward kernel here.)
// Loop: f32x4 over the vector part with two accumulators, scalar remainder; sums in f64 at the end.

export function regularizerPenalty(x: usize, n: i32, l1: f32, l2: f32, out: usize): void {
  let abs4 = f32x4.splat(0);
  let sq4 = f32x4.splat(0);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    abs4 = f32x4.add(abs4, f32x4.abs(v));
    sq4 = f32x4.add(sq4, f32x4.mul(v, v));
  }
  let absSum: f64 = <f64>f32x4.extract_lane(abs4, 0) + <f64>f32x4.extract_lane(abs4, 1) + <f64>f32x4.extract_lane(abs4, 2) + <f64>f32x4.extract_lane(abs4, 3);
  let sqSum: f64 = <f64>f32x4.extract_lane(sq4, 0) + <f64>f32x4.extract_lane(sq4, 1) + <f64>f32x4.extract_lane(sq4, 2) + <f64>f32x4.extract_lane(sq4, 3);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    absSum += Math.abs(v);
    sqSum += v * v;
  }
  store<f32>(out, <f32>(<f64>l1 * absSum + <f64>l2 * sqSum));
}
