// Optimizer update kernels.

import { madd } from './simd';

/** w −= learningRate·g over n floats (f32x4 body, scalar remainder). */
export function sgdUpdate(w: usize, g: usize, n: i32, learningRate: f32): void {
  const nlr = f32x4.splat(-learningRate);
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    v128.store(w + o, madd(v128.load(g + o), nlr, v128.load(w + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(w + o, load<f32>(w + o) - learningRate * load<f32>(g + o));
  }
}
