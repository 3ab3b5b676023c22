// How a family's kernel calls become closures over fixed byte offsets.

import type { Slice } from '../../backend.js';
import type { KernelFunctions } from '../kernels.js';

/** Resolves a slice to its byte offset in the linear memory. */
export type At = (slice: Slice) => number;

export type Binder<C> = (call: C, at: At, k: KernelFunctions) => () => void;

/** One binder per call kind of a family (the compiler checks that none is missing). */
export type Binders<C extends { kind: string }> = { [K in C['kind']]: Binder<Extract<C, { kind: K }>> };
