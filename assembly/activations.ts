// Activation kernels. The codes (ACT_*) are generated from src/backend/wasm/codes.ts into
// generated/activations.ts; the lane functions are in activation-math.ts.
// Every loop runs over whole f32x4 vectors, then one partial vector for the 1–3 remaining floats
// (loaded lane by lane, so nothing outside the operands is touched) through the same lane function,
// so remainders get bit-identical results to the vector body.
// In-place (x == y, dy == dx, also dx == x) is allowed: each vector is read before it is written.
//
// The per-activation loops come from one @inline loop instantiated with a constant code: after
// inlining, the optimizer folds the dispatch in forward4/backward4 away, leaving one straight loop each.

import { expShiftSum, rowMax } from './math';
import { loadTail, storeTail } from './simd';
import {
  ACT_ELU, ACT_GELU, ACT_HARD_SIGMOID, ACT_LEAKY_RELU, ACT_LINEAR, ACT_RELU, ACT_SELU, ACT_SIGMOID, ACT_SOFTPLUS, ACT_SOFTSIGN, ACT_SWISH, ACT_TANH,
} from './generated/activations';
import {
  elu4, gelu4, geluGrad4, hardSigmoid4, hardSigmoidGrad4, leaky4, relu4, selu4, seluGrad4, sigmoid4, softplus4, softplusGrad4,
  softsign4, softsignGrad4, swish4, swishGrad4, tanh4,
} from './activation-math';

// @ts-ignore: decorator
@inline
function forward4(act: i32, x: v128, a: v128): v128 {
  if (act == ACT_RELU) return relu4(x);
  if (act == ACT_SIGMOID) return sigmoid4(x);
  if (act == ACT_TANH) return tanh4(x);
  if (act == ACT_LEAKY_RELU) return leaky4(x, a);
  if (act == ACT_ELU) return elu4(x, a);
  if (act == ACT_SELU) return selu4(x);
  if (act == ACT_HARD_SIGMOID) return hardSigmoid4(x);
  if (act == ACT_SOFTPLUS) return softplus4(x);
  if (act == ACT_SOFTSIGN) return softsign4(x);
  if (act == ACT_SWISH) return swish4(x);
  return gelu4(x);
}

/** Whether the derivative is computed from the input x (otherwise from the output y). */
// @ts-ignore: decorator
@inline
function fromInput(act: i32): bool {
  return act == ACT_SWISH || act == ACT_GELU;
}

// @ts-ignore: decorator
@inline
function backward4(act: i32, x: v128, y: v128, dy: v128, a: v128): v128 {
  const z = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (act == ACT_RELU) return v128.and(dy, f32x4.gt(y, z));
  if (act == ACT_SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(one, y)));
  // (1 − y)(1 + y) rather than 1 − y²: 1 − y is exact near |y| = 1, so no cancellation
  if (act == ACT_TANH) return f32x4.mul(dy, f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y)));
  // a ≥ 0 (the layers check it), so y > 0 exactly where x > 0
  if (act == ACT_LEAKY_RELU) return v128.bitselect(dy, f32x4.mul(dy, a), f32x4.gt(y, z));
  // x ≤ 0: d/dx a·(e^x − 1) = a·e^x = y + a
  if (act == ACT_ELU) return v128.bitselect(dy, f32x4.mul(dy, f32x4.add(y, a)), f32x4.gt(y, z));
  if (act == ACT_SELU) return seluGrad4(y, dy);
  if (act == ACT_HARD_SIGMOID) return hardSigmoidGrad4(y, dy);
  if (act == ACT_SOFTPLUS) return softplusGrad4(y, dy);
  if (act == ACT_SOFTSIGN) return softsignGrad4(y, dy);
  if (act == ACT_SWISH) return swishGrad4(x, dy);
  return geluGrad4(x, dy);
}

// @ts-ignore: decorator
@inline
function forwardLoop(act: i32, x: usize, y: usize, n: i32, a: v128): void {
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, forward4(act, v128.load(x + o), a));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const r = n - i;
    storeTail(y + o, forward4(act, loadTail(x + o, r), a), r);
  }
}

// @ts-ignore: decorator
@inline
function backwardLoop(act: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, a: v128): void {
  const useX = fromInput(act);
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    const xv = useX ? v128.load(x + o) : f32x4.splat(0);
    const yv = useX ? f32x4.splat(0) : v128.load(y + o);
    v128.store(dx + o, backward4(act, xv, yv, v128.load(dy + o), a));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const r = n - i;
    const xv = useX ? loadTail(x + o, r) : f32x4.splat(0);
    const yv = useX ? f32x4.splat(0) : loadTail(y + o, r);
    storeTail(dx + o, backward4(act, xv, yv, loadTail(dy + o, r), a), r);
  }
}

/**
 * y = f(x) elementwise over n floats; alpha is the slope of leakyRelu and the alpha of elu (ignored by
 * the others). x == y allowed. Unknown codes leave y untouched.
 */
export function activationForward(act: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  if (act == ACT_LINEAR) {
    if (x != y) memory.copy(y, x, <usize>n << 2);
    return;
  }
  const a = f32x4.splat(alpha);
  if (act == ACT_RELU) forwardLoop(ACT_RELU, x, y, n, a);
  else if (act == ACT_SIGMOID) forwardLoop(ACT_SIGMOID, x, y, n, a);
  else if (act == ACT_TANH) forwardLoop(ACT_TANH, x, y, n, a);
  else if (act == ACT_LEAKY_RELU) forwardLoop(ACT_LEAKY_RELU, x, y, n, a);
  else if (act == ACT_ELU) forwardLoop(ACT_ELU, x, y, n, a);
  else if (act == ACT_SELU) forwardLoop(ACT_SELU, x, y, n, a);
  else if (act == ACT_HARD_SIGMOID) forwardLoop(ACT_HARD_SIGMOID, x, y, n, a);
  else if (act == ACT_SOFTPLUS) forwardLoop(ACT_SOFTPLUS, x, y, n, a);
  else if (act == ACT_SOFTSIGN) forwardLoop(ACT_SOFTSIGN, x, y, n, a);
  else if (act == ACT_SWISH) forwardLoop(ACT_SWISH, x, y, n, a);
  else if (act == ACT_GELU) forwardLoop(ACT_GELU, x, y, n, a);
}

/**
 * dx = dy ⊙ f′ over n floats. f′ is written in terms of the forward OUTPUT y where it can be
 * (relu, sigmoid, tanh, leakyRelu with alpha ≥ 0, elu with alpha ≥ 0, selu, hardSigmoid, softplus,
 * softsign: x may be 0) and of the INPUT x otherwise (swish, gelu: y may be 0). dx == dy allowed.
 */
export function activationBackward(act: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  if (act == ACT_LINEAR) {
    if (dx != dy) memory.copy(dx, dy, <usize>n << 2);
    return;
  }
  const a = f32x4.splat(alpha);
  if (act == ACT_RELU) backwardLoop(ACT_RELU, x, y, dy, dx, n, a);
  else if (act == ACT_SIGMOID) backwardLoop(ACT_SIGMOID, x, y, dy, dx, n, a);
  else if (act == ACT_TANH) backwardLoop(ACT_TANH, x, y, dy, dx, n, a);
  else if (act == ACT_LEAKY_RELU) backwardLoop(ACT_LEAKY_RELU, x, y, dy, dx, n, a);
  else if (act == ACT_ELU) backwardLoop(ACT_ELU, x, y, dy, dx, n, a);
  else if (act == ACT_SELU) backwardLoop(ACT_SELU, x, y, dy, dx, n, a);
  else if (act == ACT_HARD_SIGMOID) backwardLoop(ACT_HARD_SIGMOID, x, y, dy, dx, n, a);
  else if (act == ACT_SOFTPLUS) backwardLoop(ACT_SOFTPLUS, x, y, dy, dx, n, a);
  else if (act == ACT_SOFTSIGN) backwardLoop(ACT_SOFTSIGN, x, y, dy, dx, n, a);
  else if (act == ACT_SWISH) backwardLoop(ACT_SWISH, x, y, dy, dx, n, a);
  else if (act == ACT_GELU) backwardLoop(ACT_GELU, x, y, dy, dx, n, a);
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
