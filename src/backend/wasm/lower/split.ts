// How each kind of kernel splits over threads, and from what size splitting pays.
//
// Every split keeps each output element with one thread and computes it as the whole call would
// (see threads/lowered.ts): GEMMs by output rows or 8-column strips, row-wise kernels by rows,
// column-statistics kernels by columns, elementwise kernels by 16-element ranges (whole f32x4
// vectors on one 64-byte line, so the remainder elements stay where one pass would put them).
// Losses split by blocks of rows that each write an f64 partial sum, added in order on one thread
// afterwards (lower/loss.ts): the blocks depend on the shape only, so the sum does not change with
// the thread count. The other kernels that reduce to one number (metrics, norms, penalties) stay on
// one thread: a split would change their summation order, and with it the result.

import type { SplitSpec } from '../threads/lowered.js';
import { THRESHOLDS, type WorkClass } from '../split-thresholds.js';

/** Pointer arguments (those that are 0 stay 0) advanced by `bytes` per unit. */
function pointers(args: readonly unknown[], ptrArgs: readonly number[], bytes: number): [number, number][] {
  return ptrArgs.filter((i) => args[i] !== 0).map((i) => [i, bytes]);
}

/** [argument, bytes per unit] pairs, less the pointers that are 0. */
function nonNull(args: readonly unknown[], offsets: readonly (readonly [number, number])[]): [number, number][] {
  return offsets.filter(([i]) => args[i] !== 0).map(([i, b]) => [i, b]);
}

/** A spec that never splits when the work is below the class's measured threshold. */
function spec(units: number, work: number, cls: WorkClass, rest: Omit<SplitSpec, 'units' | 'minUnits'>): SplitSpec {
  return { units, minUnits: work >= THRESHOLDS[cls] ? 1 : units + 1, ...rest };
}

/** n elements; `ptrArgs` are float32 arrays indexed by element; `indexArg` an element index (random streams). */
export function byElements(args: readonly unknown[], n: number, sizeArg: number, ptrArgs: readonly number[], cls: WorkClass, indexArg?: number): SplitSpec {
  const offsets = pointers(args, ptrArgs, 4);
  if (indexArg !== undefined) offsets.push([indexArg, 1]);
  return spec(n, n, cls, { align: 16, sizeArgs: [sizeArg], offsets });
}

/**
 * Rows of `cols` floats of work each; `ptrArgs` are row-major [rows, cols] float arrays, `perRow`
 * other arrays with their own bytes per row (one int32 index per row, say).
 */
export function byRows(
  args: readonly unknown[], rows: number, cols: number, sizeArg: number, ptrArgs: readonly number[], cls: WorkClass,
  perRow: readonly (readonly [number, number])[] = [],
): SplitSpec {
  return spec(rows, rows * cols, cls, { align: 1, sizeArgs: [sizeArg], offsets: [...pointers(args, ptrArgs, cols * 4), ...nonNull(args, perRow)] });
}

/**
 * Columns of [rows, cols] arrays with a fixed leading dimension; `ptrArgs` advance by a float per
 * column. `align` 16 by default (whole vectors on one line); 8 for a weight matrix's column owners,
 * whose ranges must be those of the GEMMs' 8-column strips (see OWNED_MATRIX_FLOATS).
 */
export function byColumns(args: readonly unknown[], rows: number, cols: number, sizeArg: number, ptrArgs: readonly number[], cls: WorkClass, align = 16): SplitSpec {
  return spec(cols, rows * cols, cls, { align, sizeArgs: [sizeArg], offsets: pointers(args, ptrArgs, 4) });
}

/**
 * A weight matrix of at least this many floats (and a small batch next to it, see ownsColumns) keeps
 * one owner per column range for a whole step: the GEMMs that read it (X·W) and write its gradient
 * (Xᵀ·dY) split by columns, and its update splits by the same columns (byColumns, align 8), so that each
 * thread's part of W, of its gradient and of its optimizer state stays in that thread's cache. Split
 * by rows, the forward product reads all of W, half of it just updated by the other thread, and each
 * thread's working set holds all of W. Measured on the reference MLP (W 784×300, 940 KB) at batch 32
 * on 2 threads with the row split, in the slow VM states (bench/RESULTS.md: at times memory-bound
 * code on two threads runs far slower while the SIMD probe does not), the step took ~520 µs instead
 * of ~340: the forward product 224 µs for its ~122, the update 56 for its ~16. Below this size,
 * moving half of W costs less than the column split's imbalance may.
 */
export const OWNED_MATRIX_FLOATS = 65_536;

/** A weight matrix keeps column owners when it has at least this many columns per batch row. */
export const OWNED_BATCH_RATIO = 4;

/**
 * Whether a layer's weight matrix [inFeatures × outFeatures], trained on batches of `batch` rows,
 * keeps column owners on `threads` threads (see OWNED_MATRIX_FLOATS): a large matrix, and a batch
 * small next to it. With column owners each thread reads the whole batch X instead of half of W.
 * Interleaved rounds of the reference MLP (out = 300) in the usual (fast) state: batch 32 the same
 * (88.4k against 88.2k samples/s, medians of 10), batch 128 and 512 1.5–3.5% slower, hence the
 * ratio. A clean comparison in a slow state was not caught: there, with owners, the first layer's
 * calls no longer read what the other thread wrote.
 */
export function ownsColumns(threads: number, batch: number, inFeatures: number, outFeatures: number): boolean {
  return threads > 1 && inFeatures * outFeatures >= OWNED_MATRIX_FLOATS && outFeatures >= OWNED_BATCH_RATIO * batch;
}

/** The largest part's units when `units` split into `align` blocks over `threads`. */
function largestPart(units: number, align: number, threads: number): number {
  const blocks = Math.ceil(units / align);
  return Math.min(units, Math.ceil(blocks / threads) * align);
}

/**
 * A GEMM C[m×n] over depth k: by rows (`rowOffsets`: args advanced per row) or by 8-column strips
 * (`colOffsets`), whichever leaves the largest part smaller (columns on a tie: each thread then
 * streams only its half of B); only one of them when the other is null (a weight matrix's column
 * owners pass no rows, see OWNED_MATRIX_FLOATS).
 */
export function gemmSplit(
  m: number, n: number, k: number, threads: number,
  rows: { sizeArg: number; offsets: [number, number][]; align: number } | null,
  cols: { sizeArg: number; offsets: [number, number][] } | null,
  scratch?: { arg: number },
): SplitSpec {
  const work = m * n * k;
  const rowCost = rows ? largestPart(m, rows.align, threads) * n : Infinity;
  const colCost = cols ? largestPart(n, 8, threads) * m : Infinity;
  const scratchPart = scratch ? { scratchArg: scratch.arg } : {};
  if (cols && colCost <= rowCost) return spec(n, work, 'gemm', { align: 8, sizeArgs: [cols.sizeArg], offsets: cols.offsets, ...scratchPart });
  const r = rows!;
  return spec(m, work, 'gemm', { align: r.align, sizeArgs: [r.sizeArg], offsets: r.offsets, ...scratchPart });
}
