// The graph primitives: one graph op per primitive call (constant, unary, binary, where, reduce,
// matmul, and expand, a broadcast copy), each a shape rule and the call it emits. Their gradient
// rules are not here: every one is a row of one table (../gradient-rules.ts), written with these same
// primitives. Elementwise operands broadcast numpy-style (primitive-broadcast.ts); the gradient of a
// broadcast operand is summed back to its shape here, once, so that a table row need not care.
//
// These are the building blocks of ../formula.ts, where formulas read as math.

import type { HostScalar, KernelCall } from '../../backend/backend.js';
import {
  BINARY_OPS,
  REDUCE_OPS,
  UNARY_OPS,
  type BinaryOp,
  type Operand,
  type ReduceOp,
  type UnaryOp,
} from '../../backend/calls/primitive.js';
import { ShapeError, ValueError, describe } from '../../errors.js';
import { GRADIENTS, type GradientRule } from '../gradient-rules.js';
import { OBJECTIVE, formatShape, sameShape, type EmitContext, type OpDef } from '../op.js';
import { apply1, type Node, type SymbolicTensor, type TensorInfo } from '../tensor.js';
import { reshape } from './basic.js';
import { broadcastShapes, planBroadcast, tryPlanBroadcast, type OperandMode } from './primitive-broadcast.js';

export interface ConstantAttrs {
  readonly value: number | HostScalar;
}
export interface UnaryAttrs {
  readonly op: UnaryOp;
}
export interface BinaryAttrs {
  readonly op: BinaryOp;
}
/** 'last': along the last axis; 'leading': over every axis but the last; 'all': over everything. */
export type ReduceAxis = 'last' | 'leading' | 'all';
export interface ReduceAttrs {
  readonly op: ReduceOp;
  readonly axis: ReduceAxis;
  /** Keep reduced axes as 1s (so that the result broadcasts against the input). */
  readonly keepDims: boolean;
}
export interface MatmulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}
export interface ExpandAttrs {
  readonly shape: readonly number[];
}

const float32 = (shape: readonly number[]): TensorInfo[] => [{ shape, dtype: 'float32' }];

function checkFloat(op: string, inputs: readonly TensorInfo[]): void {
  const bad = inputs.find((t) => t.dtype !== 'float32');
  if (bad)
    throw new ValueError(
      `${op}: expected float32 operands, received ${bad.dtype} ${formatShape(bad.shape)}. Cast integer labels to ` +
        `float32 first.`,
    );
}

/** How an elementwise call reads `t`: a constant's value inline, any other tensor by its storage. */
function operand(ctx: EmitContext, t: SymbolicTensor, mode: OperandMode): Operand {
  const node = t.node;
  if (node?.op === constantOp) return { kind: 'constant', value: (node.attrs as ConstantAttrs).value };
  return { kind: mode, slice: ctx.slice(t) };
}

/**
 * The node's gradient from its table row: the upstream (ones when the node's output is the
 * objective itself), each input's gradient summed back to that input's shape.
 */
function tableGradient<A>(key: (attrs: A) => keyof typeof GRADIENTS): NonNullable<OpDef<A>['gradient']> {
  return (node, [upstream], needed) => {
    const y = node.outputs[0];
    const g =
      upstream === OBJECTIVE || upstream === null ? broadcastTo(constant(1), y.shape) : (upstream as SymbolicTensor);
    const rule = GRADIENTS[key(node.attrs)] as GradientRule<A>;
    const grads = rule(g, { inputs: node.inputs, y, attrs: node.attrs });
    return node.inputs.map((x, i) => {
      const dx = grads[i];
      return needed[i] && dx ? sumTo(dx, x.shape) : null;
    });
  };
}

export const constantOp: OpDef<ConstantAttrs> = {
  name: 'constant',
  infer: () => float32([]),
  emit: (ctx, node) => [{ kind: 'fill', y: ctx.slice(node.outputs[0]), n: 1, value: node.attrs.value }],
};

export const unaryOp: OpDef<UnaryAttrs> = {
  name: 'unary',
  infer(inputs, { op }) {
    checkFloat(op, inputs);
    return float32(inputs[0].shape);
  },
  emit: (ctx, node) => [
    {
      kind: 'unary',
      op: node.attrs.op,
      x: ctx.slice(node.inputs[0]),
      y: ctx.slice(node.outputs[0]),
      n: node.outputs[0].size,
    },
  ],
  gradient: tableGradient((a) => a.op),
};

/** Emits an elementwise call over the output's broadcast plan. */
function elementwise(
  ctx: EmitContext,
  node: Node,
  name: string,
  make: (operands: Operand[], rows: number, cols: number) => KernelCall,
): KernelCall[] {
  const out = node.outputs[0];
  const plan = planBroadcast(
    name,
    out.shape,
    node.inputs.map((t) => t.shape),
  );
  return [
    make(
      node.inputs.map((t, i) => operand(ctx, t, plan.modes[i])),
      plan.rows,
      plan.cols,
    ),
  ];
}

function inferBroadcast(op: string, inputs: readonly TensorInfo[]): TensorInfo[] {
  checkFloat(op, inputs);
  const shapes = inputs.map((t) => t.shape);
  const out = broadcastShapes(op, shapes);
  planBroadcast(op, out, shapes);
  return float32(out);
}

export const binaryOp: OpDef<BinaryAttrs> = {
  name: 'binary',
  infer: (inputs, { op }) => inferBroadcast(op, inputs),
  emit: (ctx, node) =>
    elementwise(ctx, node, node.attrs.op, ([a, b], rows, cols) => ({
      kind: 'binary',
      op: node.attrs.op,
      a,
      b,
      y: ctx.slice(node.outputs[0]),
      rows,
      cols,
    })),
  gradient: tableGradient((a) => a.op),
};

export const whereOp: OpDef<Record<string, never>> = {
  name: 'where',
  infer: (inputs) => inferBroadcast('where', inputs),
  emit: (ctx, node) =>
    elementwise(ctx, node, 'where', ([cond, a, b], rows, cols) => ({
      kind: 'where',
      cond,
      a,
      b,
      y: ctx.slice(node.outputs[0]),
      rows,
      cols,
    })),
  gradient: tableGradient(() => 'where'),
};

/** The [rows, cols] view a reduction reads, and which of the two it reduces. */
function reduceView(
  shape: readonly number[],
  axis: ReduceAxis,
): { rows: number; cols: number; along: 'rows' | 'cols' } {
  const size = shape.reduce((a, b) => a * b, 1);
  if (axis === 'all') return { rows: 1, cols: size, along: 'cols' };
  const cols = shape.length > 0 ? shape[shape.length - 1] : 1;
  return { rows: size / cols, cols, along: axis === 'last' ? 'cols' : 'rows' };
}

/** The shape a reduction of `shape` gives with keepDims (reduced axes kept as 1s). */
export function keptShape(shape: readonly number[], axis: ReduceAxis): number[] {
  const r = shape.length;
  if (axis === 'all') return new Array<number>(r).fill(1);
  if (axis === 'last') return r === 0 ? [] : [...shape.slice(0, -1), 1];
  return r === 0 ? [] : [...new Array<number>(r - 1).fill(1), shape[r - 1]];
}

function reducedShape(shape: readonly number[], axis: ReduceAxis, keepDims: boolean): number[] {
  if (keepDims) return keptShape(shape, axis);
  if (axis === 'all') return [];
  if (axis === 'last') return shape.slice(0, -1);
  return shape.length === 0 ? [] : [shape[shape.length - 1]];
}

const REDUCE_KEYS = { sum: 'reduceSum', max: 'reduceMax', min: 'reduceMin', argmax: 'argmax' } as const;

export const reduceOp: OpDef<ReduceAttrs> = {
  name: 'reduce',
  infer(inputs, { op, axis, keepDims }) {
    checkFloat(op, inputs);
    return float32(reducedShape(inputs[0].shape, axis, keepDims));
  },
  emit(ctx, node) {
    const x = node.inputs[0];
    const { rows, cols, along } = reduceView(x.shape, node.attrs.axis);
    return [
      { kind: 'reduce', op: node.attrs.op, axis: along, x: ctx.slice(x), y: ctx.slice(node.outputs[0]), rows, cols },
    ];
  },
  gradient: tableGradient((a) => REDUCE_KEYS[a.op]),
};

function matmulDims(
  a: readonly number[],
  b: readonly number[],
  { transposeA, transposeB }: MatmulAttrs,
): { m: number; n: number; k: number } {
  const shapes = `${formatShape(a)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b)}${transposeB ? 'ᵀ' : ''}`;
  if (a.length !== 2 || b.length !== 2)
    throw new ShapeError(`matmul: expected two matrices, received ${shapes}. Reshape the operands to 2-D first.`);
  if (transposeA && transposeB)
    throw new ShapeError(
      `matmul: ${shapes}: both operands transposed is not a primitive layout; compute (b · a)ᵀ's factors the ` +
        `other way round.`,
    );
  const [m, k] = transposeA ? [a[1], a[0]] : [a[0], a[1]];
  const [kb, n] = transposeB ? [b[1], b[0]] : [b[0], b[1]];
  if (k !== kb) throw new ShapeError(`matmul: ${shapes}: the inner dimensions differ (${k} and ${kb}).`);
  return { m, n, k };
}

export const matmulOp: OpDef<MatmulAttrs> = {
  name: 'matmulPrimitive',
  infer(inputs, attrs) {
    checkFloat('matmul', inputs);
    const { m, n } = matmulDims(inputs[0].shape, inputs[1].shape, attrs);
    return float32([m, n]);
  },
  emit(ctx, node) {
    const [a, b] = node.inputs;
    const { m, n, k } = matmulDims(a.shape, b.shape, node.attrs);
    const layout = node.attrs.transposeA ? 'tn' : node.attrs.transposeB ? 'nt' : 'nn';
    return [{ kind: 'matmul', layout, m, n, k, a: ctx.slice(a), b: ctx.slice(b), c: ctx.slice(node.outputs[0]) }];
  },
  gradient: tableGradient(() => 'matmul'),
};

export const expandOp: OpDef<ExpandAttrs> = {
  name: 'expand',
  infer(inputs, { shape }) {
    checkFloat('broadcastTo', inputs);
    const out = broadcastShapes('broadcastTo', [inputs[0].shape, shape]);
    if (!sameShape(out, shape))
      throw new ShapeError(
        `broadcastTo: ${formatShape(inputs[0].shape)} does not broadcast to ${formatShape(shape)} (it broadcasts to ` +
          `${formatShape(out)}).`,
      );
    planBroadcast('broadcastTo', shape, [inputs[0].shape]);
    return float32(shape);
  },
  // x·1: an exact copy, broadcast.
  emit: (ctx, node) =>
    elementwise(ctx, node, 'broadcastTo', ([x], rows, cols) => ({
      kind: 'binary',
      op: 'mul',
      a: x,
      b: { kind: 'constant', value: 1 },
      y: ctx.slice(node.outputs[0]),
      rows,
      cols,
    })),
  gradient: tableGradient(() => 'expand'),
};

// ---- constructors ---------------------------------------------------------------------------------

/** A scalar (shape []) holding `value`: a number, or a HostScalar read when the program runs. */
export function constant(value: number | HostScalar): SymbolicTensor {
  if (typeof value === 'number' ? Number.isNaN(value) : typeof value?.value !== 'number') {
    throw new ValueError(`constant: expected a number (or a HostScalar), received ${describe(value)}.`);
  }
  return apply1(constantOp, [], { value });
}

export function unary(op: UnaryOp, x: SymbolicTensor): SymbolicTensor {
  if (!UNARY_OPS.includes(op))
    throw new ValueError(`unary: unknown op ${describe(op)}; known: ${UNARY_OPS.join(', ')}.`);
  return apply1(unaryOp, [x], { op });
}

/**
 * The operands, one of them first broadcast whole (expand) when they repeat along different splits
 * of the output (a [3, 4] row against a [2, 3, 1] column of [2, 3, 4]); unchanged when they need not
 * or cannot be (infer then names the shapes).
 */
function fitOperands(op: string, inputs: readonly SymbolicTensor[]): readonly SymbolicTensor[] {
  const shapes = inputs.map((t) => t.shape);
  const out = broadcastShapes(op, shapes);
  if (tryPlanBroadcast(out, shapes)) return inputs;
  for (let i = 0; i < inputs.length; i++) {
    if (!tryPlanBroadcast(out, [shapes[i]])) continue;
    const fitted = inputs.map((t, j) => (j === i ? broadcastTo(t, out) : t));
    if (
      tryPlanBroadcast(
        out,
        fitted.map((t) => t.shape),
      )
    )
      return fitted;
  }
  return inputs;
}

export function binary(op: BinaryOp, a: SymbolicTensor, b: SymbolicTensor): SymbolicTensor {
  if (!BINARY_OPS.includes(op))
    throw new ValueError(`binary: unknown op ${describe(op)}; known: ${BINARY_OPS.join(', ')}.`);
  return apply1(binaryOp, fitOperands(op, [a, b]), { op });
}

export function where(cond: SymbolicTensor, a: SymbolicTensor, b: SymbolicTensor): SymbolicTensor {
  return apply1(whereOp, fitOperands('where', [cond, a, b]), {});
}

export function reduce(op: ReduceOp, x: SymbolicTensor, axis: ReduceAxis, keepDims = false): SymbolicTensor {
  if (!REDUCE_OPS.includes(op))
    throw new ValueError(`reduce: unknown op ${describe(op)}; known: ${REDUCE_OPS.join(', ')}.`);
  if (axis !== 'last' && axis !== 'leading' && axis !== 'all')
    throw new ValueError(`${op}: axis: expected 'last', 'leading' or 'all', received ${describe(axis)}.`);
  return apply1(reduceOp, [x], { op, axis, keepDims });
}

export function matmulPrimitive(
  a: SymbolicTensor,
  b: SymbolicTensor,
  transposeA = false,
  transposeB = false,
): SymbolicTensor {
  return apply1(matmulOp, [a, b], { transposeA, transposeB });
}

/** `x` repeated (broadcast) to `shape`; `x` itself when it has that shape already. */
export function broadcastTo(x: SymbolicTensor, shape: readonly number[]): SymbolicTensor {
  return sameShape(x.shape, shape) ? x : apply1(expandOp, [x], { shape: [...shape] });
}

/**
 * The sum of `g` over the axes along which `shape` was broadcast to g's shape: the gradient of a
 * broadcast operand. `g` itself when the shapes agree.
 */
export function sumTo(g: SymbolicTensor, shape: readonly number[]): SymbolicTensor {
  if (sameShape(g.shape, shape)) return g;
  const plan = planBroadcast('sumTo', g.shape, [shape]);
  const mode = plan.modes[0];
  if (mode === 'full') return reshape(g, shape);
  const matrix = reshape(g, [plan.rows, plan.cols]);
  const axis: ReduceAxis = mode === 'scalar' ? 'all' : mode === 'row' ? 'leading' : 'last';
  return reshape(reduce('sum', matrix, axis), shape);
}
