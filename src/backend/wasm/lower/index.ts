// All lowerers, merged (the compiler checks that every kind of KernelCall has one), and the lowering
// of a whole program.

import type { BufferBinding, DeviceBuffer, HostScalar, KernelCall, Program } from '../../backend.js';
import type { LoweredCall, LoweredProgram, SplitSpec } from '../threads/lowered.js';
import { activationLowerers } from './activation.js';
import { basicLowerers } from './basic.js';
import { linearLowerers } from './linear.js';
import { lossLowerers } from './loss.js';
import { metricLowerers } from './metric.js';
import { normalizationLowerers } from './normalization.js';
import { randomLowerers } from './random.js';
import { regularizationLowerers } from './regularization.js';
import type { At, Lowerer, Lowerers, Lowering } from './types.js';
import { updateLowerers } from './update.js';
import { primitiveLowerers } from './primitive.js';

const lowerers: Lowerers<KernelCall> = {
  ...primitiveLowerers,
  ...linearLowerers,
  ...activationLowerers,
  ...lossLowerers,
  ...metricLowerers,
  ...basicLowerers,
  ...updateLowerers,
  ...normalizationLowerers,
  ...randomLowerers,
  ...regularizationLowerers,
};

/** A lowered program and the host scalars its slots stand for. */
export interface Lowered {
  readonly program: LoweredProgram;
  readonly hostScalars: readonly HostScalar[];
  /** For each lowered call, the index of the program call it came from. */
  readonly origin: readonly number[];
}

/**
 * Lowers every call of `program` (byte offsets from `at`) for a backend of `threads` threads;
 * `pointerOf` gives a bound buffer's byte offset when the program runs.
 */
export function lowerProgram(program: Program, at: At, threads: number, pointerOf: (buffer: DeviceBuffer) => number): Lowered {
  const hostScalars: HostScalar[] = [];
  const slotOf = new Map<HostScalar, number>();
  const bindings = new Map<BufferBinding, HostScalar>();
  const l: Lowering = {
    at,
    threads,
    columnOwned: new Set(),
    bound(binding) {
      let scalar = bindings.get(binding);
      if (!scalar) {
        scalar = {
          get value() {
            if (!binding.buffer) throw new Error('simdnet internal: a program ran with an unbound data buffer');
            return pointerOf(binding.buffer);
          },
        };
        bindings.set(binding, scalar);
      }
      return scalar;
    },
    call(fn: string, args: readonly (number | HostScalar)[], split: SplitSpec | null = null): LoweredCall {
      const scalars: [number, number][] = [];
      const values = args.map((a, i) => {
        if (typeof a === 'number') return a;
        let slot = slotOf.get(a);
        if (slot === undefined) {
          slot = hostScalars.push(a) - 1;
          slotOf.set(a, slot);
        }
        scalars.push([i, slot]);
        return 0;
      });
      return { fn, args: values, scalars, split };
    },
  };
  const calls: LoweredCall[] = [];
  const origin: number[] = [];
  program.calls.forEach((c, i) => {
    const lowered = (lowerers[c.kind] as Lowerer<KernelCall>)(c, l);
    for (const one of Array.isArray(lowered) ? lowered : [lowered]) {
      calls.push(one);
      origin.push(i);
    }
  });
  return { program: { calls, scalarSlots: hostScalars.length }, hostScalars, origin };
}
