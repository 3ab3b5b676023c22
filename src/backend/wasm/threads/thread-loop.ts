// What a worker thread does: instantiate the kernel module on the team's shared memory, then serve
// the main thread's commands (control.ts) until told to exit or until a thread fails.

import { ARG0, ARG1, ARG2, ATTACHED, CMD, Command, Control, IDLE_SPIN_MS, SEQ, ThreadFault } from './control.js';
import type { LoweredProgram } from './lowered.js';
import { createRunner, type KernelTable } from './runner.js';

/** What a worker is given to join a team (structured-cloneable: modules and shared memories are). */
export interface ThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  readonly control: number;
  /** This worker's index, 1..threads−1 (the main thread is 0). */
  readonly thread: number;
  readonly threads: number;
}

/** A program as the main thread hands it over: the lowered calls plus where its shared state lives. */
export interface ProgramMessage extends LoweredProgram {
  /** Byte offset of `scalarSlots` float64 values the main thread writes before each run. */
  readonly scalarsPtr: number;
  /** Byte offset of thread 1's scratch; thread t's is at + (t − 1)·scratchStride. */
  readonly scratchPtr: number;
  readonly scratchStride: number;
}

/** A worker that has joined a team. */
export interface Attached {
  readonly init: ThreadInit;
  readonly control: Control;
  readonly kernels: KernelTable;
  /**
   * The command count when it joined: the main thread posts nothing before every worker has
   * joined, so a command posted before `serve` starts (the worker may be slow to get there) is
   * still seen as new.
   */
  readonly seq: number;
}

/**
 * Instantiates the kernels on the shared memory and counts this worker in. Instantiating rewrites
 * the module's static data (constant tables) with the bytes it already holds, so threads that are
 * running meanwhile read the same values.
 */
export function attach(init: ThreadInit): Attached {
  const instance = new WebAssembly.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: () => {
        throw new Error('kernel aborted');
      },
    },
  });
  const control = new Control(new Int32Array(init.memory.buffer), init.control, true, init.threads);
  const seq = control.load(SEQ);
  Atomics.add(control.words, (init.control >> 2) + ATTACHED, 1);
  Atomics.notify(control.words, (init.control >> 2) + ATTACHED);
  return { init, control, kernels: instance.exports as KernelTable, seq };
}

function decode(memory: WebAssembly.Memory, ptr: number, length: number): ProgramMessage {
  // A fresh view: the memory may have grown since this thread last looked. TextDecoder refuses
  // views of shared memory in browsers, hence the copy.
  const bytes = new Uint8Array(length);
  bytes.set(new Uint8Array(memory.buffer, ptr, length));
  return JSON.parse(new TextDecoder().decode(bytes)) as ProgramMessage;
}

/**
 * Serves commands until Exit. Returns on Exit, when another thread failed, or after recording this
 * thread's own failure in the control block (which wakes every other thread: the main thread
 * reports it).
 * `exitWorker` ends the worker's process or thread (the Fail command's exit mode, for tests).
 */
export function serve(attached: Attached, exitWorker: (code: number) => void): void {
  const { init, control, kernels } = attached;
  const { thread: t, threads: T, memory } = init;
  const runners = new Map<number, () => void>();
  let seen = attached.seq;
  try {
    for (;;) {
      control.waitChange(SEQ, seen, Infinity, IDLE_SPIN_MS, true);
      seen = control.load(SEQ);
      const cmd = control.load(CMD);
      const id = control.load(ARG0);
      if (cmd === Command.Exit) return;
      if (cmd === Command.Run) {
        const run = runners.get(id);
        if (!run) throw new Error(`program ${id} was never loaded`);
        run();
      } else if (cmd === Command.Load) {
        const p = decode(memory, control.load(ARG1), control.load(ARG2));
        const scalars = new Float64Array(memory.buffer, p.scalarsPtr, p.scalarSlots);
        const scratch = p.scratchPtr + (t - 1) * p.scratchStride;
        runners.set(
          id,
          createRunner(
            p,
            kernels,
            t,
            T,
            scratch,
            (slot) => scalars[slot],
            () => control.barrier(T),
          ),
        );
        control.barrier(T);
      } else if (cmd === Command.Drop) {
        runners.delete(id);
        control.barrier(T);
      } else if (cmd === Command.Fail && id === t) {
        if (control.load(ARG1) === 1) exitWorker(3);
        throw new Error('failure injected by a test');
      }
    }
  } catch (error) {
    if (error instanceof ThreadFault) return; // another thread failed: stop quietly
    control.fail(t, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}
