// The default backend: kernels in SIMD WebAssembly on one linear memory.
//
// `compile` binds every kernel call of a program to its final byte offsets once, producing a flat
// array of closures; `run` is then one JavaScript→WASM call per kernel and nothing else.

import type { Backend, DeviceBuffer, Executable, Program, Slice } from '../backend.js';
import { StateError } from '../../errors.js';
import { LinearMemory } from './memory.js';
import { instantiateKernels, type ModuleOptions, type SimdFlavour } from './module.js';
import { GEMM_LAYOUT_CODES, type KernelFunctions } from './kernels.js';
import { bindCall } from './bind/index.js';

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
    const steps = program.calls.map((call) => bindCall(call, at, this.kernels));
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
