import type { HostScalar } from '../../backend.js';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type Operand, type PrimitiveCall, type UnaryOp } from '../../calls/primitive.js';
import type { WorkClass } from '../split-thresholds.js';
import type { SplitSpec } from '../threads/lowered.js';
import { byColumns, byElements, byRows, gemmSplit } from './split.js';
import type { Lowerers, Lowering } from './types.js';

type Ptr = number;

export interface PrimitiveKernels {
  gatherRows(source: Ptr, rows: Ptr, count: number, rowBytes: number, out: Ptr): void;
  unaryF32(op: number, x: Ptr, y: Ptr, n: number): void;
  binaryF32(op: number, a: Ptr, aMode: number, aValue: number, b: Ptr, bMode: number, bValue: number, y: Ptr, rows: number, cols: number): void;
  whereF32(c: Ptr, cMode: number, cValue: number, a: Ptr, aMode: number, aValue: number, b: Ptr, bMode: number, bValue: number, y: Ptr, rows: number, cols: number): void;
  reduceEachRow(op: number, x: Ptr, y: Ptr, rows: number, cols: number): void;
  reduceEachColumn(op: number, x: Ptr, y: Ptr, rows: number, cols: number, ld: number): void;
  oneHotF32(labels: Ptr, y: Ptr, rows: number, cols: number): void;
  gemmNTDot(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number): void;
}

/** Operand modes of binaryF32 and whereF32 (assembly/primitives.ts). */
const MODE_CODES: Record<Operand['kind'], number> = { full: 0, row: 1, column: 2, scalar: 3, constant: 4 };

/** Unary ops with a transcendental or a division per element. */
const HEAVY_UNARY = new Set<UnaryOp>(['exp', 'log', 'log1p', 'sqrt', 'reciprocal', 'tanh', 'sigmoid', 'softplus', 'erf']);

/** An operand's three kernel arguments: pointer (0 for a constant), mode, value (a constant's). */
function operandArgs(o: Operand, l: Lowering): [Ptr, number, number | HostScalar] {
  if (o.kind === 'constant') return [0, MODE_CODES.constant, o.value];
  return [l.at(o.slice), MODE_CODES[o.kind], 0];
}

/**
 * The split of an elementwise call over [rows, cols] whose operands start at arguments `operandAt`
 * (pointer, then mode) and whose output pointer is argument `yArg`, rows and cols the last two:
 * with no row or column operand, the call runs as one row of rows·cols elements split by element
 * ranges (whole operands advance, one-value ones stay); otherwise by rows (whole operands advance by
 * a row, column vectors by a value, row vectors and single values stay).
 */
function elementwise(args: (number | HostScalar)[], operands: readonly Operand[], operandAt: readonly number[], yArg: number, rows: number, cols: number, cls: WorkClass): SplitSpec {
  const rowsArg = args.length - 2;
  const broadcast = operands.some((o) => o.kind === 'row' || o.kind === 'column');
  const full = operandAt.filter((_, i) => operands[i].kind === 'full');
  if (!broadcast) {
    args[rowsArg] = 1;
    args[rowsArg + 1] = rows * cols;
    return byElements(args, rows * cols, rowsArg + 1, [...full, yArg], cls);
  }
  const columns = operandAt.filter((_, i) => operands[i].kind === 'column').map((arg): [number, number] => [arg, 4]);
  return byRows(args, rows, cols, rowsArg, [...full, yArg], cls, columns);
}

export const primitiveLowerers: Lowerers<PrimitiveCall> = {
  unary(call, l) {
    const cls: WorkClass = HEAVY_UNARY.has(call.op) ? 'heavy' : 'light';
    if (call.op === 'identity') {
      const args = [l.at(call.x), l.at(call.y), call.n];
      return l.call('copyF32', args, byElements(args, call.n, 2, [0, 1], cls));
    }
    const args = [UNARY_OPS.indexOf(call.op), l.at(call.x), l.at(call.y), call.n];
    return l.call('unaryF32', args, byElements(args, call.n, 3, [1, 2], cls));
  },
  binary(call, l) {
    const cls: WorkClass = call.op === 'pow' || call.op === 'div' ? 'heavy' : 'light';
    const args = [BINARY_OPS.indexOf(call.op), ...operandArgs(call.a, l), ...operandArgs(call.b, l), l.at(call.y), call.rows, call.cols];
    const split = elementwise(args, [call.a, call.b], [1, 4], 7, call.rows, call.cols, cls);
    return l.call('binaryF32', args, split);
  },
  where(call, l) {
    const args = [...operandArgs(call.cond, l), ...operandArgs(call.a, l), ...operandArgs(call.b, l), l.at(call.y), call.rows, call.cols];
    const split = elementwise(args, [call.cond, call.a, call.b], [0, 3, 6], 9, call.rows, call.cols, 'light');
    return l.call('whereF32', args, split);
  },
  reduce(call, l) {
    const op = REDUCE_OPS.indexOf(call.op);
    const { rows, cols } = call;
    if (call.axis === 'cols') {
      // One value per row: split by rows, each row reduced whole.
      const args = [op, l.at(call.x), l.at(call.y), rows, cols];
      return l.call('reduceEachRow', args, byRows(args, rows, cols, 3, [1], 'light', [[2, 4]]));
    }
    // One value per column: split by columns, each column reduced whole (rows cols floats apart).
    const args = [op, l.at(call.x), l.at(call.y), rows, cols, cols];
    return l.call('reduceEachColumn', args, byColumns(args, rows, cols, 4, [1, 2], 'light'));
  },
  matmul(call, l) {
    const { m, n, k } = call;
    const a = l.at(call.a);
    const b = l.at(call.b);
    const c = l.at(call.c);
    if (call.layout === 'nn') {
      const args = [m, n, k, a, k, b, n, c, n, 0, 0, 0, 0];
      return l.call('gemmNN', args, gemmSplit(m, n, k, l.threads, { sizeArg: 0, offsets: [[3, k * 4], [7, n * 4]], align: 1 }, { sizeArg: 1, offsets: [[5, 4], [7, 4]] }));
    }
    if (call.layout === 'tn') {
      // A read in place (pack 0): no scratch.
      const args = [m, n, k, a, m, b, n, c, n, 0, 0];
      return l.call('gemmTN', args, gemmSplit(m, n, k, l.threads, { sizeArg: 0, offsets: [[3, 4], [7, n * 4]], align: 6 }, { sizeArg: 1, offsets: [[5, 4], [7, 4]] }));
    }
    // gemmNT packs Bᵀ into scratch, which a primitive call does not have: dot products read B in
    // place instead (assembly/primitives.ts gemmNTDot), the same bits for any split.
    const args = [m, n, k, a, k, b, k, c, n];
    return l.call('gemmNTDot', args, gemmSplit(m, n, k, l.threads, { sizeArg: 0, offsets: [[3, k * 4], [7, n * 4]], align: 2 }, { sizeArg: 1, offsets: [[5, k * 4], [7, 4]] }));
  },
  oneHot(call, l) {
    const args = [l.at(call.labels), l.at(call.y), call.rows, call.cols];
    return l.call('oneHotF32', args, byRows(args, call.rows, call.cols, 2, [1], 'light', [[0, 4]]));
  },
  randomUniform(call, l) {
    // Element i's value depends on (seed, salt, first + i) only: a part passes its first element.
    const args = [l.at(call.y), call.n, call.seed, call.salt, 0];
    return l.call('randomUniform', args, byElements(args, call.n, 1, [0], 'light', 4));
  },
  fill(call, l) {
    const args = [l.at(call.y), call.n, call.value];
    return l.call('fillF32', args, byElements(args, call.n, 1, [0], 'light'));
  },
  gatherRows(call, l) {
    // Split by rows: each thread copies its range of out's rows (indices and out advance; the source
    // pointer, read from the binding at each run, stays put).
    const args = [l.bound(call.source), l.at(call.rows), call.count, call.rowLength * 4, l.at(call.out)];
    return l.call('gatherRows', args, byRows(args, call.count, call.rowLength, 2, [4], 'light', [[1, 4]]));
  },
};
