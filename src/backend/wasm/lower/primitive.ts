import type { HostScalar } from '../../backend.js';
import type { BinaryOp, Operand, PrimitiveCall, UnaryOp } from '../../calls/primitive.js';
import { ACTIVATION_CODES, BINARY_CODES, MODE_CODES, REDUCE_CODES, UNARY_CODES } from '../codes.js';
import type { PointerValue } from '../kernel-table.js';
import type { WorkClass } from '../split-thresholds.js';
import type { Lowerers } from './types.js';

/** Unary ops with a transcendental or a division per element. */
const HEAVY_UNARY = new Set<UnaryOp>([
  'exp',
  'log',
  'log1p',
  'sqrt',
  'reciprocal',
  'tanh',
  'sigmoid',
  'softplus',
  'erf',
]);
const HEAVY_BINARY = new Set<BinaryOp>(['div', 'pow']);

/** An operand's pointer (0 for a constant), mode code and value (a constant's, else 0). */
function operand(o: Operand): [PointerValue, number, number | HostScalar] {
  return o.kind === 'constant' ? [0, MODE_CODES.constant, o.value] : [o.slice, MODE_CODES[o.kind], 0];
}

/**
 * Rows, columns and split direction of an elementwise primitive over [rows, cols]: with no row or
 * column operand, one row of rows·cols elements split by element ranges; otherwise by rows (the
 * table's operand role says which pointers advance: whole operands by a row, column vectors by a
 * value, row vectors and single values not at all).
 */
function shape(
  operands: readonly Operand[],
  rows: number,
  cols: number,
): { rows: number; cols: number; split: 'rows' | 'elements' } {
  return operands.some((o) => o.kind === 'row' || o.kind === 'column')
    ? { rows, cols, split: 'rows' }
    : { rows: 1, cols: rows * cols, split: 'elements' };
}

export const primitiveLowerers: Lowerers<PrimitiveCall> = {
  unary({ op, x, y, n }, l) {
    const cost: WorkClass = HEAVY_UNARY.has(op) ? 'heavy' : 'light';
    if (op === 'identity') return l.kernel('copyF32', { src: x, dst: y, n }, { cost });
    return l.kernel('unaryF32', { op: UNARY_CODES[op], x, y, n }, { cost });
  },
  binary(call, l) {
    const [a, aMode, aValue] = operand(call.a);
    const [b, bMode, bValue] = operand(call.b);
    const { rows, cols, split } = shape([call.a, call.b], call.rows, call.cols);
    const cost: WorkClass = HEAVY_BINARY.has(call.op) ? 'heavy' : 'light';
    return l.kernel(
      'binaryF32',
      { op: BINARY_CODES[call.op], a, aMode, aValue, b, bMode, bValue, y: call.y, rows, cols },
      { split, cost },
    );
  },
  where(call, l) {
    const [c, cMode, cValue] = operand(call.cond);
    const [a, aMode, aValue] = operand(call.a);
    const [b, bMode, bValue] = operand(call.b);
    const { rows, cols, split } = shape([call.cond, call.a, call.b], call.rows, call.cols);
    return l.kernel(
      'whereF32',
      { c, cMode, cValue, a, aMode, aValue, b, bMode, bValue, y: call.y, rows, cols },
      { split },
    );
  },
  reduce({ op, axis, x, y, rows, cols }, l) {
    // Along each row: split by rows, each row reduced whole; down each column: split by columns.
    if (axis === 'cols') return l.kernel('reduceEachRow', { op: REDUCE_CODES[op], x, y, rows, cols });
    return l.kernel('reduceEachColumn', { op: REDUCE_CODES[op], x, y, rows, cols, ld: cols });
  },
  matmul({ layout, m, n, k, a, b, c }, l) {
    if (layout === 'nn')
      return l.kernel('gemmNN', {
        m,
        n,
        k,
        a,
        lda: k,
        b,
        ldb: n,
        c,
        ldc: n,
        bias: null,
        act: ACTIVATION_CODES.linear,
        alpha: 0,
        accumulate: 0,
      });
    // A read in place (pack 0): no scratch.
    if (layout === 'tn')
      return l.kernel('gemmTN', { m, n, k, a, lda: m, b, ldb: n, c, ldc: n, accumulate: 0, pack: 0 });
    // gemmNT packs Bᵀ into scratch, which a primitive call does not have: dot products read B in
    // place instead (assembly/primitives.ts gemmNTDot), the same bits for any split.
    return l.kernel('gemmNTDot', { m, n, k, a, lda: k, b, ldb: k, c, ldc: n });
  },
  oneHot({ labels, y, rows, cols }, l) {
    return l.kernel('oneHotF32', { labels, y, rows, cols });
  },
  randomUniform({ y, n, seed, salt }, l) {
    // Element i's value depends on (seed, salt, first + i) only: a part passes its first element.
    return l.kernel('randomUniform', { out: y, n, seed, salt, first: 0 });
  },
  fill({ y, n, value }, l) {
    return l.kernel('fillF32', { dst: y, n, value });
  },
  gatherRows({ source, rows, out, count, rowLength }, l) {
    // Split by rows: each thread copies its range of out's rows (indices and out advance; the source
    // pointer, read from the binding at each run, stays put).
    return l.kernel('gatherRows', { source: l.bound(source), rows, count, rowBytes: rowLength * 4, out });
  },
};
