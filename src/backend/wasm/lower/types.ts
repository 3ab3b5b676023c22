// How a family's kernel calls become lowered calls (threads/lowered.ts): the export to call, its
// arguments over fixed byte offsets, the host scalars it reads when it runs, and how it splits.

import type { BufferBinding, HostScalar, Slice } from '../../backend.js';
import type { KernelArgs, KernelName } from '../kernel-table.js';
import type { LoweredCall, SplitSpec } from '../threads/lowered.js';
import type { SplitOptions } from './split.js';

/** Resolves a slice to its byte offset in the linear memory. */
export type At = (slice: Slice) => number;

/** What a lowerer gets besides its call. */
export interface Lowering {
  readonly at: At;
  /** The threads the program will run on (to choose how a call splits). */
  readonly threads: number;
  /**
   * Byte offsets of the weight gradients a product wrote split by columns (split.ts ownsColumns):
   * the update that reads one splits by the same columns. Products come before updates in a program.
   */
  readonly columnOwned: Set<number>;
  /** The byte offset of a binding's buffer, read when the program runs. */
  bound(binding: BufferBinding): HostScalar;
  /**
   * The call of kernel `name` with its arguments by name (kernel-table.ts): slices resolve to their
   * byte offsets, null pointers to 0, flags to 0 or 1; HostScalar arguments are read when the
   * program runs. The split comes from the table's roles and `options`.
   */
  kernel<K extends KernelName>(name: K, args: KernelArgs<K>, options?: SplitOptions): LoweredCall;
  /** The split `kernel` would give this call (nothing is emitted). */
  splitOf<K extends KernelName>(name: K, args: KernelArgs<K>, options?: SplitOptions): SplitSpec | null;
}

/** A call's lowering: one lowered call, or several run in order (a split sum and its final add). */
export type Lowerer<C> = (call: C, l: Lowering) => LoweredCall | LoweredCall[];

/** One lowerer per call kind of a family (the compiler checks that none is missing). */
export type Lowerers<C extends { kind: string }> = { [K in C['kind']]: Lowerer<Extract<C, { kind: K }>> };
