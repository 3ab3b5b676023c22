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
//
// A call's split comes from the kernel table (kernel-table.ts): the split kinds a kernel allows,
// its size arguments (each part gets its own count there) and its pointers' roles (the bytes each
// advances per row, column or element); `splitOf` builds the SplitSpec from them and from the
// argument values of the call.

import type { HostScalar } from '../../backend.js';
import { KERNELS, type Arg, type Direction, type KernelName, type Step } from '../kernel-table.js';
import { MODE_CODES } from '../codes.js';
import type { SplitSpec } from '../threads/lowered.js';
import { THRESHOLDS, type WorkClass } from '../split-thresholds.js';

/** How a lowerer wants one call split (every field optional: the table's defaults). */
export interface SplitOptions {
  /** 'none': the call runs whole on thread 0; a direction the kernel allows: split that way (default: its first). */
  readonly split?: Direction | 'none';
  /** The cost class, when the call's differs from the kernel's (an activation's, a unary op's). */
  readonly cost?: WorkClass;
  /** Part boundaries, when the call's differ from the kernel's (a weight matrix's column owners: 8). */
  readonly align?: number;
  /** GEMMs: false leaves the split by rows out (a weight matrix's column owners). */
  readonly rows?: boolean;
  /** GEMMs: false leaves the split by columns out. */
  readonly columns?: boolean;
}

/** Part boundaries by direction, unless the table or the lowerer says otherwise. */
const DEFAULT_ALIGN: Record<Direction, number> = { elements: 16, rows: 1, columns: 16 };

/** A spec that never splits when the work is below the class's measured threshold. */
function spec(units: number, work: number, cls: WorkClass, rest: Omit<SplitSpec, 'units' | 'minUnits'>): SplitSpec {
  return { units, minUnits: work >= THRESHOLDS[cls] ? 1 : units + 1, ...rest };
}

type Numbers = Readonly<Record<string, number>>;

function stepBytes(step: Step, values: Numbers): number {
  if (typeof step === 'number') return step;
  return 'times' in step ? step.by * values[step.times] : step.by / values[step.per];
}

/** The steps of a broadcast operand of the elementwise primitives, by its mode. */
function operandSteps(mode: number, ld: number): { readonly [D in Direction]?: number } {
  if (mode === MODE_CODES.full) return { elements: 4, rows: 4 * ld, columns: 4 };
  if (mode === MODE_CODES.row) return { columns: 4 };
  if (mode === MODE_CODES.column) return { rows: 4 };
  return {};
}

/** [argument, bytes per unit] of every argument a part starting at unit s advances, in argument order. */
function offsets(
  args: readonly Arg[],
  values: Numbers,
  raw: readonly (number | HostScalar)[],
  direction: Direction,
): [number, number][] {
  const out: [number, number][] = [];
  args.forEach(({ role }, i) => {
    if (role.kind === 'index') {
      if (direction === 'elements') out.push([i, 1]);
      return;
    }
    // A pointer that is 0 (an operand not given) stays 0.
    if (raw[i] === 0) return;
    if (role.kind === 'ptr') {
      const step = role.steps[direction];
      if (step !== undefined) out.push([i, stepBytes(step, values)]);
    } else if (role.kind === 'operand') {
      const step = operandSteps(values[role.mode], values[role.ld])[direction];
      if (step !== undefined) out.push([i, step]);
    }
  });
  return out;
}

interface Part {
  readonly units: number;
  readonly sizeArg: number;
  readonly align: number;
  readonly offsets: [number, number][];
}

/** The kernel's split in `direction`, or null when it has no size argument for it. */
function part(
  name: KernelName,
  values: Numbers,
  raw: readonly (number | HostScalar)[],
  direction: Direction,
  align?: number,
): Part | null {
  const { args, align: aligns } = KERNELS[name] as {
    args: readonly Arg[];
    align?: { readonly [D in Direction]?: number | string };
  };
  const sizeArg = args.findIndex(({ role }) => role.kind === 'size' && role.units.includes(direction));
  if (sizeArg < 0) return null;
  const tableAlign = aligns?.[direction];
  return {
    units: values[args[sizeArg].name],
    sizeArg,
    align: align ?? (typeof tableAlign === 'string' ? values[tableAlign] : (tableAlign ?? DEFAULT_ALIGN[direction])),
    offsets: offsets(args, values, raw, direction),
  };
}

/**
 * The split of a call of kernel `name` with these argument values (in the table's order; host
 * scalars where the program reads them when it runs), for `threads` threads; null when it runs whole.
 */
export function splitOf(
  name: KernelName,
  raw: readonly (number | HostScalar)[],
  threads: number,
  options: SplitOptions = {},
): SplitSpec | null {
  const kernel = KERNELS[name] as {
    args: readonly Arg[];
    split: 'none' | 'gemm' | readonly Direction[];
    cost?: WorkClass;
    work?: (a: Numbers) => number;
  };
  if (kernel.split === 'none' || options.split === 'none') return null;
  const values: Numbers = Object.fromEntries(
    kernel.args.map(({ name: arg }, i) => [arg, typeof raw[i] === 'number' ? raw[i] : Number.NaN]),
  );
  const work = kernel.work!(values);
  const cost = options.cost ?? kernel.cost!;
  if (kernel.split === 'gemm') {
    const rows = options.rows === false ? null : part(name, values, raw, 'rows');
    const cols = options.columns === false ? null : part(name, values, raw, 'columns', 8);
    const scratchArg = kernel.args.findIndex(({ role }, i) => role.kind === 'scratch' && raw[i] !== 0);
    return gemmSplit(rows, cols, work, threads, scratchArg < 0 ? undefined : scratchArg);
  }
  const direction = options.split ?? kernel.split[0];
  if (!kernel.split.includes(direction))
    throw new Error(`simdnet internal: kernel ${name} does not split by ${direction}`);
  const p = part(name, values, raw, direction, options.align)!;
  return spec(p.units, work, cost, { align: p.align, sizeArgs: [p.sizeArg], offsets: p.offsets });
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
 * A GEMM C[m×n]: by rows or by 8-column strips, whichever leaves the largest part smaller (columns
 * on a tie: each thread then streams only its half of B); only one of them when the other is null
 * (a weight matrix's column owners pass no rows, see OWNED_MATRIX_FLOATS). `work`: m·n·k.
 */
function gemmSplit(
  rows: Part | null,
  cols: Part | null,
  work: number,
  threads: number,
  scratchArg?: number,
): SplitSpec {
  const rowCost = rows ? largestPart(rows.units, rows.align, threads) * (cols?.units ?? 1) : Infinity;
  const colCost = cols ? largestPart(cols.units, cols.align, threads) * (rows?.units ?? 1) : Infinity;
  const scratchPart = scratchArg !== undefined ? { scratchArg } : {};
  const p = cols && colCost <= rowCost ? cols : rows!;
  return spec(p.units, work, 'gemm', { align: p.align, sizeArgs: [p.sizeArg], offsets: p.offsets, ...scratchPart });
}
