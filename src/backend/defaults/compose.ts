// What a default composition writes with: a Composer emits primitive (or other fused) calls into a
// program being expanded, and hands out temporaries that live during the expansion of one call
// only. Defaults read as their formula: `c.binary('mul', full(g), constant(beta1), n)`.

import type { HostScalar, Slice } from '../backend.js';
import type { KernelCall } from '../calls/index.js';
import type { BinaryOp, Operand, ReduceOp, UnaryOp } from '../calls/primitive.js';

/** The expansion pass's side of a Composer (see expand.ts). */
export interface ExpansionSink {
  /** A fresh arena slice of `floats` 32-bit values, valid until this top-level call's expansion ends. */
  temp(floats: number): Slice;
  /** Adds a call to the expanded program (expanded in turn when the backend lacks it). */
  emit(call: KernelCall): void;
}

export const full = (slice: Slice): Operand => ({ kind: 'full', slice });
export const row = (slice: Slice): Operand => ({ kind: 'row', slice });
export const column = (slice: Slice): Operand => ({ kind: 'column', slice });
export const scalarAt = (slice: Slice): Operand => ({ kind: 'scalar', slice });
export const constant = (value: number | HostScalar): Operand => ({ kind: 'constant', value });

/** A number computed from HostScalars when the program runs (a bias-corrected learning rate). */
export function derived(compute: () => number): HostScalar {
  return {
    get value() {
      return compute();
    },
  };
}

/** Emits calls; each method returns the slice it wrote (a new temporary unless `out` is given). */
export class Composer {
  constructor(private readonly sink: ExpansionSink) {}

  temp(floats: number): Slice {
    return this.sink.temp(floats);
  }

  emit(call: KernelCall): void {
    this.sink.emit(call);
  }

  unary(op: UnaryOp, x: Slice, n: number, out?: Slice): Slice {
    const y = out ?? this.temp(n);
    this.emit({ kind: 'unary', op, x, y, n });
    return y;
  }

  /** a ∘ b over [rows, cols] (a vector: rows 1). */
  binary(op: BinaryOp, a: Operand, b: Operand, rows: number, cols: number, out?: Slice): Slice {
    const y = out ?? this.temp(rows * cols);
    this.emit({ kind: 'binary', op, a, b, y, rows, cols });
    return y;
  }

  /** a ∘ b elementwise over n values. */
  map2(op: BinaryOp, a: Operand, b: Operand, n: number, out?: Slice): Slice {
    return this.binary(op, a, b, 1, n, out);
  }

  where(cond: Operand, a: Operand, b: Operand, rows: number, cols: number, out?: Slice): Slice {
    const y = out ?? this.temp(rows * cols);
    this.emit({ kind: 'where', cond, a, b, y, rows, cols });
    return y;
  }

  /** Reduces x [rows, cols] along each row (axis 'cols': [rows]) or down each column (axis 'rows': [cols]). */
  reduce(op: ReduceOp, axis: 'rows' | 'cols', x: Slice, rows: number, cols: number, out?: Slice): Slice {
    const y = out ?? this.temp(axis === 'cols' ? rows : cols);
    this.emit({ kind: 'reduce', op, axis, x, y, rows, cols });
    return y;
  }

  /** Σ of n values into one. */
  sum(x: Slice, n: number, out?: Slice): Slice {
    return this.reduce('sum', 'cols', x, 1, n, out);
  }

  matmul(layout: 'nn' | 'tn' | 'nt', m: number, n: number, k: number, a: Slice, b: Slice, out?: Slice): Slice {
    const c = out ?? this.temp(m * n);
    this.emit({ kind: 'matmul', layout, m, n, k, a, b, c });
    return c;
  }

  oneHot(labels: Slice, rows: number, cols: number, out?: Slice): Slice {
    const y = out ?? this.temp(rows * cols);
    this.emit({ kind: 'oneHot', labels, y, rows, cols });
    return y;
  }

  randomUniform(n: number, seed: HostScalar, salt: number, out?: Slice): Slice {
    const y = out ?? this.temp(n);
    this.emit({ kind: 'randomUniform', y, n, seed, salt });
    return y;
  }

  fill(value: number | HostScalar, n: number, out?: Slice): Slice {
    const y = out ?? this.temp(n);
    this.emit({ kind: 'fill', y, n, value });
    return y;
  }

  /** Copies n values (an identity map). */
  copy(x: Slice, n: number, out: Slice): Slice {
    return this.unary('identity', x, n, out);
  }
}
