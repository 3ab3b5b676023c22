// What a value backend (values/value-backend.ts) needs of an array library: the primitive calls as
// functions of whole values. The reference backend implements it on float64 arrays, the tfjs
// backend on tfjs tensors. Values are addressed flat (size: elements; slice: a flat range), but a
// library may keep them in any shape (tfjs keeps its ops' own); shapes are passed where an op needs them.

import type { BinaryOp, ReduceOp, UnaryOp } from '../calls/primitive.js';

export type ValueDType = 'float32' | 'int32';

/** A broadcast operand of an elementwise op over [rows, cols]: a value of the given shape, or a number. */
export type ValueOperand<T> =
  | { readonly value: T; readonly shape: 'full' | 'row' | 'column' | 'scalar' }
  | { readonly number: number };

export interface ValueOps<T> {
  readonly name: string;
  fromHost(data: Float32Array | Int32Array): T;
  /** A copy on the host, in the value's own type. */
  toHost(value: T): Float32Array | Int32Array;
  dtype(value: T): ValueDType;
  size(value: T): number;
  zeros(n: number, dtype: ValueDType): T;
  /** Values [start, start + n) of a value, in flat order. */
  slice(value: T, start: number, n: number): T;
  concat(values: readonly T[]): T;
  /** Frees a value (tensor memory); the store never uses a value after disposing it. */
  dispose(value: T): void;
  /** Runs `fn`, freeing every intermediate it made except what it returns. */
  scope<R extends T[]>(fn: () => R): R;

  unary(op: UnaryOp, x: T): T;
  /** A result of rows × cols values (in whatever shape the library keeps it). */
  binary(op: BinaryOp, a: ValueOperand<T>, b: ValueOperand<T>, rows: number, cols: number): T;
  where(cond: ValueOperand<T>, a: ValueOperand<T>, b: ValueOperand<T>, rows: number, cols: number): T;
  reduce(op: ReduceOp, axis: 'rows' | 'cols', x: T, rows: number, cols: number): T;
  matmul(layout: 'nn' | 'tn' | 'nt', a: T, b: T, m: number, n: number, k: number): T;
  /** Rows of `rowLength` values of `source` picked by int32 `rows` (count of them). */
  gatherRows(source: T, rows: T, count: number, rowLength: number): T;
  oneHot(labels: T, rows: number, cols: number): T;
  randomUniform(n: number, seed: number, salt: number): T;
  fill(n: number, value: number): T;
}
