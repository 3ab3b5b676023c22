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

// Activity regularizer as a training-objective term: out[0] = scale·(l1·Σ|x| + l2·Σx²) and, when grad
// is not 0, grad = scale·(l1·sign(x) + 2·l2·x) (sign(0) = 0), both in one pass over x.
// Loop: f32x4 over n & ~3 (two accumulators, gradient stored as it goes), scalar remainder; the sums
// are finished in f64.
export function activityRegularizer(x: usize, n: i32, l1: f32, l2: f32, scale: f32, out: usize, grad: usize): void {
  let abs4 = f32x4.splat(0);
  let sq4 = f32x4.splat(0);
  const sl1: f32 = scale * l1;
  const s2l2: f32 = scale * 2 * l2;
  const sl1v = f32x4.splat(sl1);
  const s2l2v = f32x4.splat(s2l2);
  const signBit = f32x4.splat(-0.0);
  const zero = f32x4.splat(0);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    abs4 = f32x4.add(abs4, f32x4.abs(v));
    sq4 = f32x4.add(sq4, f32x4.mul(v, v));
    if (grad) {
      // scale·l1 with x's sign bit, zero where x == 0; plus scale·2·l2·x.
      const l1s = v128.and(v128.or(v128.and(v, signBit), sl1v), f32x4.ne(v, zero));
      v128.store(grad + o, f32x4.add(f32x4.mul(v, s2l2v), l1s));
    }
  }
  let absSum: f64 = <f64>f32x4.extract_lane(abs4, 0) + <f64>f32x4.extract_lane(abs4, 1) + <f64>f32x4.extract_lane(abs4, 2) + <f64>f32x4.extract_lane(abs4, 3);
  let sqSum: f64 = <f64>f32x4.extract_lane(sq4, 0) + <f64>f32x4.extract_lane(sq4, 1) + <f64>f32x4.extract_lane(sq4, 2) + <f64>f32x4.extract_lane(sq4, 3);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    absSum += Math.abs(<f64>v);
    sqSum += <f64>v * <f64>v;
    if (grad) {
      const s: f32 = v > 0 ? sl1 : v < 0 ? -sl1 : 0;
      store<f32>(grad + o, v * s2l2 + s);
    }
  }
  store<f32>(out, <f32>(<f64>scale * (<f64>l1 * absSum + <f64>l2 * sqSum)));
}
