// The shape of a family's defaults: one composition per fused call kind.

import type { FusedCall, FusedKind } from '../calls/index.js';
import type { Composer } from './compose.js';

/** Writes `call`'s effect as calls on `c` (primitives, or other fused calls). */
export type Default<C> = (call: C, c: Composer) => void;

/** One default per call kind of a family (the compiler checks that none is missing). */
export type Defaults<C extends { kind: string }> = { [K in C['kind']]: Default<Extract<C, { kind: K }>> };

/** Every fused call kind's default. */
export type AllDefaults = { [K in FusedKind]: Default<Extract<FusedCall, { kind: K }>> };
