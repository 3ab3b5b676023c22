// Broadcasting for the elementwise graph primitives: N-D shapes, numpy-style (right-aligned, a
// dimension of 1 repeats), mapped onto the [rows, cols] operand modes the primitive calls take. The
// output shape is split once into rows (its leading dimensions) and cols (the rest); each operand is
// then the whole matrix, a row vector (a trailing suffix of the output shape: repeated on every row),
// a column vector (a leading prefix followed by 1s: repeated along every row) or one value.
//
//   [32, 10] + [10]           split 1: full, row
//   [8, 5, 3] ⊙ [8, 5, 1]     split 2: full, column
//   [4, 1] − [6]              → [4, 6], split 1: column, row (an outer difference)

import { ShapeError } from '../../errors.js';
import { formatShape } from '../op.js';

/** How an operand reads a [rows, cols] result. */
export type OperandMode = 'full' | 'row' | 'column' | 'scalar';

export interface BroadcastPlan {
  readonly rows: number;
  readonly cols: number;
  /** One mode per operand, in order. */
  readonly modes: readonly OperandMode[];
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** `shape` with leading 1s up to `rank` dimensions. */
function padded(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/**
 * The shape `shapes` broadcast to (numpy's rule: right-aligned, each dimension equal or 1).
 * `op` names the operation in the error.
 */
export function broadcastShapes(op: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    padded(shape, rank).forEach((d, i) => {
      if (d === out[i] || d === 1) return;
      if (out[i] !== 1) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast: dimension ${i - rank} is ` +
            `${out[i]} in one and ${d} in another (each must be equal or 1). Reshape one operand so that its ` +
            `dimensions line up from the right.`,
        );
      }
      out[i] = d;
    });
  }
  return out;
}

/** The operand's mode when the output splits after `k` dimensions, or null when it cannot be read that way. */
function modeAt(operand: readonly number[], out: readonly number[], k: number): OperandMode | null {
  const a = padded(operand, out.length);
  if (a.every((d, i) => d === out[i])) return 'full';
  if (product(a) === 1) return 'scalar';
  if (a.every((d, i) => (i < k ? d === 1 : d === out[i]))) return 'row';
  if (a.every((d, i) => (i < k ? d === out[i] : d === 1))) return 'column';
  return null;
}

/**
 * Splits `out` into [rows, cols] so that every operand is full, a row, a column or a scalar.
 * Throws a ShapeError naming `op` when no split serves them all (a [5, 3] row against a [4, 5, 1]
 * column: the first repeats over the leading axis, the second along the last two).
 */
export function planBroadcast(
  op: string,
  out: readonly number[],
  operands: readonly (readonly number[])[],
): BroadcastPlan {
  const plan = tryPlanBroadcast(out, operands);
  if (plan) return plan;
  throw new ShapeError(
    `${op}: operands ${operands.map(formatShape).join(' and ')} broadcast to ${formatShape(out)}, but not as whole ` +
      `tensors, rows (a trailing part of the shape) and columns (a leading part followed by 1s) of one split of it. ` +
      `Reshape the operands so that each repeats along leading or trailing axes only.`,
  );
}

/** planBroadcast's split, or null when there is none. */
export function tryPlanBroadcast(
  out: readonly number[],
  operands: readonly (readonly number[])[],
): BroadcastPlan | null {
  const rank = out.length;
  // The last axis as cols first (the common case: features), then every other split.
  const splits = rank > 0 ? [rank - 1] : [];
  for (let k = rank; k >= 0; k--) if (k !== rank - 1) splits.push(k);
  for (const k of splits) {
    const modes = operands.map((s) => modeAt(s, out, k));
    if (modes.every((m): m is OperandMode => m !== null)) {
      const rows = product(out.slice(0, k));
      return { rows, cols: product(out) / rows, modes };
    }
  }
  return null;
}

/** True when `shape` holds one value. */
export function isScalarShape(shape: readonly number[]): boolean {
  return product(shape) === 1;
}
