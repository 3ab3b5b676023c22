// Formulas on symbolic tensors, written as math: a small functional façade over the graph
// primitives (ops/primitive.ts). Numbers are constants; elementwise operands broadcast numpy-style;
// every function differentiates through the gradient table (gradient-rules.ts).
//
//   const mish = (x: SymbolicTensor) => mul(x, tanh(softplus(x)));
//   const relu6 = (x: SymbolicTensor) => minimum(maximum(x, 0), 6);
//   const centred = sub(x, mean(x, -1, true));

import type { BinaryOp, UnaryOp } from '../backend/calls/primitive.js';
import { ValueError, describe } from '../errors.js';
import { reshape } from './ops/basic.js';
import {
  binary,
  broadcastTo,
  constant,
  matmulPrimitive,
  reduce,
  unary,
  where as whereOp,
  type ReduceAxis,
} from './ops/primitive.js';
import { SymbolicTensor } from './tensor.js';

export { broadcastTo, constant, reshape };

/** A tensor, or a number standing for a constant that broadcasts to the other operand. */
export type Scalar = SymbolicTensor | number;

/** The axes a reduction runs over: -1 (the last axis), 'leading' (every axis but the last); all when omitted. */
export type Axis = -1 | 'leading';

function tensorOf(value: Scalar, op: string, arg: string): SymbolicTensor {
  if (value instanceof SymbolicTensor) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return constant(value);
  throw new ValueError(`${op}: ${arg}: expected a SymbolicTensor or a finite number, received ${describe(value)}.`);
}

const op1 =
  (op: UnaryOp) =>
  (x: SymbolicTensor): SymbolicTensor =>
    unary(op, tensorOf(x, op, 'x'));
const op2 =
  (op: BinaryOp) =>
  (a: Scalar, b: Scalar): SymbolicTensor =>
    binary(op, tensorOf(a, op, 'a'), tensorOf(b, op, 'b'));

// ---- elementwise, one operand ----------------------------------------------------------------------

/** −x */
export const neg = op1('neg');
/** |x| */
export const abs = op1('abs');
/** −1, 0 or 1 */
export const sign = op1('sign');
/** eˣ */
export const exp = op1('exp');
/** ln x */
export const log = op1('log');
/** ln(1 + x), accurate near 0 */
export const log1p = op1('log1p');
/** √x */
export const sqrt = op1('sqrt');
/** x² */
export const square = op1('square');
/** 1/x */
export const reciprocal = op1('reciprocal');
/** tanh x */
export const tanh = op1('tanh');
/** 1/(1 + e⁻ˣ) */
export const sigmoid = op1('sigmoid');
/** ln(1 + eˣ), computed stably */
export const softplus = op1('softplus');
/** max(x, 0) */
export const relu = op1('relu');
/** x > 0 ? 1 : 0 */
export const step = op1('step');
/** the error function */
export const erf = op1('erf');
/** ⌊x⌋ */
export const floor = op1('floor');

/** 1/√x */
export const rsqrt = (x: SymbolicTensor): SymbolicTensor => reciprocal(sqrt(x));

// ---- elementwise, two operands (broadcast) -------------------------------------------------------------

/** a + b */
export const add = op2('add');
/** a − b */
export const sub = op2('sub');
/** a · b */
export const mul = op2('mul');
/** a / b */
export const div = op2('div');
/** aᵇ */
export const pow = op2('pow');
/** the larger of a and b, elementwise (a reduction is `max`) */
export const maximum = op2('max');
/** the smaller of a and b, elementwise (a reduction is `min`) */
export const minimum = op2('min');
/** a > b ? 1 : 0 */
export const greater = op2('greater');
/** a ≥ b ? 1 : 0 */
export const greaterEqual = op2('greaterEqual');
/** a < b ? 1 : 0 */
export const less = op2('less');
/** a ≤ b ? 1 : 0 */
export const lessEqual = op2('lessEqual');
/** a = b ? 1 : 0 */
export const equal = op2('equal');

/**
 * cond ≠ 0 ? a : b, elementwise (the three broadcast together).
 *
 * @example
 * where(greater(x, 0), x, mul(x, 0.2));   // leaky relu
 */
export function where(cond: SymbolicTensor, a: Scalar, b: Scalar): SymbolicTensor {
  return whereOp(tensorOf(cond, 'where', 'cond'), tensorOf(a, 'where', 'a'), tensorOf(b, 'where', 'b'));
}

// ---- reductions ------------------------------------------------------------------------------------------

function reduceAxis(x: SymbolicTensor, axis: Axis | undefined, op: string): ReduceAxis {
  if (!(x instanceof SymbolicTensor))
    throw new ValueError(`${op}: x: expected a SymbolicTensor, received ${describe(x)}.`);
  if (axis === undefined) return 'all';
  if (axis === -1) return 'last';
  if (axis === 'leading') return 'leading';
  throw new ValueError(
    `${op}: axis: expected -1 (the last axis), 'leading' (all but the last) or nothing (every axis), received ` +
      `${describe(axis)}.`,
  );
}

const count = (x: SymbolicTensor, axis: ReduceAxis) =>
  axis === 'all' ? x.size : axis === 'last' ? (x.shape.at(-1) ?? 1) : x.size / (x.shape.at(-1) ?? 1);

/**
 * Σ over `axis` (every axis when omitted); `keepDims` keeps the reduced axes as 1s so that the result
 * broadcasts against x.
 *
 * @example
 * sum(x, -1, true);   // [batch, 1]
 */
export function sum(x: SymbolicTensor, axis?: Axis, keepDims = false): SymbolicTensor {
  return reduce('sum', x, reduceAxis(x, axis, 'sum'), keepDims);
}

/** The largest value over `axis` (see `sum`); ties share the gradient equally. */
export function max(x: SymbolicTensor, axis?: Axis, keepDims = false): SymbolicTensor {
  return reduce('max', x, reduceAxis(x, axis, 'max'), keepDims);
}

/** The smallest value over `axis` (see `sum`). */
export function min(x: SymbolicTensor, axis?: Axis, keepDims = false): SymbolicTensor {
  return reduce('min', x, reduceAxis(x, axis, 'min'), keepDims);
}

/** The index of the first largest value over `axis`, as a float (no gradient). */
export function argmax(x: SymbolicTensor, axis: Axis = -1, keepDims = false): SymbolicTensor {
  return reduce('argmax', x, reduceAxis(x, axis, 'argmax'), keepDims);
}

/**
 * The mean over `axis` (see `sum`).
 *
 * @example
 * const centred = sub(x, mean(x, -1, true));
 */
export function mean(x: SymbolicTensor, axis?: Axis, keepDims = false): SymbolicTensor {
  const a = reduceAxis(x, axis, 'mean');
  return mul(reduce('sum', x, a, keepDims), 1 / count(x, a));
}

/** The biased variance, mean((x − mean x)²), over `axis` (see `sum`). */
export function variance(x: SymbolicTensor, axis?: Axis, keepDims = false): SymbolicTensor {
  return mean(square(sub(x, mean(x, axis, true))), axis, keepDims);
}

// ---- products ----------------------------------------------------------------------------------------

/**
 * The matrix product a·b of two 2-D tensors, either (not both) read transposed.
 *
 * @example
 * matmul(g, w, { transposeB: true });   // g·wᵀ
 */
export function matmul(
  a: SymbolicTensor,
  b: SymbolicTensor,
  options: { transposeA?: boolean; transposeB?: boolean } = {},
): SymbolicTensor {
  for (const key of Object.keys(options)) {
    if (key !== 'transposeA' && key !== 'transposeB')
      throw new ValueError(`matmul: unknown option ${JSON.stringify(key)}; the options are transposeA, transposeB.`);
  }
  return matmulPrimitive(
    tensorOf(a, 'matmul', 'a'),
    tensorOf(b, 'matmul', 'b'),
    options.transposeA ?? false,
    options.transposeB ?? false,
  );
}
