// All lowerers, merged (the compiler checks that every kind of KernelCall has one), and the lowering
// of a whole program.

import type { BufferBinding, DeviceBuffer, HostScalar, KernelCall, Program } from '../../backend.js';
import { KERNELS, type Arg, type KernelName } from '../kernel-table.js';
import type { LoweredCall, LoweredProgram } from '../threads/lowered.js';
import { activationLowerers } from './activation.js';
import { basicLowerers } from './basic.js';
import { linearLowerers } from './linear.js';
import { lossLowerers } from './loss.js';
import { metricLowerers } from './metric.js';
import { normalizationLowerers } from './normalization.js';
import { primitiveLowerers } from './primitive.js';
import { randomLowerers } from './random.js';
import { regularizationLowerers } from './regularization.js';
import { splitOf } from './split.js';
import type { At, Lowerer, Lowerers, Lowering } from './types.js';
import { hasFormulaKernel, updateLowerers } from './update.js';

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

/**
 * Whether this backend lowers a call itself; else the program must be expanded first
 * (expandProgram): an optimizer's formula runs as its default composition, unless its rule has a
 * fused kernel here (lower/update.ts).
 */
export function lowersDirectly(call: KernelCall): boolean {
  if (call.kind === 'formulaUpdate') return hasFormulaKernel(call.rule);
  return Object.hasOwn(lowerers, call.kind);
}

/** A lowered program and the host scalars its slots stand for. */
export interface Lowered {
  readonly program: LoweredProgram;
  readonly hostScalars: readonly HostScalar[];
  /** For each lowered call, the index of the program call it came from. */
  readonly origin: readonly number[];
}

type ArgValue = number | boolean | null | HostScalar | Parameters<At>[0];

/**
 * A Lowering for `threads` threads over byte offsets from `at` (`pointerOf`: a bound buffer's byte
 * offset when the program runs), and the host scalars its calls' slots stand for, in slot order.
 */
export function createLowering(
  at: At,
  threads: number,
  pointerOf: (buffer: DeviceBuffer) => number,
): { lowering: Lowering; hostScalars: readonly HostScalar[] } {
  const hostScalars: HostScalar[] = [];
  const slotOf = new Map<HostScalar, number>();
  const bindings = new Map<BufferBinding, HostScalar>();

  /** The call's arguments in the table's order: numbers, or host scalars read when it runs. */
  const values = (name: KernelName, args: Readonly<Record<string, ArgValue>>): (number | HostScalar)[] =>
    (KERNELS[name].args as readonly Arg[]).map(({ name: arg }) => {
      const v = args[arg];
      if (v === undefined) throw new Error(`simdnet internal: kernel ${name} lowered without its argument ${arg}`);
      if (v === null) return 0;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number') return v;
      return 'kind' in v ? at(v) : v;
    });

  const lowering: Lowering = {
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
    splitOf(name, args, options) {
      return splitOf(name, values(name, args as Readonly<Record<string, ArgValue>>), threads, options);
    },
    kernel(name, args, options): LoweredCall {
      const raw = values(name, args as Readonly<Record<string, ArgValue>>);
      const split = splitOf(name, raw, threads, options);
      const scalars: [number, number][] = [];
      const numbers = raw.map((a, i) => {
        if (typeof a === 'number') return a;
        let slot = slotOf.get(a);
        if (slot === undefined) {
          slot = hostScalars.push(a) - 1;
          slotOf.set(a, slot);
        }
        scalars.push([i, slot]);
        return 0;
      });
      return { fn: name, args: numbers, scalars, split };
    },
  };
  return { lowering, hostScalars };
}

/**
 * Lowers every call of `program` (byte offsets from `at`) for a backend of `threads` threads;
 * `pointerOf` gives a bound buffer's byte offset when the program runs.
 */
export function lowerProgram(
  program: Program,
  at: At,
  threads: number,
  pointerOf: (buffer: DeviceBuffer) => number,
): Lowered {
  const { lowering, hostScalars } = createLowering(at, threads, pointerOf);
  const calls: LoweredCall[] = [];
  const origin: number[] = [];
  program.calls.forEach((c, i) => {
    const lower = (lowerers as Partial<Record<string, Lowerer<KernelCall>>>)[c.kind];
    if (!lower) throw new Error(`simdnet internal: ${c.kind} reached the WASM lowering unexpanded`);
    const lowered = lower(c, lowering);
    for (const one of Array.isArray(lowered) ? lowered : [lowered]) {
      calls.push(one);
      origin.push(i);
    }
  });
  return { program: { calls, scalarSlots: hostScalars.length }, hostScalars, origin };
}
