// The default backend: kernels in SIMD WebAssembly on one linear memory.
//
// `compile` binds every kernel call of a program to its final byte offsets once, producing a flat
// array of closures; `run` is then one JavaScript→WASM call per kernel and nothing else.

import type { Backend, DeviceBuffer, Executable, KernelCall, Program, Slice } from '../backend.js';
import { StateError } from '../../errors.js';
import { LinearMemory } from './memory.js';
import { instantiateKernels, type ModuleOptions, type SimdFlavour } from './module.js';
import { ACTIVATION_CODES, GEMM_LAYOUT_CODES, type KernelFunctions } from './kernels.js';

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
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly flavour: SimdFlavour;
  readonly memory: LinearMemory;
  readonly kernels: KernelFunctions;
  private readonly buffers = new WeakSet<WasmBuffer>();

  constructor(options: WasmBackendOptions = {}) {
    const memory = new WebAssembly.Memory({ initial: options.initialPages ?? 256, maximum: 65536 });
    const { exports, flavour } = instantiateKernels(memory, options);
    this.kernels = exports as unknown as KernelFunctions;
    this.flavour = flavour;
    this.memory = new LinearMemory(memory, this.kernels.heapBase.value as number);
  }

  get description(): string {
    return `wasm (${this.flavour}, 1 thread)`;
  }

  createBuffer(bytes: number): DeviceBuffer {
    const buffer = new WasmBuffer(this.memory.alloc(bytes), bytes);
    this.buffers.add(buffer);
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

  compile(program: Program): Executable {
    const arena = program.arenaBytes > 0 ? this.memory.alloc(program.arenaBytes) : 0;
    const at = (slice: Slice): number => (slice.kind === 'arena' ? arena + slice.byteOffset : this.pointer(slice.buffer, slice.byteOffset));
    const steps = program.calls.map((call) => this.bind(call, at));
    let disposed = false;
    return {
      run: () => {
        if (disposed) throw new Error('simdnet internal: run of a disposed program');
        for (let i = 0; i < steps.length; i++) steps[i]();
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (arena) this.memory.release(arena);
      },
    };
  }

  private bind(call: KernelCall, at: (s: Slice) => number): () => void {
    const k = this.kernels;
    switch (call.kind) {
      case 'gemm': {
        const { m, n, k: depth } = call;
        const a = at(call.a);
        const b = at(call.b);
        const c = at(call.c);
        const acc = call.accumulate ? 1 : 0;
        const scratch = call.scratch ? at(call.scratch) : 0;
        if (call.layout === 'nn') {
          const bias = call.bias ? at(call.bias) : 0;
          const act = ACTIVATION_CODES[call.activation];
          return () => k.gemmNN(m, n, depth, a, depth, b, n, c, n, bias, act, acc);
        }
        if (call.layout === 'tn') return () => k.gemmTN(m, n, depth, a, m, b, n, c, n, acc, scratch);
        return () => k.gemmNT(m, n, depth, a, depth, b, depth, c, n, acc, scratch);
      }
      case 'activationForward': {
        const act = ACTIVATION_CODES[call.activation];
        const x = at(call.x);
        const y = at(call.y);
        return () => k.activationForward(act, x, y, call.n);
      }
      case 'activationBackward': {
        const act = ACTIVATION_CODES[call.activation];
        const y = at(call.y);
        const dy = at(call.dy);
        const dx = at(call.dx);
        return () => k.activationBackward(act, y, dy, dx, call.n);
      }
      case 'softmax': {
        const x = at(call.x);
        const y = at(call.y);
        return () => k.softmaxRows(x, y, call.rows, call.cols);
      }
      case 'softmaxBackward': {
        const y = at(call.y);
        const dy = at(call.dy);
        const dx = at(call.dx);
        return () => k.softmaxBackwardRows(y, dy, dx, call.rows, call.cols);
      }
      case 'crossEntropy': {
        const x = at(call.x);
        const t = at(call.target);
        const grad = call.grad ? at(call.grad) : 0;
        const out = at(call.lossOut);
        const { rows, cols, gradScale } = call;
        const fn =
          call.input === 'logits'
            ? call.labels === 'sparse'
              ? k.softmaxCrossEntropySparse
              : k.softmaxCrossEntropyDense
            : call.labels === 'sparse'
              ? k.crossEntropySparseFromProbs
              : k.crossEntropyDenseFromProbs;
        return () => fn(x, t, rows, cols, grad, gradScale, out);
      }
      case 'columnSums': {
        const x = at(call.x);
        const out = at(call.out);
        const acc = call.accumulate ? 1 : 0;
        return () => k.columnSums(call.rows, call.cols, x, call.cols, out, acc);
      }
      case 'accuracy': {
        const s = at(call.scores);
        const t = at(call.target);
        const out = at(call.out);
        const fn = call.labels === 'sparse' ? k.accuracySparse : k.accuracyDense;
        return () => fn(s, t, call.rows, call.cols, out);
      }
      case 'argmax': {
        const x = at(call.x);
        const out = at(call.out);
        return () => k.argmaxRows(x, call.rows, call.cols, out);
      }
      case 'add': {
        const a = at(call.a);
        const b = at(call.b);
        const y = at(call.y);
        return () => k.addF32(a, b, y, call.n);
      }
      case 'scale': {
        const x = at(call.x);
        const y = at(call.y);
        return () => k.scaleF32(x, y, call.n, call.factor);
      }
      case 'copy': {
        const src = at(call.src);
        const dst = at(call.dst);
        return () => k.copyF32(src, dst, call.n);
      }
      case 'sgdUpdate': {
        const w = at(call.w);
        const g = at(call.g);
        const lr = call.learningRate;
        return () => k.sgdUpdate(w, g, call.n, lr.value);
      }
    }
  }

  private own(buffer: DeviceBuffer): WasmBuffer {
    if (!(buffer instanceof WasmBuffer) || !this.buffers.has(buffer)) {
      throw new StateError('this model was built on a backend that configureBackend() has since replaced; build models after configuring the backend.');
    }
    return buffer;
  }

  private checkRange(buffer: DeviceBuffer, byteOffset: number, bytes: number): void {
    if (byteOffset < 0 || byteOffset + bytes > buffer.bytes) {
      throw new RangeError(`simdnet internal: access [${byteOffset}, ${byteOffset + bytes}) outside a buffer of ${buffer.bytes} bytes`);
    }
  }
}
