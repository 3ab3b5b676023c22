// Every graph primitive's gradient, one row each (as tinygrad's tinygrad/mixin/gradient.py): a rule
// takes the upstream gradient g (the output's shape) and the node (its inputs, its output y, its
// attributes) and returns one gradient per input, or null where an input gets none, written with the
// same primitives (formula.ts). A row may return a gradient of the output's shape for a broadcast
// input: the op sums it back to the input's shape (ops/primitive.ts `sumTo`).

import type { BinaryOp, UnaryOp } from '../backend/calls/primitive.js';
import {
  add,
  broadcastTo,
  div,
  equal,
  exp,
  greater,
  less,
  log,
  matmul,
  mul,
  neg,
  pow,
  reshape,
  sigmoid,
  sign,
  square,
  step,
  sub,
  where,
} from './formula.js';
import {
  keptShape,
  reduce,
  type BinaryAttrs,
  type ExpandAttrs,
  type MatmulAttrs,
  type ReduceAttrs,
  type UnaryAttrs,
} from './ops/primitive.js';
import type { SymbolicTensor } from './tensor.js';

/** What a rule sees of the node it differentiates. */
export interface GradientInput<A> {
  readonly inputs: readonly SymbolicTensor[];
  readonly y: SymbolicTensor;
  readonly attrs: A;
}

export type GradientRule<A = unknown> = (
  g: SymbolicTensor,
  node: GradientInput<A>,
) => readonly (SymbolicTensor | null)[];

export type GradientTable = { readonly [K in UnaryOp]: GradientRule<UnaryAttrs> } & {
  readonly [K in BinaryOp]: GradientRule<BinaryAttrs>;
} & {
  readonly where: GradientRule;
  readonly reduceSum: GradientRule<ReduceAttrs>;
  readonly reduceMax: GradientRule<ReduceAttrs>;
  readonly reduceMin: GradientRule<ReduceAttrs>;
  readonly argmax: GradientRule<ReduceAttrs>;
  readonly matmul: GradientRule<MatmulAttrs>;
  readonly expand: GradientRule<ExpandAttrs>;
};

const none = () => [null];
const none2 = () => [null, null];

/** g where `wins`, half of g where the operands tie (max and min, as tinygrad splits a tie). */
const share = (g: SymbolicTensor, wins: SymbolicTensor, ties: SymbolicTensor) => mul(g, add(wins, mul(ties, 0.5)));

/** max/min over an axis: g to the elements equal to the result, split equally among ties. */
function extremum(
  g: SymbolicTensor,
  { inputs: [x], y, attrs: { axis } }: GradientInput<ReduceAttrs>,
): SymbolicTensor[] {
  const kept = keptShape(x.shape, axis);
  const mask = equal(x, reshape(y, kept));
  return [mul(mask, div(reshape(g, kept), reduce('sum', mask, axis, true)))];
}

export const GRADIENTS: GradientTable = {
  // y = f(x)
  identity: (g) => [g],
  neg: (g) => [neg(g)],
  abs: (g, { inputs: [x] }) => [mul(g, sign(x))],
  sign: none,
  exp: (g, { y }) => [mul(g, y)],
  log: (g, { inputs: [x] }) => [div(g, x)],
  log1p: (g, { inputs: [x] }) => [div(g, add(x, 1))],
  sqrt: (g, { y }) => [div(g, mul(y, 2))],
  square: (g, { inputs: [x] }) => [mul(g, mul(x, 2))],
  reciprocal: (g, { y }) => [neg(mul(g, square(y)))],
  tanh: (g, { y }) => [mul(g, sub(1, square(y)))],
  sigmoid: (g, { y }) => [mul(g, mul(y, sub(1, y)))],
  softplus: (g, { inputs: [x] }) => [mul(g, sigmoid(x))],
  relu: (g, { inputs: [x] }) => [mul(g, step(x))],
  step: none,
  erf: (g, { inputs: [x] }) => [mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI)))],
  floor: none,

  // y = a ∘ b
  add: (g) => [g, g],
  sub: (g) => [g, neg(g)],
  mul: (g, { inputs: [a, b] }) => [mul(g, b), mul(g, a)],
  div: (g, { inputs: [, b], y }) => [div(g, b), neg(div(mul(g, y), b))],
  max: (g, { inputs: [a, b] }) => [share(g, greater(a, b), equal(a, b)), share(g, less(a, b), equal(a, b))],
  min: (g, { inputs: [a, b] }) => [share(g, less(a, b), equal(a, b)), share(g, greater(a, b), equal(a, b))],
  // ∂aᵇ/∂b = aᵇ·ln a, taken as 0 where a ≤ 0 (no real logarithm)
  pow: (g, { inputs: [a, b], y }) => [
    mul(g, mul(b, pow(a, sub(b, 1)))),
    mul(g, where(greater(a, 0), mul(y, log(a)), 0)),
  ],
  greater: none2,
  greaterEqual: none2,
  less: none2,
  lessEqual: none2,
  equal: none2,

  // y = cond ? a : b
  where: (g, { inputs: [cond] }) => [null, where(cond, g, 0), where(cond, 0, g)],

  // y = Σ x over an axis: g repeated along it
  reduceSum: (g, { inputs: [x], attrs: { axis } }) => [broadcastTo(reshape(g, keptShape(x.shape, axis)), x.shape)],
  reduceMax: extremum,
  reduceMin: extremum,
  argmax: none,

  // y = a·b, either operand stored transposed
  matmul: (g, { inputs: [a, b], attrs: { transposeA, transposeB } }) =>
    transposeA
      ? [matmul(b, g, { transposeB: true }), matmul(a, g)] // y = aᵀb: da = b·gᵀ, db = a·g
      : transposeB
        ? [matmul(g, b), matmul(g, a, { transposeA: true })] // y = a·bᵀ: da = g·b, db = gᵀ·a
        : [matmul(g, b, { transposeB: true }), matmul(a, g, { transposeA: true })], // da = g·bᵀ, db = aᵀ·g

  // y = x broadcast: g, summed back to x's shape by the op
  expand: (g) => [g],
};

/** The table's keys (the tests check every row). */
export const GRADIENT_KEYS = Object.keys(GRADIENTS) as (keyof GradientTable)[];
