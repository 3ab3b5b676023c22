// Peak probe: the single-core ceiling of f32x4 multiply-add on this engine.
//
// 12 independent accumulator chains c += x·y (4 lanes each), fed like one step of a 6×2-vector
// micro-kernel: 6 broadcasts from a small L1-resident table × 2 vectors held in registers.
// 12 madd × 4 lanes × 2 flops = 96 flops per iteration. 12 chains cover the FMA latency on both
// ports, and the products are not loop-invariant, so in the plain-SIMD build (mul + add) only the
// add sits on the chain — a probe of the form c = c·x + y would instead be latency-bound there
// (mul + add per step) and understate the plain ceiling by ~20%.

import { madd } from './simd';

// six small normal (not subnormal) values; static data, read only
const PROBE_A = memory.data<f32>([0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0, 0]);

export function peakProbe(iterations: i32): f32 {
  const a = PROBE_A;
  const y0 = f32x4.splat(0.999);
  const y1 = f32x4.splat(0.5);
  // distinct starting values so no two chains can be merged
  let c0 = f32x4.splat(0.0), c1 = f32x4.splat(0.1), c2 = f32x4.splat(0.2), c3 = f32x4.splat(0.3);
  let c4 = f32x4.splat(0.4), c5 = f32x4.splat(0.5), c6 = f32x4.splat(0.6), c7 = f32x4.splat(0.7);
  let c8 = f32x4.splat(0.8), c9 = f32x4.splat(0.9), c10 = f32x4.splat(1.0), c11 = f32x4.splat(1.1);
  for (let i = 0; i < iterations; i++) {
    let x = v128.load32_splat(a); c0 = madd(x, y0, c0); c1 = madd(x, y1, c1);
    x = v128.load32_splat(a, 4); c2 = madd(x, y0, c2); c3 = madd(x, y1, c3);
    x = v128.load32_splat(a, 8); c4 = madd(x, y0, c4); c5 = madd(x, y1, c5);
    x = v128.load32_splat(a, 12); c6 = madd(x, y0, c6); c7 = madd(x, y1, c7);
    x = v128.load32_splat(a, 16); c8 = madd(x, y0, c8); c9 = madd(x, y1, c9);
    x = v128.load32_splat(a, 20); c10 = madd(x, y0, c10); c11 = madd(x, y1, c11);
  }
  // combine every chain so none is dead code
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)),
  );
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
