// A program lowered to plain data: each kernel call becomes the name of a kernel export, its numeric
// arguments (byte offsets already resolved), the arguments read from host scalars when the program
// runs, and how the call's work splits over threads. Plain data (JSON-safe) so that the same program
// can be handed to worker threads, which instantiate the same module on the same shared memory and
// run it in lock-step with the main thread, each thread doing its part of every call.
//
// Determinism: a part is a contiguous range of units (rows, columns or elements) whose boundaries
// are multiples of `align`, chosen per kernel so that every output element goes through the same
// instructions in the same order whatever the number of parts (the kernels' SIMD bodies and
// remainders are lane-identical, and `align` keeps each element on the same side of a remainder).
// The results are then bitwise the same for any thread count.
//
// This folder is the worker-side runtime: its files import nothing outside it, because the build
// transpiles them on their own into build/threads/ for workers to load.

/** How a call's work divides into contiguous ranges of units, one per thread. */
export interface SplitSpec {
  /** Units of work (rows, columns or elements). */
  readonly units: number;
  /** Part boundaries fall on multiples of this (the kernel's register or vector block). */
  readonly align: number;
  /** Arguments that hold the unit count: each part gets its own count there. */
  readonly sizeArgs: readonly number[];
  /** Arguments advanced by `start · perUnit` for a part starting at unit `start` (pointers, or an index). */
  readonly offsets: readonly (readonly [arg: number, perUnit: number])[];
  /** An argument that points at per-call scratch: each thread gets its own scratch there. */
  readonly scratchArg?: number;
  /** Below this many units the call runs whole on thread 0 (measured: see backend/wasm/split-thresholds.ts). */
  readonly minUnits: number;
}

/** One kernel call as data. */
export interface LoweredCall {
  /** The kernel export to call. */
  readonly fn: string;
  /** Its arguments, in order; host-scalar arguments hold a placeholder until the program runs. */
  readonly args: readonly number[];
  /** [argument index, host-scalar slot]: the argument is read from the slot when the program runs. */
  readonly scalars: readonly (readonly [number, number])[];
  /** How the call splits over threads; null: it always runs whole on thread 0. */
  readonly split: SplitSpec | null;
}

/** A lowered program: its calls and how many host-scalar slots they read. */
export interface LoweredProgram {
  readonly calls: readonly LoweredCall[];
  readonly scalarSlots: number;
}

/** True when `split` divides its call among T > 1 threads. */
export function isShared(split: SplitSpec | null, T: number): boolean {
  return T > 1 && split !== null && split.units >= split.minUnits;
}

/** The unit range [start, end) of part t of T (thread 0 gets everything when the call is not shared). */
export function partRange(split: SplitSpec | null, t: number, T: number): readonly [number, number] {
  if (split === null || !isShared(split, T)) return t === 0 ? [0, split === null ? 0 : split.units] : [0, 0];
  // Whole blocks of `align` units, shared as evenly as possible; the partial last block goes last.
  const blocks = Math.ceil(split.units / split.align);
  const start = Math.min(split.units, Math.floor((blocks * t) / T) * split.align);
  const end = Math.min(split.units, Math.floor((blocks * (t + 1)) / T) * split.align);
  return [start, end];
}

/** True when thread t of T has work in this call. */
export function hasPart(call: LoweredCall, t: number, T: number): boolean {
  if (!call.split) return t === 0;
  const [start, end] = partRange(call.split, t, T);
  return end > start;
}

/**
 * The argument list thread t of T passes for its part of `call`, with `scratch` the byte offset of
 * that thread's own scratch (used by threads other than 0 when the call takes scratch). Host-scalar
 * arguments keep their placeholder: the runner writes them before each run.
 */
export function partArgs(call: LoweredCall, t: number, T: number, scratch: number): number[] {
  const args = call.args.slice();
  const split = call.split;
  if (split === null || !isShared(split, T)) return args;
  const [start, end] = partRange(split, t, T);
  for (const i of split.sizeArgs) args[i] = end - start;
  for (const [arg, perUnit] of split.offsets) args[arg] += start * perUnit;
  if (split.scratchArg !== undefined && t > 0) args[split.scratchArg] = scratch;
  return args;
}
