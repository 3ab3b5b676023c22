// The main thread's side of a thread team: N − 1 workers that instantiated the kernel module on the
// backend's shared memory and run every program in lock-step with the main thread (thread 0).
//
// Worker lifetimes belong to a host: piscina in Node (start, stop, errors), Web Workers in a
// browser. Coordination never goes through messages: commands and barriers live in a control block
// of the shared memory (threads/control.ts), so a kernel call costs a barrier of ~1 µs, not a
// message of ~20 µs.

import { CONTROL_BYTES, Command, Control, ThreadFault } from './threads/control.js';
import type { ProgramMessage, ThreadInit } from './threads/thread-loop.js';
import type { LinearMemory } from './memory.js';
import { startWorkers, type WorkerHost } from './worker-host.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export class ThreadTeam {
  private nextId = 1;
  private disposed = false;

  private constructor(
    readonly threads: number,
    readonly control: Control,
    private readonly host: WorkerHost,
  ) {}

  /** Starts `threads − 1` workers on `memory` and resolves once every one has joined. */
  static async start(memory: LinearMemory, module: WebAssembly.Module, threads: number): Promise<ThreadTeam> {
    // The block is never released: a worker that dies late may still write its fault there.
    const base = memory.alloc(CONTROL_BYTES);
    // Node's main thread may block in Atomics.wait; a browser's may not (it spins).
    const control = new Control(new Int32Array(memory.memory.buffer), base, isNode, threads);
    const init = (thread: number): ThreadInit => ({ module, memory: memory.memory, control: base, thread, threads });
    const host = await startWorkers(threads - 1, init, (reason) => control.fail(threads, reason));
    return new ThreadTeam(threads, control, host);
  }

  /** The first failure of any thread, or null. */
  get fault(): ThreadFault | null {
    return this.control.fault();
  }

  /**
   * Hands a program to the workers: its JSON goes through the shared memory (`write` returns where
   * it put the bytes, `release` frees them), and returns once every worker has built its runner.
   */
  load(message: ProgramMessage, write: (bytes: Uint8Array) => number, release: (ptr: number) => void): number {
    const id = this.nextId++;
    const bytes = new TextEncoder().encode(JSON.stringify(message));
    const ptr = write(bytes);
    try {
      this.control.checkFault();
      this.control.post(Command.Load, id, ptr, bytes.length);
      this.control.barrier(this.threads);
    } finally {
      release(ptr);
    }
    return id;
  }

  /**
   * Runs program `id`: the workers their parts, this thread `mainPart` (its runner, with the
   * barriers). Afterwards the workers poll for the next command for IDLE_SPIN_MS, then block.
   */
  run(id: number, mainPart: () => void): void {
    this.control.checkFault();
    this.control.post(Command.Run, id);
    mainPart();
  }

  /** Makes the workers block now instead of polling for the next command (the main thread goes on alone). */
  rest(): void {
    this.control.checkFault();
    this.control.rest();
  }

  /**
   * Makes the workers poll for `ms` more (a short run of the main thread alone), so that the next team run finds them
   * awake.
   */
  keepPolling(ms: number): void {
    this.control.checkFault();
    this.control.keepPolling(ms);
  }

  /** Forgets program `id` in every worker. */
  drop(id: number): void {
    if (this.disposed || this.fault) return;
    this.control.post(Command.Drop, id);
    this.control.barrier(this.threads);
  }

  /** Tests only: makes worker `thread` fail (`exit`: its thread exits; else it throws), and waits until it has. */
  failWorker(thread: number, mode: 'throw' | 'exit'): void {
    this.control.post(Command.Fail, thread, mode === 'exit' ? 1 : 0);
    this.control.waitForFault(10_000);
  }

  /** Tells the workers to leave and stops them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.fault) this.control.post(Command.Exit);
    await this.host.terminate();
  }
}

export { ThreadFault };
