// The one interface between the graph and whatever runs the arithmetic. The graph describes work as
// kernel calls on buffer slices; a backend owns the buffers and turns a list of calls into something
// it can run many times. Nothing here knows about WASM offsets or threads.

/** Activations the kernels apply elementwise (the GEMM epilogue and the activation kernels). */
export type KernelActivation =
  | 'linear'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'hardSigmoid'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'gelu';

/** A persistent buffer: weights, optimizer state, a program's inputs and outputs. */
export interface DeviceBuffer {
  readonly bytes: number;
  readonly disposed: boolean;
}

/**
 * Where a kernel reads or writes: a byte offset into either a persistent buffer or the program's
 * arena (the intermediate tensors whose storage the memory planner assigned).
 */
export type Slice =
  | { readonly kind: 'buffer'; readonly buffer: DeviceBuffer; readonly byteOffset: number }
  | { readonly kind: 'arena'; readonly byteOffset: number };

/** A number read when the program runs, not when it is compiled (a learning rate under a schedule). */
export interface HostScalar {
  value: number;
}

/**
 * A buffer chosen when the program runs, not when it is compiled: a training set copied in for one
 * `fit`, that the compiled step gathers its batches from. Running a program that reads an unbound
 * binding is an error.
 */
export interface BufferBinding {
  buffer: DeviceBuffer | null;
}

/** One kernel invocation: the union of every family's calls (see calls/). */
export type KernelCall = import('./calls/index.js').KernelCall;

/** A compiled list of kernel calls with the arena size the memory planner asked for. */
export interface Program {
  readonly arenaBytes: number;
  readonly calls: readonly KernelCall[];
}

/** A program made runnable: `run` performs every call in order and allocates nothing. */
export interface Executable {
  run(): void;
  dispose(): void;
}

/** What the graph needs from a backend. */
export interface Backend {
  readonly name: string;
  /** Human-readable detail for logs and benchmarks (instruction set, threads). */
  readonly description: string;
  /** Threads that run each program (once `start()` resolved). */
  readonly threads: number;
  /** Gets every thread ready (a no-op for one); programs run correctly, on fewer threads, before. */
  start(): Promise<void>;
  createBuffer(bytes: number): DeviceBuffer;
  /** A new buffer holding a copy of `data` (faster than createBuffer and write: not cleared first). */
  upload(data: Float32Array | Int32Array): DeviceBuffer;
  /** upload() that also counts the NaN and ±Infinity values of `data`, in the same pass. */
  uploadCounting(data: Float32Array): { buffer: DeviceBuffer; nonFinite: number };
  disposeBuffer(buffer: DeviceBuffer): void;
  write(buffer: DeviceBuffer, data: Float32Array | Int32Array, byteOffset?: number): void;
  /**
   * Gathers rows of `rowLength` values: row `rows[start + i]` of `source` goes to row i of the
   * buffer, for i < count (a shuffled batch).
   */
  writeRows(
    buffer: DeviceBuffer,
    source: Float32Array,
    rows: Int32Array,
    start: number,
    count: number,
    rowLength: number,
  ): void;
  readF32(buffer: DeviceBuffer, byteOffset: number, length: number): Float32Array;
  readI32(buffer: DeviceBuffer, byteOffset: number, length: number): Int32Array;
  /** How many of the first `length` float32 values are NaN or ±Infinity. */
  countNonFinite(buffer: DeviceBuffer, length: number): number;
  /** One float32 value, without allocating (read after every training step). */
  readScalar(buffer: DeviceBuffer, byteOffset: number): number;
  /** Bytes of scratch a GEMM of this layout and shape needs. */
  gemmScratchBytes(layout: 'nn' | 'tn' | 'nt', m: number, n: number, k: number): number;
  compile(program: Program): Executable;
}
