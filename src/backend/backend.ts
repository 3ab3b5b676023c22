// The one interface between the graph and whatever runs the arithmetic. The graph describes work as
// kernel calls on buffer slices; a backend owns the buffers and turns a list of calls into something
// it can run many times. Nothing here knows about WASM offsets or threads.

/** Activations the kernels apply elementwise (the GEMM epilogue and the activation kernels). */
export type KernelActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

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

/** One kernel invocation. Shapes are element counts; every tensor is row-major float32 unless noted. */
export type KernelCall =
  | {
      readonly kind: 'gemm';
      /** nn: C = A·B; tn: C = Aᵀ·B with A stored [k, m]; nt: C = A·Bᵀ with B stored [n, k]. */
      readonly layout: 'nn' | 'tn' | 'nt';
      readonly m: number;
      readonly n: number;
      readonly k: number;
      readonly a: Slice;
      readonly b: Slice;
      readonly c: Slice;
      readonly bias: Slice | null;
      readonly activation: KernelActivation;
      readonly accumulate: boolean;
      /** Scratch for packing, `gemmScratchBytes` long. */
      readonly scratch: Slice | null;
    }
  | { readonly kind: 'activationForward'; readonly activation: KernelActivation; readonly x: Slice; readonly y: Slice; readonly n: number }
  | {
      readonly kind: 'activationBackward';
      readonly activation: KernelActivation;
      readonly y: Slice;
      readonly dy: Slice;
      readonly dx: Slice;
      readonly n: number;
    }
  | { readonly kind: 'softmax'; readonly x: Slice; readonly y: Slice; readonly rows: number; readonly cols: number }
  | {
      readonly kind: 'softmaxBackward';
      readonly y: Slice;
      readonly dy: Slice;
      readonly dx: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  | {
      /** Categorical cross-entropy: writes the batch's summed loss and, if `grad`, its gradient × gradScale. */
      readonly kind: 'crossEntropy';
      /** logits: softmax fused in; probs: Keras's clipped from-probabilities path. */
      readonly input: 'logits' | 'probs';
      /** sparse: labels are int32 class indices; dense: float32 target rows (one-hot). */
      readonly labels: 'sparse' | 'dense';
      readonly x: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly grad: Slice | null;
      readonly gradScale: number;
      readonly lossOut: Slice;
    }
  | { readonly kind: 'columnSums'; readonly rows: number; readonly cols: number; readonly x: Slice; readonly out: Slice; readonly accumulate: boolean }
  | {
      readonly kind: 'accuracy';
      readonly labels: 'sparse' | 'dense';
      readonly scores: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly out: Slice;
    }
  | { readonly kind: 'argmax'; readonly x: Slice; readonly rows: number; readonly cols: number; readonly out: Slice }
  | { readonly kind: 'add'; readonly a: Slice; readonly b: Slice; readonly y: Slice; readonly n: number }
  | { readonly kind: 'scale'; readonly x: Slice; readonly y: Slice; readonly n: number; readonly factor: number }
  | { readonly kind: 'copy'; readonly src: Slice; readonly dst: Slice; readonly n: number }
  | { readonly kind: 'sgdUpdate'; readonly w: Slice; readonly g: Slice; readonly n: number; readonly learningRate: HostScalar };

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
  createBuffer(bytes: number): DeviceBuffer;
  disposeBuffer(buffer: DeviceBuffer): void;
  write(buffer: DeviceBuffer, data: Float32Array | Int32Array, byteOffset?: number): void;
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
