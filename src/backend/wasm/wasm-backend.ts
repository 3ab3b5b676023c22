// The default backend: kernels in SIMD WebAssembly on one linear memory, run by 1..N threads.
//
// `compile` lowers every kernel call of a program to fixed byte offsets once (lower/), and builds
// the runner of thread 0; `run` is then one JavaScript→WASM call per kernel. With more than one
// thread the memory is shared and a team of workers (team.ts) runs each program in lock-step with
// the main thread, every kernel split so that each output element is computed by one thread, in
// the order one thread would use: results are bitwise the same for any thread count. Until the
// team has started (`start()`, which `fit` and `ready()` await), programs run on the main thread
// alone, with the same results.

import type { Backend, DeviceBuffer, Executable, KernelCall, Program, Slice } from '../backend.js';
import { THRESHOLDS } from './split-thresholds.js';
import { StateError, WorkerError } from '../../errors.js';
import { LinearMemory, blockSize } from './memory.js';
import { instantiateKernels, type ModuleOptions, type SimdFlavour } from './module.js';
import { GEMM_LAYOUT_CODES } from './codes.js';
import type { KernelFunctions } from './kernel-table.js';
import { lowerProgram, lowersDirectly } from './lower/index.js';
import { expandProgram } from '../defaults/expand.js';
import { createRunner, sharesWork, type KernelTable } from './threads/runner.js';
import { isShared, type LoweredCall } from './threads/lowered.js';
import { ThreadFault, ThreadTeam } from './team.js';
import { IDLE_SPIN_MS } from './threads/control.js';
import { resolveThreads } from './threads-setting.js';
import { ModeChooser, type TeamHealth } from './mode-chooser.js';
import { hooks } from './testing.js';

class WasmBuffer implements DeviceBuffer {
  disposed = false;
  constructor(
    readonly ptr: number,
    readonly bytes: number,
  ) {}
}

export interface WasmBackendOptions extends ModuleOptions {
  /** Initial memory in 64 KiB pages. */
  initialPages?: number;
  /**
   * Threads that run the kernels, the main thread included: a positive integer. Default: the
   * `SIMDNET_THREADS` environment variable in Node, else one per core. Needs SharedArrayBuffer (in a
   * browser: a cross-origin isolated page); without it the engine runs on one thread.
   */
  threads?: number;
}

const noop = () => {};
/** Values uploadCounting() copies and counts at a time: 256 KB, a quarter of a core's 1 MB L2 here. */
const UPLOAD_CHUNK = 65_536;
/** The warm-up of a new team: at most this many runs of its program, for at most this long. */
const WARM_UP_RUNS = 200;
const WARM_UP_MS = 100;

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly flavour: SimdFlavour;
  readonly memory: LinearMemory;
  readonly kernels: KernelFunctions;
  /** Threads that run each program once `start()` has resolved (1: the main thread alone). */
  readonly threads: number;
  private readonly module: WebAssembly.Module;
  private readonly buffers = new WeakSet<WasmBuffer>();
  private team: ThreadTeam | null = null;
  /** Programs run on the team so far (the rest ran on the main thread alone). */
  teamRuns = 0;
  /** True while warmUp() runs: every program on the team, not counted in teamRuns. */
  private warming = false;
  /** Whether the workers may still be polling after a team run (see team.rest()). */
  private workersPolling = false;
  /** Plain memory that writeRows gathers a batch in before copying it into shared memory. */
  private staging = new Float32Array(0);
  private starting: Promise<void> | null = null;
  /** What the programs have measured of the team lately, shared so that a new program starts from it. */
  private readonly health: TeamHealth = { teamFaster: true, stay: ModeChooser.STAY };

  static {
    // The test switches (testing.ts) reach a backend's team through this, not a public member.
    hooks.teamOf = (backend) => backend.team;
  }

  constructor(options: WasmBackendOptions = {}) {
    this.threads = resolveThreads(options.threads);
    const shared = this.threads > 1;
    const memory = new WebAssembly.Memory({ initial: options.initialPages ?? 256, maximum: 65536, shared });
    const { exports, flavour, module } = instantiateKernels(memory, options, shared);
    this.kernels = exports as unknown as KernelFunctions;
    this.flavour = flavour;
    this.module = module;
    this.memory = new LinearMemory(memory, this.kernels.heapBase.value as number, (ptr, bytes) =>
      this.kernels.zeroBytes(ptr, bytes),
    );
  }

  get description(): string {
    return `wasm (${this.flavour}, ${this.threads} thread${this.threads > 1 ? 's' : ''})`;
  }

  /** Threads running programs right now: `threads` once the team has started, else 1. */
  get activeThreads(): number {
    return this.team ? this.threads : 1;
  }

  /**
   * Starts the worker threads (a no-op with one thread, or when they run). After a worker failed,
   * starts a fresh team on the same memory: the weights are where they were.
   */
  start(): Promise<void> {
    if (this.threads === 1 || this.team) return Promise.resolve();
    if (!this.starting) {
      this.starting = ThreadTeam.start(this.memory, this.module, this.threads).then(
        (team) => {
          this.team = team;
          this.starting = null;
          try {
            this.warmUp();
          } catch (error) {
            if (error instanceof ThreadFault) throw this.teamFailed(team, error);
            throw error;
          }
        },
        (error: Error) => {
          this.starting = null;
          throw new WorkerError(`${error.message}. Training can go on with configureBackend({ threads: 1 }).`);
        },
      );
    }
    return this.starting;
  }

  /**
   * Runs a small split program on a new team for up to WARM_UP_MS. A worker's first runs are
   * interpreted JavaScript (its loop, runner and barriers) that V8 compiles on background threads,
   * which take the cores the team runs on: measured, a fresh team's first 4–14 training steps took
   * 3.7 ms instead of 0.33 ms at batch 32; after this warm-up, the first took 0.7 ms and the rest 0.31.
   */
  private warmUp(): void {
    const n = 2 * THRESHOLDS.light;
    const x: Slice = { kind: 'arena', byteOffset: 0 };
    const y: Slice = { kind: 'arena', byteOffset: n * 4 };
    const calls: KernelCall[] = Array.from({ length: 16 }, (_, i) => ({
      kind: 'activationForward',
      activation: 'relu',
      alpha: 0,
      x: i % 2 ? y : x,
      y: i % 2 ? x : y,
      n,
    }));
    const exe = this.compile({ arenaBytes: 2 * n * 4, calls });
    this.warming = true;
    try {
      const t0 = performance.now();
      for (let i = 0; i < WARM_UP_RUNS && performance.now() - t0 < WARM_UP_MS; i++) exe.run();
    } finally {
      this.warming = false;
      exe.dispose();
    }
  }

  /** Stops the worker threads; programs run on the main thread until `start()` is called again. */
  async stop(): Promise<void> {
    // A team still starting joins first, so that it is stopped too.
    await this.starting?.catch(() => {});
    const team = this.team;
    this.team = null;
    await team?.dispose();
  }

  createBuffer(bytes: number, zeroed = true): WasmBuffer {
    const buffer = new WasmBuffer(this.memory.alloc(bytes, zeroed), bytes);
    this.buffers.add(buffer);
    return buffer;
  }

  upload(data: Float32Array | Int32Array): DeviceBuffer {
    const buffer = this.bufferToFill(data.byteLength);
    this.write(buffer, data);
    return buffer;
  }

  uploadCounting(data: Float32Array): { buffer: DeviceBuffer; nonFinite: number } {
    // Chunk by chunk, each counted while it is in the cache: measured on fit's 31 MB training set,
    // 1.9 ms against 2.2 for the copy and then a count that reads it back from memory.
    const buffer = this.bufferToFill(data.byteLength);
    const f32 = this.memory.f32();
    let nonFinite = 0;
    for (let i = 0; i < data.length; i += UPLOAD_CHUNK) {
      const end = Math.min(data.length, i + UPLOAD_CHUNK);
      f32.set(data.subarray(i, end), (buffer.ptr >> 2) + i);
      nonFinite += this.kernels.countNonFinite(buffer.ptr + i * 4, end - i);
    }
    return { buffer, nonFinite };
  }

  /**
   * A buffer of `bytes` the caller fills whole: not zeroed first, only the allocator's alignment
   * padding after it is cleared (clearing it all would write the data's bytes twice).
   */
  private bufferToFill(bytes: number): WasmBuffer {
    const buffer = this.createBuffer(bytes, false);
    this.kernels.zeroBytes(buffer.ptr + bytes, blockSize(bytes) - bytes);
    return buffer;
  }

  disposeBuffer(buffer: DeviceBuffer): void {
    const b = this.own(buffer);
    if (b.disposed) return;
    b.disposed = true;
    this.memory.release(b.ptr);
  }

  /** The byte offset of a buffer (for code of this backend and its tests only). */
  pointer(buffer: DeviceBuffer, byteOffset = 0): number {
    const b = this.own(buffer);
    if (b.disposed) throw new Error('simdnet internal: use of a disposed buffer');
    return b.ptr + byteOffset;
  }

  write(buffer: DeviceBuffer, data: Float32Array | Int32Array, byteOffset = 0): void {
    this.checkRange(buffer, byteOffset, data.byteLength);
    const ptr = this.pointer(buffer, byteOffset);
    if (data instanceof Float32Array) this.memory.f32().set(data, ptr >> 2);
    else this.memory.i32().set(data, ptr >> 2);
  }

  writeRows(
    buffer: DeviceBuffer,
    source: Float32Array,
    rows: Int32Array,
    start: number,
    count: number,
    rowLength: number,
  ): void {
    this.checkRange(buffer, 0, count * rowLength * 4);
    const base = this.pointer(buffer) >> 2;
    const f32 = this.memory.f32();
    if (this.threads === 1) {
      for (let i = 0; i < count; i++) {
        const r = rows[start + i] * rowLength;
        f32.set(source.subarray(r, r + rowLength), base + i * rowLength);
      }
      return;
    }
    // V8 copies into shared memory with relaxed atomics, ~60% slower than into plain memory; rows
    // gathered into plain memory first and copied in one piece measured ~20% faster (128 rows of 784).
    const n = count * rowLength;
    if (this.staging.length < n) this.staging = new Float32Array(n);
    const staging = this.staging;
    for (let i = 0; i < count; i++) {
      const r = rows[start + i] * rowLength;
      staging.set(source.subarray(r, r + rowLength), i * rowLength);
    }
    f32.set(n === staging.length ? staging : staging.subarray(0, n), base);
  }

  readF32(buffer: DeviceBuffer, byteOffset: number, length: number): Float32Array {
    this.checkRange(buffer, byteOffset, length * 4);
    const start = this.pointer(buffer, byteOffset) >> 2;
    return this.memory.f32().slice(start, start + length);
  }

  readI32(buffer: DeviceBuffer, byteOffset: number, length: number): Int32Array {
    this.checkRange(buffer, byteOffset, length * 4);
    const start = this.pointer(buffer, byteOffset) >> 2;
    return this.memory.i32().slice(start, start + length);
  }

  countNonFinite(buffer: DeviceBuffer, length: number): number {
    this.checkRange(buffer, 0, length * 4);
    return this.kernels.countNonFinite(this.pointer(buffer), length);
  }

  readScalar(buffer: DeviceBuffer, byteOffset: number): number {
    this.checkRange(buffer, byteOffset, 4);
    return this.memory.f32()[this.pointer(buffer, byteOffset) >> 2];
  }

  gemmScratchBytes(layout: 'nn' | 'tn' | 'nt', m: number, n: number, k: number): number {
    return this.kernels.gemmScratchFloats(m, n, k, GEMM_LAYOUT_CODES[layout]) * 4;
  }

  compile(source: Program): Executable {
    // Calls with no kernel of their own become their default compositions first.
    const program = expandProgram(source, lowersDirectly);
    const arena = program.arenaBytes > 0 ? this.memory.alloc(program.arenaBytes) : 0;
    const at = (slice: Slice): number =>
      slice.kind === 'arena' ? arena + slice.byteOffset : this.pointer(slice.buffer, slice.byteOffset);
    const {
      program: lowered,
      hostScalars,
      origin,
    } = lowerProgram(program, at, this.threads, (buffer) => this.pointer(buffer));
    const kernels = this.kernels as unknown as KernelTable;
    const alone = createRunner(lowered, kernels, 0, 1, 0, (slot) => hostScalars[slot].value, noop);
    const T = this.threads;
    const teamWork = T > 1 && sharesWork(lowered, T);
    // Per team: the program's id there and thread 0's runner. The host-scalar slots and the other
    // threads' scratch are allocated once, at the first run with a team.
    let inTeam: { team: ThreadTeam; id: number; run: () => void } | null = null;
    let slotsPtr = 0;
    let scratchPtr = 0;
    let disposed = false;

    const join = (team: ThreadTeam) => {
      if (!slotsPtr) {
        slotsPtr = this.memory.alloc(Math.max(8, lowered.scalarSlots * 8));
        scratchPtr = this.memory.alloc(Math.max(64, scratchStride * (T - 1)));
      }
      const slots = new Float64Array(this.memory.memory.buffer, slotsPtr, lowered.scalarSlots);
      const message = { ...lowered, scalarsPtr: slotsPtr, scratchPtr, scratchStride };
      const write = (bytes: Uint8Array) => {
        const ptr = this.memory.alloc(bytes.length);
        this.memory.u8().set(bytes, ptr);
        return ptr;
      };
      const id = team.load(message, write, (ptr) => this.memory.release(ptr));
      const main = createRunner(
        lowered,
        kernels,
        0,
        T,
        0,
        (slot) => slots[slot],
        () => team.control.barrier(T),
      );
      const run = () => {
        for (let i = 0; i < hostScalars.length; i++) slots[i] = hostScalars[i].value;
        team.run(id, main);
      };
      return { team, id, run };
    };
    // Scratch one part of any shared call may need: at most what the whole call was given.
    const scratchStride = teamWork ? this.scratchStride(program, lowered.calls, origin) : 0;

    const chooser = new ModeChooser(this.health);
    return {
      run: () => {
        if (disposed) throw new Error('simdnet internal: run of a disposed program');
        const team = teamWork ? this.team : null;
        if (!team) return alone();
        try {
          if (inTeam?.team !== team) inTeam = join(team);
          // A placement a test forced (testing.ts), else the chooser's pick.
          const forced = hooks.placement === null ? undefined : hooks.placement.get(this);
          const useTeam = this.warming || forced === 'team' || (forced !== 'alone' && chooser.next());
          const t0 = performance.now();
          if (useTeam) {
            inTeam.run();
            if (!this.warming) this.teamRuns++;
            this.workersPolling = true;
          } else {
            // Workers polling after a team run would take a core the main thread may need (see
            // IDLE_SPIN_MS) once it stays alone. Through a look alone they poll on: a worker that
            // blocked took 3–4 ms to wake on these VMs. Both report a worker that died.
            if (!this.workersPolling) team.control.checkFault();
            else if (forced === 'alone' || chooser.staying) {
              team.rest();
              this.workersPolling = false;
            } else team.keepPolling(Math.min(2 * chooser.soloMs + IDLE_SPIN_MS, 100));
            alone();
          }
          chooser.record(performance.now() - t0);
        } catch (error) {
          if (error instanceof ThreadFault) throw this.teamFailed(team, error);
          throw error;
        }
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (inTeam && inTeam.team === this.team) inTeam.team.drop(inTeam.id);
        if (arena) this.memory.release(arena);
        if (slotsPtr) {
          this.memory.release(slotsPtr);
          this.memory.release(scratchPtr);
        }
      },
    };
  }

  private scratchStride(program: Program, calls: readonly LoweredCall[], origin: readonly number[]): number {
    let bytes = 0;
    calls.forEach(({ split }, i) => {
      const call = program.calls[origin[i]];
      if (call.kind === 'gemm' && split?.scratchArg !== undefined && isShared(split, this.threads)) {
        bytes = Math.max(bytes, this.gemmScratchBytes(call.layout, call.m, call.n, call.k));
      }
    });
    return Math.ceil(bytes / 64) * 64;
  }

  /** A worker failed mid-program: drop the team (the next start() makes a fresh one) and say what happened. */
  private teamFailed(team: ThreadTeam, fault: ThreadFault): WorkerError {
    if (this.team === team) {
      this.team = null;
      void team.dispose();
    }
    const who =
      fault.thread >= this.threads ? 'a worker thread' : `worker thread ${fault.thread} of ${this.threads - 1}`;
    return new WorkerError(
      `${who} stopped while running the kernels (${fault.reason}). The step it was running was abandoned, so the ` +
        `weights may hold part of ` +
        'its update; the next fit() or ready() starts fresh worker threads on the same weights.',
    );
  }

  private own(buffer: DeviceBuffer): WasmBuffer {
    if (!(buffer instanceof WasmBuffer) || !this.buffers.has(buffer)) {
      throw new StateError(
        `these weights live on another backend than ${this.description}; a model moves them by itself at its next ` +
          'fit(), evaluate() or predict() after configureBackend(): use the model through those.',
      );
    }
    return buffer;
  }

  private checkRange(buffer: DeviceBuffer, byteOffset: number, bytes: number): void {
    if (byteOffset < 0 || byteOffset + bytes > buffer.bytes) {
      throw new RangeError(
        `simdnet internal: access [${byteOffset}, ${byteOffset + bytes}) outside a buffer of ${buffer.bytes} bytes`,
      );
    }
  }
}
