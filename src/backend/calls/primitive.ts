// The primitive calls: the small set every backend implements. Every other call (the fused ones in
// the other files of this folder) has a default composition of these (backend/defaults/), so a
// backend that implements only these runs every program; a backend overrides a fused call only
// where it makes it faster (the WASM backend overrides all of them with SIMD kernels).
//
// Shapes are [rows, cols] matrices in row-major order; a vector is one row. An operand of an
// elementwise call is a whole matrix, or broadcast from a row vector, a column vector, one value in
// memory, or a number (fixed when compiled, or a HostScalar read when the call runs).

import type { BufferBinding, HostScalar, Slice } from '../backend.js';

/** Elementwise functions of one value. */
export const UNARY_OPS = [
  'identity',
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'sqrt',
  'square',
  'reciprocal',
  'tanh',
  'sigmoid',
  'softplus',
  'relu',
  'step',
  'erf',
  'floor',
] as const;
/** One of UNARY_OPS: `step` is x > 0 ? 1 : 0; `sign` is −1, 0 or 1 (0 for NaN too). */
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise functions of two values; comparisons give 1 or 0. */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'min',
  'pow',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions along one axis: `sum`, `max`, `min`, or `argmax` (the first largest value's index, as a float). */
export const REDUCE_OPS = ['sum', 'max', 'min', 'argmax'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * An elementwise operand over a [rows, cols] result: the whole matrix, a [cols] row vector repeated
 * on every row, a [rows] column vector repeated along every row, one value at a slice's start, or a
 * number.
 */
export type Operand =
  | { readonly kind: 'full'; readonly slice: Slice }
  | { readonly kind: 'row'; readonly slice: Slice }
  | { readonly kind: 'column'; readonly slice: Slice }
  | { readonly kind: 'scalar'; readonly slice: Slice }
  | { readonly kind: 'constant'; readonly value: number | HostScalar };

export type PrimitiveCall =
  /** y = f(x) elementwise over n values. */
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly x: Slice; readonly y: Slice; readonly n: number }
  /** y = a ∘ b over [rows, cols], operands broadcast as they say. */
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly a: Operand;
      readonly b: Operand;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  /** y = cond ≠ 0 ? a : b over [rows, cols]. */
  | {
      readonly kind: 'where';
      readonly cond: Operand;
      readonly a: Operand;
      readonly b: Operand;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  /**
   * A reduction of x [rows, cols]: along each row (axis 'cols', y [rows]) or down each column
   * (axis 'rows', y [cols]). Sums of float32 values are accumulated in float64 where the backend can.
   */
  | {
      readonly kind: 'reduce';
      readonly op: ReduceOp;
      readonly axis: 'rows' | 'cols';
      readonly x: Slice;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  /** nn: C = A·B; tn: C = Aᵀ·B with A stored [k, m]; nt: C = A·Bᵀ with B stored [n, k]. C is [m, n]. */
  | {
      readonly kind: 'matmul';
      readonly layout: 'nn' | 'tn' | 'nt';
      readonly m: number;
      readonly n: number;
      readonly k: number;
      readonly a: Slice;
      readonly b: Slice;
      readonly c: Slice;
    }
  /** y [rows, cols] = 1 where column j is labels[i] (int32 class indices), else 0. */
  | { readonly kind: 'oneHot'; readonly labels: Slice; readonly y: Slice; readonly rows: number; readonly cols: number }
  /**
   * n uniform values in [0, 1) from the counter-based stream of (seed, salt): value i depends on
   * seed, salt and i only. Backends with 32-bit integer arithmetic give the same values as the WASM
   * kernels (see assembly/random.ts); others (tfjs) draw from their own seeded generator.
   */
  | {
      readonly kind: 'randomUniform';
      readonly y: Slice;
      readonly n: number;
      readonly seed: HostScalar;
      readonly salt: number;
    }
  /** y = value, n times. */
  | { readonly kind: 'fill'; readonly y: Slice; readonly n: number; readonly value: number | HostScalar }
  /** out row i = row rows[i] (int32) of the bound source, for i < count; rows of rowLength 32-bit values. */
  | {
      readonly kind: 'gatherRows';
      readonly source: BufferBinding;
      readonly rows: Slice;
      readonly out: Slice;
      readonly count: number;
      readonly rowLength: number;
    };

export type PrimitiveKind = PrimitiveCall['kind'];

export const PRIMITIVE_KINDS: readonly PrimitiveKind[] = [
  'unary',
  'binary',
  'where',
  'reduce',
  'matmul',
  'oneHot',
  'randomUniform',
  'fill',
  'gatherRows',
];
