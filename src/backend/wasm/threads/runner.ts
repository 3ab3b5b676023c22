// Thread t's way through a lowered program: per call, the kernel export and the argument list of
// its part, and where it must meet the other threads.
//
// A barrier follows every call that more than one thread works on (the next call may read any of
// its output). A call that thread 0 runs alone needs no barrier after it: the others skip it, and
// the barrier before the next shared call (placed there because thread 0 ran alone since the last
// barrier) makes its output visible before anyone reads it. A program that shares no call runs on
// thread 0 only and never waits.

import { hasPart, isShared, partArgs, type LoweredProgram } from './lowered.js';

/** The kernel exports by name (functions of numbers). */
export type KernelTable = Record<string, unknown>;

type KernelFn = (...args: number[]) => unknown;

interface Step {
  readonly fn: KernelFn;
  readonly args: number[];
  readonly scalars: readonly (readonly [number, number])[];
  readonly mine: boolean;
  readonly before: boolean;
  readonly after: boolean;
}

/** True when the program has a call that T threads share (else thread 0 runs it alone). */
export function sharesWork(program: LoweredProgram, T: number): boolean {
  return program.calls.some((c) => isShared(c.split, T));
}

/**
 * Thread t of T's runner for `program`. `scratch` is this thread's own scratch (threads > 0),
 * `scalar(slot)` reads a host scalar at the start of each run, `barrier()` meets the other threads.
 */
export function createRunner(
  program: LoweredProgram,
  kernels: KernelTable,
  t: number,
  T: number,
  scratch: number,
  scalar: (slot: number) => number,
  barrier: () => void,
): () => void {
  const steps: Step[] = [];
  let aloneSinceBarrier = false;
  for (const call of program.calls) {
    const fn = kernels[call.fn];
    if (typeof fn !== 'function') throw new Error(`simdnet internal: the kernel module has no export ${call.fn}`);
    const shared = isShared(call.split, T);
    const step: Step = {
      fn: fn as KernelFn,
      args: partArgs(call, t, T, scratch),
      scalars: call.scalars,
      mine: hasPart(call, t, T),
      before: shared && aloneSinceBarrier,
      after: shared,
    };
    // Steps that do nothing on this thread and meet no one are dropped.
    if (step.mine || step.before || step.after) steps.push(step);
    // Every thread places the same barriers: the rule looks at the program only, never at t.
    aloneSinceBarrier = !shared;
  }
  const withScalars = steps.filter((s) => s.mine && s.scalars.length > 0);
  const n = steps.length;
  return () => {
    for (const step of withScalars) for (const [arg, slot] of step.scalars) step.args[arg] = scalar(slot);
    for (let i = 0; i < n; i++) {
      const step = steps[i];
      if (step.before) barrier();
      if (step.mine) step.fn.apply(null, step.args);
      if (step.after) barrier();
    }
  };
}
