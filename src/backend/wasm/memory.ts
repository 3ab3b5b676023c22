// The linear memory the kernels work on, and the allocator that hands out its bytes.
//
// Every tensor of the engine lives here. TypeScript owns the allocation (the kernels never allocate):
// a first-fit free list over [heapBase, memory end), 64-byte aligned (a cache line, so that two
// buffers never share one when threads write them), coalescing on free, growing the memory by whole
// pages when nothing fits. The memory is imported by the kernel module so that it can later become a
// shared WebAssembly.Memory that worker threads instantiate the same module on.

const PAGE = 65536;
export const ALIGN = 64;
const MAX_PAGES = 65536; // 4 GiB: the wasm32 address space.

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** The bytes alloc() hands out for a request of `bytes`: at least one, rounded up to ALIGN. */
export function blockSize(bytes: number): number {
  return alignUp(Math.max(bytes, 1));
}

interface FreeBlock {
  start: number;
  end: number;
}

export class LinearMemory {
  readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private free: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private top: number;
  private highWaterMark: number;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;

  /**
   * `zero(ptr, bytes)` clears fresh bytes; the kernel module's memory.fill is given here, because
   * JavaScript's fill on a shared memory is several times slower (relaxed atomic stores).
   */
  constructor(
    memory: WebAssembly.Memory,
    heapBase: number,
    private readonly zero: (ptr: number, bytes: number) => void = (ptr, bytes) => this.u8().fill(0, ptr, ptr + bytes),
  ) {
    this.memory = memory;
    this.base = alignUp(heapBase);
    this.top = this.base;
    this.highWaterMark = this.base;
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
  }

  /** Bytes of the memory, as the engine sees them now. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** The highest byte ever handed out: constant once training runs in steady state. */
  get highWater(): number {
    return this.highWaterMark;
  }

  /** Bytes currently allocated. */
  get allocatedBytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /**
   * Returns the byte offset of `bytes` fresh bytes, aligned to 64: zeroed, unless `zeroed` is false
   * (for a buffer that is written whole at once).
   */
  alloc(bytes: number, zeroed = true): number {
    const size = blockSize(bytes);
    let ptr = -1;
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block.end - block.start >= size) {
        ptr = block.start;
        block.start += size;
        if (block.start === block.end) this.free.splice(i, 1);
        break;
      }
    }
    if (ptr < 0) {
      ptr = this.top;
      this.top += size;
      this.ensure(this.top);
    }
    this.highWaterMark = Math.max(this.highWaterMark, ptr + size);
    this.sizes.set(ptr, size);
    if (zeroed) this.zero(ptr, size);
    return ptr;
  }

  /** Returns a block to the free list, merging it with free neighbours. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`simdnet internal: release of unknown pointer ${ptr}`);
    this.sizes.delete(ptr);
    const block: FreeBlock = { start: ptr, end: ptr + size };
    let i = 0;
    while (i < this.free.length && this.free[i].start < block.start) i++;
    this.free.splice(i, 0, block);
    // Merge with the next and the previous block.
    const next = this.free[i + 1];
    if (next && next.start === block.end) {
      block.end = next.end;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.end === block.start) {
      prev.end = block.end;
      this.free.splice(i, 1);
    }
    // A free block that reaches the top gives its bytes back to the bump region.
    const last = this.free[this.free.length - 1];
    if (last && last.end === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    const total = have / PAGE + pages;
    if (total > MAX_PAGES) {
      throw new RangeError(
        `simdnet: out of WebAssembly memory: ${(end / 2 ** 30).toFixed(2)} GiB needed, 4 GiB is the limit; use a ` +
          `smaller batchSize or model.`,
      );
    }
    // Grow by at least a quarter so that a growing model does not grow page by page.
    this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 4)));
  }

  /** Float32 view of the whole memory, re-created after the memory grew. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.refresh();
    return this.f32View;
  }

  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.refresh();
    return this.i32View;
  }

  u8(): Uint8Array {
    if (this.u8View.buffer !== this.memory.buffer) this.refresh();
    return this.u8View;
  }

  private refresh(): void {
    this.f32View = new Float32Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
    this.u8View = new Uint8Array(this.memory.buffer);
  }
}
