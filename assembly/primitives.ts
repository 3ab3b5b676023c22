// The primitive kernels: the small set of calls every backend implements (src/backend/calls/
// primitive.ts), which the default compositions of the fused calls are written in.
//
// Elementwise kernels run f32x4 vectors over each row, then one partial vector for the 1–3 remaining
// floats (loadTail/storeTail: nothing outside the operands is touched) through the same lane
// function, so every element gets the same instructions wherever it sits: results do not depend on
// how the lowering splits a call over threads. In place (y equal to a whole-matrix operand) is
// allowed: each vector is read before it is written.
//
// The op dispatch sits outside the loops: each op's loop is an @inline function instantiated with a
// constant code (as activations.ts does), so the optimizer folds the dispatch away inside it.
//
// Codes: UNARY_*, BINARY_*, REDUCE_* (the ops of src/backend/calls/primitive.ts) and MODE_* (operand
// modes: full [rows, cols]; row [cols], repeated on every row; column [rows], repeated along each
// row; scalar, one value in memory; constant, the value argument), generated from
// src/backend/wasm/codes.ts into generated/codes.ts.

import { expFull4, hsum4 } from './math';
import { erf4, log1p4, log4, relu4, sigmoid4, softplus4, tanh4 } from './activation-math';
import { rowArgmax } from './reductions';
import { loadTail, madd, storeTail } from './simd';
import {
  BINARY_ADD, BINARY_DIV, BINARY_EQUAL, BINARY_GREATER, BINARY_GREATER_EQUAL, BINARY_LESS, BINARY_LESS_EQUAL, BINARY_MAX, BINARY_MIN, BINARY_MUL,
  BINARY_POW, BINARY_SUB, MODE_COLUMN, MODE_CONSTANT, MODE_FULL, MODE_ROW, MODE_SCALAR, REDUCE_ARGMAX, REDUCE_MAX, REDUCE_MIN, REDUCE_SUM,
  UNARY_ABS, UNARY_ERF, UNARY_EXP, UNARY_FLOOR, UNARY_IDENTITY, UNARY_LOG, UNARY_LOG1P, UNARY_NEG, UNARY_RECIPROCAL, UNARY_RELU, UNARY_SIGMOID,
  UNARY_SIGN, UNARY_SOFTPLUS, UNARY_SQRT, UNARY_SQUARE, UNARY_STEP, UNARY_TANH,
} from './generated/codes';

// Splatted constants in a static table (V8 rebuilds a v128.const inside every loop iteration; a
// load is one instruction): 1, −1, −0 (the sign mask).
const K: usize = memory.data<f32>([1, 1, 1, 1, -1, -1, -1, -1, -0.0, -0.0, -0.0, -0.0], 16);

// @ts-ignore: decorator
@inline
function one4(): v128 {
  return v128.load(K);
}

// ---------------------------------------------------------------------------------------------
// Unary

// @ts-ignore: decorator
@inline
function unary4(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0);
  if (op == UNARY_NEG) return f32x4.neg(x);
  if (op == UNARY_ABS) return f32x4.abs(x);
  // 1, −1 or 0 (0 for ±0 and NaN: both compares are false)
  if (op == UNARY_SIGN) return v128.or(v128.and(f32x4.gt(x, zero), one4()), v128.and(f32x4.lt(x, zero), v128.load(K, 16)));
  if (op == UNARY_EXP) return expFull4(x);
  if (op == UNARY_LOG) return log4(x);
  if (op == UNARY_LOG1P) return log1p4(x);
  if (op == UNARY_SQRT) return f32x4.sqrt(x);
  if (op == UNARY_SQUARE) return f32x4.mul(x, x);
  if (op == UNARY_RECIPROCAL) return f32x4.div(one4(), x);
  if (op == UNARY_TANH) return tanh4(x);
  if (op == UNARY_SIGMOID) return sigmoid4(x);
  if (op == UNARY_SOFTPLUS) return softplus4(x);
  if (op == UNARY_RELU) return relu4(x);
  if (op == UNARY_STEP) return v128.and(f32x4.gt(x, zero), one4());
  if (op == UNARY_ERF) return erf4(x);
  return f32x4.floor(x);
}

// @ts-ignore: decorator
@inline
function unaryLoop(op: i32, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i <= n - 4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, unary4(op, v128.load(x + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const r = n - i;
    storeTail(y + o, unary4(op, loadTail(x + o, r)), r);
  }
}

/**
 * y = f(x) elementwise over n floats, f by its unary code (identity copies; the lowering calls
 * copyF32 for it). x == y allowed. exp is +Inf above 88.7228 and 0 below −87.33 (no subnormals);
 * log, log1p, erf, tanh, sigmoid and softplus keep their float32 error under ~2 ulp.
 */
export function unaryF32(op: i32, x: usize, y: usize, n: i32): void {
  if (op == UNARY_IDENTITY) {
    if (x != y && n > 0) memory.copy(y, x, <usize>n << 2);
  } else if (op == UNARY_NEG) unaryLoop(UNARY_NEG, x, y, n);
  else if (op == UNARY_ABS) unaryLoop(UNARY_ABS, x, y, n);
  else if (op == UNARY_SIGN) unaryLoop(UNARY_SIGN, x, y, n);
  else if (op == UNARY_EXP) unaryLoop(UNARY_EXP, x, y, n);
  else if (op == UNARY_LOG) unaryLoop(UNARY_LOG, x, y, n);
  else if (op == UNARY_LOG1P) unaryLoop(UNARY_LOG1P, x, y, n);
  else if (op == UNARY_SQRT) unaryLoop(UNARY_SQRT, x, y, n);
  else if (op == UNARY_SQUARE) unaryLoop(UNARY_SQUARE, x, y, n);
  else if (op == UNARY_RECIPROCAL) unaryLoop(UNARY_RECIPROCAL, x, y, n);
  else if (op == UNARY_TANH) unaryLoop(UNARY_TANH, x, y, n);
  else if (op == UNARY_SIGMOID) unaryLoop(UNARY_SIGMOID, x, y, n);
  else if (op == UNARY_SOFTPLUS) unaryLoop(UNARY_SOFTPLUS, x, y, n);
  else if (op == UNARY_RELU) unaryLoop(UNARY_RELU, x, y, n);
  else if (op == UNARY_STEP) unaryLoop(UNARY_STEP, x, y, n);
  else if (op == UNARY_ERF) unaryLoop(UNARY_ERF, x, y, n);
  else if (op == UNARY_FLOOR) unaryLoop(UNARY_FLOOR, x, y, n);
}

// ---------------------------------------------------------------------------------------------
// Binary

/** Math.pow's value in float32, lane by lane (rare in compositions: scalar powf per lane). */
function pow1(a: f32, b: f32): f32 {
  // where C's powf and Math.pow differ: a NaN exponent, and ±1 to an infinite power, are NaN
  if (isNaN(b) || (Mathf.abs(a) == 1 && !isFinite(b))) return NaN;
  return Mathf.pow(a, b);
}

// @ts-ignore: decorator
@inline
function pow4(a: v128, b: v128): v128 {
  let r = f32x4.splat(pow1(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
  r = f32x4.replace_lane(r, 1, pow1(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
  r = f32x4.replace_lane(r, 2, pow1(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
  return f32x4.replace_lane(r, 3, pow1(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
}

// @ts-ignore: decorator
@inline
function binary4(op: i32, a: v128, b: v128, one: v128): v128 {
  if (op == BINARY_ADD) return f32x4.add(a, b);
  if (op == BINARY_SUB) return f32x4.sub(a, b);
  if (op == BINARY_MUL) return f32x4.mul(a, b);
  if (op == BINARY_DIV) return f32x4.div(a, b);
  // NaN-propagating, −0 < +0: Math.max and Math.min
  if (op == BINARY_MAX) return f32x4.max(a, b);
  if (op == BINARY_MIN) return f32x4.min(a, b);
  if (op == BINARY_POW) return pow4(a, b);
  if (op == BINARY_GREATER) return v128.and(f32x4.gt(a, b), one);
  if (op == BINARY_GREATER_EQUAL) return v128.and(f32x4.ge(a, b), one);
  if (op == BINARY_LESS) return v128.and(f32x4.lt(a, b), one);
  if (op == BINARY_LESS_EQUAL) return v128.and(f32x4.le(a, b), one);
  return v128.and(f32x4.eq(a, b), one);
}

// One row of y = a ∘ b: an operand is a stream (aS false: floats at pa) or one value (aS true: va).
// @ts-ignore: decorator
@inline
function binaryRun(op: i32, aS: bool, bS: bool, pa: usize, va: v128, pb: usize, vb: v128, y: usize, cols: i32): void {
  const one = one4();
  let j = 0;
  for (; j <= cols - 4; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, binary4(op, aS ? va : v128.load(pa + o), bS ? vb : v128.load(pb + o), one));
  }
  if (j < cols) {
    const o = <usize>j << 2;
    const r = cols - j;
    storeTail(y + o, binary4(op, aS ? va : loadTail(pa + o, r), bS ? vb : loadTail(pb + o, r), one), r);
  }
}

// @ts-ignore: decorator
@inline
function binaryKinds(op: i32, aS: bool, bS: bool, pa: usize, va: v128, pb: usize, vb: v128, y: usize, cols: i32): void {
  if (!aS && !bS) binaryRun(op, false, false, pa, va, pb, vb, y, cols);
  else if (!aS) binaryRun(op, false, true, pa, va, pb, vb, y, cols);
  else if (!bS) binaryRun(op, true, false, pa, va, pb, vb, y, cols);
  else binaryRun(op, true, true, pa, va, pb, vb, y, cols);
}

function binaryRow(op: i32, aS: bool, bS: bool, pa: usize, va: v128, pb: usize, vb: v128, y: usize, cols: i32): void {
  if (op == BINARY_ADD) binaryKinds(BINARY_ADD, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_SUB) binaryKinds(BINARY_SUB, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_MUL) binaryKinds(BINARY_MUL, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_DIV) binaryKinds(BINARY_DIV, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_MAX) binaryKinds(BINARY_MAX, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_MIN) binaryKinds(BINARY_MIN, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_POW) binaryKinds(BINARY_POW, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_GREATER) binaryKinds(BINARY_GREATER, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_GREATER_EQUAL) binaryKinds(BINARY_GREATER_EQUAL, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_LESS) binaryKinds(BINARY_LESS, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_LESS_EQUAL) binaryKinds(BINARY_LESS_EQUAL, aS, bS, pa, va, pb, vb, y, cols);
  else if (op == BINARY_EQUAL) binaryKinds(BINARY_EQUAL, aS, bS, pa, va, pb, vb, y, cols);
}

/** Row r's stream of an operand (full: its row; row: the vector itself; the one-value modes: none). */
// @ts-ignore: decorator
@inline
function streamOf(mode: i32, p: usize, r: i32, stride: usize): usize {
  return mode == MODE_FULL ? p + <usize>r * stride : mode == MODE_ROW ? p : 0;
}

/** Whether an operand is one value along a row (column, scalar, constant) rather than a stream. */
// @ts-ignore: decorator
@inline
function isValue(mode: i32): bool {
  return mode == MODE_COLUMN || mode == MODE_SCALAR || mode == MODE_CONSTANT;
}

/** Row r's value of a one-value operand (column: element r; scalar: element 0; constant: value). */
// @ts-ignore: decorator
@inline
function splatOf(mode: i32, p: usize, value: f32, r: i32): v128 {
  if (mode == MODE_COLUMN) return v128.load32_splat(p + (<usize>r << 2));
  if (mode == MODE_SCALAR) return v128.load32_splat(p);
  return f32x4.splat(value);
}

/**
 * y = a ∘ b over [rows, cols] (op: a binary code), each operand by its mode: a pointer (0 for a
 * constant) and a value (used by a constant only). Row by row; within a row an operand is a stream
 * of floats (full, row) or one value (column, scalar, constant). y may be a full operand.
 */
export function binaryF32(op: i32, a: usize, aMode: i32, aValue: f32, b: usize, bMode: i32, bValue: f32, y: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  const aS = isValue(aMode);
  const bS = isValue(bMode);
  for (let r = 0; r < rows; r++) {
    const va = aS ? splatOf(aMode, a, aValue, r) : f32x4.splat(0);
    const vb = bS ? splatOf(bMode, b, bValue, r) : f32x4.splat(0);
    binaryRow(op, aS, bS, streamOf(aMode, a, r, stride), va, streamOf(bMode, b, r, stride), vb, y + <usize>r * stride, cols);
  }
}

// ---------------------------------------------------------------------------------------------
// Where

// @ts-ignore: decorator
@inline
function whereRun(cS: bool, aS: bool, bS: bool, pc: usize, vc: v128, pa: usize, va: v128, pb: usize, vb: v128, y: usize, cols: i32): void {
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j <= cols - 4; j += 4) {
    const o = <usize>j << 2;
    // cond ≠ 0 (NaN included) takes a
    const take = f32x4.ne(cS ? vc : v128.load(pc + o), zero);
    v128.store(y + o, v128.bitselect(aS ? va : v128.load(pa + o), bS ? vb : v128.load(pb + o), take));
  }
  if (j < cols) {
    const o = <usize>j << 2;
    const r = cols - j;
    const take = f32x4.ne(cS ? vc : loadTail(pc + o, r), zero);
    storeTail(y + o, v128.bitselect(aS ? va : loadTail(pa + o, r), bS ? vb : loadTail(pb + o, r), take), r);
  }
}

function whereRow(cS: bool, aS: bool, bS: bool, pc: usize, vc: v128, pa: usize, va: v128, pb: usize, vb: v128, y: usize, cols: i32): void {
  if (!cS) {
    if (!aS && !bS) whereRun(false, false, false, pc, vc, pa, va, pb, vb, y, cols);
    else if (!aS) whereRun(false, false, true, pc, vc, pa, va, pb, vb, y, cols);
    else if (!bS) whereRun(false, true, false, pc, vc, pa, va, pb, vb, y, cols);
    else whereRun(false, true, true, pc, vc, pa, va, pb, vb, y, cols);
  } else {
    if (!aS && !bS) whereRun(true, false, false, pc, vc, pa, va, pb, vb, y, cols);
    else if (!aS) whereRun(true, false, true, pc, vc, pa, va, pb, vb, y, cols);
    else if (!bS) whereRun(true, true, false, pc, vc, pa, va, pb, vb, y, cols);
    else whereRun(true, true, true, pc, vc, pa, va, pb, vb, y, cols);
  }
}

/** y = cond ≠ 0 ? a : b over [rows, cols], operands as binaryF32's. y may be a full operand. */
export function whereF32(
  c: usize, cMode: i32, cValue: f32, a: usize, aMode: i32, aValue: f32, b: usize, bMode: i32, bValue: f32, y: usize, rows: i32, cols: i32,
): void {
  const stride = <usize>cols << 2;
  const cS = cMode >= MODE_COLUMN;
  const aS = isValue(aMode);
  const bS = isValue(bMode);
  for (let r = 0; r < rows; r++) {
    const vc = cS ? splatOf(cMode, c, cValue, r) : f32x4.splat(0);
    const va = aS ? splatOf(aMode, a, aValue, r) : f32x4.splat(0);
    const vb = bS ? splatOf(bMode, b, bValue, r) : f32x4.splat(0);
    whereRow(cS, aS, bS, streamOf(cMode, c, r, stride), vc, streamOf(aMode, a, r, stride), va, streamOf(bMode, b, r, stride), vb, y + <usize>r * stride, cols);
  }
}

// ---------------------------------------------------------------------------------------------
// Reductions

/** Σ row[0..cols) in f64: two f64x2 lanes pairs over whole vectors, then the remainder in order. */
function rowSum(row: usize, cols: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let j = 0;
  for (; j <= cols - 4; j += 4) {
    const v = v128.load(row + (<usize>j << 2));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
  }
  const s = f64x2.add(lo, hi);
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < cols; j++) total += <f64>load<f32>(row + (<usize>j << 2));
  return total;
}

/** max (op REDUCE_MAX) or min of row[0..cols), NaN-propagating; cols ≥ 1. */
// @ts-ignore: decorator
@inline
function rowExtreme(op: i32, row: usize, cols: i32): f32 {
  let m = load<f32>(row);
  let j = 0;
  if (cols >= 4) {
    let v = v128.load(row);
    for (j = 4; j <= cols - 4; j += 4) {
      const w = v128.load(row + (<usize>j << 2));
      v = op == REDUCE_MAX ? f32x4.max(v, w) : f32x4.min(v, w);
    }
    const a = f32x4.extract_lane(v, 0), b = f32x4.extract_lane(v, 1), c = f32x4.extract_lane(v, 2), d = f32x4.extract_lane(v, 3);
    m = op == REDUCE_MAX ? max(max(a, b), max(c, d)) : min(min(a, b), min(c, d));
  }
  for (; j < cols; j++) {
    const w = load<f32>(row + (<usize>j << 2));
    m = op == REDUCE_MAX ? max(m, w) : min(m, w);
  }
  return m;
}

/**
 * y[i] = op over row i of x [rows, cols] (the primitive's axis 'cols'): sum (accumulated in f64),
 * max, min (NaN-propagating), or argmax (the first largest value's index, as a float; NaN is never
 * chosen unless it comes first). An empty row gives 0, −Inf, +Inf, 0.
 */
export function reduceEachRow(op: i32, x: usize, y: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * stride;
    let v: f32;
    if (cols <= 0) v = op == REDUCE_MAX ? -Infinity : op == REDUCE_MIN ? Infinity : 0;
    else if (op == REDUCE_SUM) v = <f32>rowSum(row, cols);
    else if (op == REDUCE_MAX) v = rowExtreme(REDUCE_MAX, row, cols);
    else if (op == REDUCE_MIN) v = rowExtreme(REDUCE_MIN, row, cols);
    else v = <f32>rowArgmax(row, cols);
    store<f32>(y + (<usize>r << 2), v);
  }
}

// Columns j..j+3 (w = 4) or column j alone (w = 1) of x, summed down the rows in f64 in row order.
// @ts-ignore: decorator
@inline
function columnSum4(x: usize, ld4: usize, rows: i32, y: usize): void {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let p = x;
  for (let i = 0; i < rows; i++) {
    const v = v128.load(p);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
    p += ld4;
  }
  store<f32>(y, <f32>f64x2.extract_lane(lo, 0));
  store<f32>(y, <f32>f64x2.extract_lane(lo, 1), 4);
  store<f32>(y, <f32>f64x2.extract_lane(hi, 0), 8);
  store<f32>(y, <f32>f64x2.extract_lane(hi, 1), 12);
}

// max (op REDUCE_MAX) or min of columns j..j+3 down the rows (rows ≥ 1).
// @ts-ignore: decorator
@inline
function columnExtreme4(op: i32, x: usize, ld4: usize, rows: i32, y: usize): void {
  let v = v128.load(x);
  let p = x + ld4;
  for (let i = 1; i < rows; i++) {
    const w = v128.load(p);
    v = op == REDUCE_MAX ? f32x4.max(v, w) : f32x4.min(v, w);
    p += ld4;
  }
  v128.store(y, v);
}

// argmax of columns j..j+3 down the rows (rows ≥ 1): strict > keeps the first; indices as floats.
// @ts-ignore: decorator
@inline
function columnArgmax4(x: usize, ld4: usize, rows: i32, y: usize): void {
  let best = v128.load(x);
  let bi = i32x4.splat(0);
  let idx = i32x4.splat(0);
  const step = i32x4.splat(1);
  let p = x + ld4;
  for (let i = 1; i < rows; i++) {
    idx = i32x4.add(idx, step);
    const v = v128.load(p);
    const gt = f32x4.gt(v, best);
    best = v128.bitselect(v, best, gt);
    bi = v128.bitselect(idx, bi, gt);
    p += ld4;
  }
  v128.store(y, f32x4.convert_i32x4_s(bi));
}

/**
 * y[j] = op down column j of x [rows, cols] with rows ld floats apart (the primitive's axis 'rows'):
 * sum (f64, in row order), max, min, argmax (the first largest row's index, as a float). Four
 * columns at a time, then single columns with the same arithmetic per column. An empty column
 * gives 0, −Inf, +Inf, 0.
 */
export function reduceEachColumn(op: i32, x: usize, y: usize, rows: i32, cols: i32, ld: i32): void {
  const ld4 = <usize>ld << 2;
  if (rows <= 0) {
    const v: f32 = op == REDUCE_MAX ? -Infinity : op == REDUCE_MIN ? Infinity : 0;
    for (let j = 0; j < cols; j++) store<f32>(y + (<usize>j << 2), v);
    return;
  }
  let j = 0;
  for (; j <= cols - 4; j += 4) {
    const o = <usize>j << 2;
    if (op == REDUCE_SUM) columnSum4(x + o, ld4, rows, y + o);
    else if (op == REDUCE_MAX) columnExtreme4(REDUCE_MAX, x + o, ld4, rows, y + o);
    else if (op == REDUCE_MIN) columnExtreme4(REDUCE_MIN, x + o, ld4, rows, y + o);
    else columnArgmax4(x + o, ld4, rows, y + o);
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let p = x + o;
    if (op == REDUCE_SUM) {
      let s: f64 = 0;
      for (let i = 0; i < rows; i++) {
        s += <f64>load<f32>(p);
        p += ld4;
      }
      store<f32>(y + o, <f32>s);
    } else if (op == REDUCE_ARGMAX) {
      let best = load<f32>(p);
      let bi = 0;
      for (let i = 1; i < rows; i++) {
        p += ld4;
        const v = load<f32>(p);
        if (v > best) {
          best = v;
          bi = i;
        }
      }
      store<f32>(y + o, <f32>bi);
    } else {
      let m = load<f32>(p);
      for (let i = 1; i < rows; i++) {
        p += ld4;
        m = op == REDUCE_MAX ? max(m, load<f32>(p)) : min(m, load<f32>(p));
      }
      store<f32>(y + o, m);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One-hot rows

/** y [rows, cols] = 1 at column labels[i] (int32) of row i, 0 elsewhere (a label outside [0, cols): a row of zeros). */
export function oneHotF32(labels: usize, y: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  if (rows > 0 && cols > 0) memory.fill(y, 0, <usize>rows * stride);
  for (let r = 0; r < rows; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    if (label >= 0 && label < cols) store<f32>(y + <usize>r * stride + (<usize>label << 2), 1);
  }
}

// ---------------------------------------------------------------------------------------------
// A·Bᵀ without scratch

// Element C[i][j] = Σ_p A[i][p]·B[j][p]: four lanes of partial sums over p in steps of 4 (madd), then
// (lane 0 + lane 2) + (lane 1 + lane 3), then the k % 4 remaining products in order. Every element
// goes through exactly these operations whichever block computes it.
// @ts-ignore: decorator
@inline
function dotTail(s: f32, a: usize, b: usize, k4: i32, k: i32): f32 {
  for (let p = k4; p < k; p++) s += load<f32>(a + (<usize>p << 2)) * load<f32>(b + (<usize>p << 2));
  return s;
}

// 2 rows of A × 4 rows of B: 8 accumulators. loop: p (k, 4 at a time).
function dot2x4(a: usize, lda4: usize, b: usize, ldb4: usize, k: i32, c: usize, ldc4: usize): void {
  const a1 = a + lda4;
  const b1 = b + ldb4, b2 = b1 + ldb4, b3 = b2 + ldb4;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) {
    const o = <usize>p << 2;
    const x0 = v128.load(a + o), x1 = v128.load(a1 + o);
    let w = v128.load(b + o);
    c00 = madd(x0, w, c00); c10 = madd(x1, w, c10);
    w = v128.load(b1 + o);
    c01 = madd(x0, w, c01); c11 = madd(x1, w, c11);
    w = v128.load(b2 + o);
    c02 = madd(x0, w, c02); c12 = madd(x1, w, c12);
    w = v128.load(b3 + o);
    c03 = madd(x0, w, c03); c13 = madd(x1, w, c13);
  }
  store<f32>(c, dotTail(hsum4(c00), a, b, k4, k));
  store<f32>(c, dotTail(hsum4(c01), a, b1, k4, k), 4);
  store<f32>(c, dotTail(hsum4(c02), a, b2, k4, k), 8);
  store<f32>(c, dotTail(hsum4(c03), a, b3, k4, k), 12);
  const r1 = c + ldc4;
  store<f32>(r1, dotTail(hsum4(c10), a1, b, k4, k));
  store<f32>(r1, dotTail(hsum4(c11), a1, b1, k4, k), 4);
  store<f32>(r1, dotTail(hsum4(c12), a1, b2, k4, k), 8);
  store<f32>(r1, dotTail(hsum4(c13), a1, b3, k4, k), 12);
}

// One element. loop: p (k, 4 at a time).
function dot1x1(a: usize, b: usize, k: i32, c: usize): void {
  let acc = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) {
    const o = <usize>p << 2;
    acc = madd(v128.load(a + o), v128.load(b + o), acc);
  }
  store<f32>(c, dotTail(hsum4(acc), a, b, k4, k));
}

/**
 * C[m×n] = A·Bᵀ with A [m×k] (stride lda) and B stored [n×k] (stride ldb), read in place: the matmul
 * primitive's nt layout, which has no scratch to pack Bᵀ into (gemmNT needs one). Dot products along
 * k, both operands contiguous there: ~0.8× gemmNT's speed here (a quiet run: 35–40 against 40–47
 * GFLOP/s at 128×784×300, 32×300×100 and 128×300×100, relaxed SIMD). Any split of C's rows
 * or columns gives the same bits (every element is computed alike, see dotTail).
 * loop order: jc (n, 4 columns: 4 rows of B, L1-resident for small k) > ic (m, 2 rows; the last odd row
 * alone) > p (k); then the last n % 4 columns one by one.
 */
export function gemmNTDot(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  const m2 = m & ~1;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const bj = b + <usize>j * ldb4;
    const cj = c + (<usize>j << 2);
    for (let i = 0; i < m2; i += 2) dot2x4(a + <usize>i * lda4, lda4, bj, ldb4, k, cj + <usize>i * ldc4, ldc4);
    if (m2 < m) {
      const ai = a + <usize>m2 * lda4;
      const ci = cj + <usize>m2 * ldc4;
      for (let t = 0; t < 4; t++) dot1x1(ai, bj + <usize>t * ldb4, k, ci + (<usize>t << 2));
    }
  }
  for (; j < n; j++) {
    const bj = b + <usize>j * ldb4;
    for (let i = 0; i < m; i++) dot1x1(a + <usize>i * lda4, bj, k, c + <usize>i * ldc4 + (<usize>j << 2));
  }
}
