// Fresh buffers on private and shared memory: createBuffer's bytes are zero (cleared by the kernel
// module's memory.fill), upload's hold the data and nothing of what the memory held before.
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';
import { LinearMemory } from '../../../src/backend/wasm/memory.js';

describe('fresh buffers', () => {
  for (const threads of [1, 2]) {
    const memoryKind = threads === 1 ? 'private' : 'shared';
    it(`createBuffer reuses freed bytes cleared to zero (${memoryKind} memory)`, () => {
      const backend = new WasmBackend({ threads });
      const dirty = backend.createBuffer(1000 * 4);
      backend.write(dirty, new Float32Array(1000).fill(7.5));
      const was = backend.pointer(dirty);
      backend.disposeBuffer(dirty);
      const fresh = backend.createBuffer(1000 * 4);
      expect(backend.pointer(fresh)).toBe(was);
      expect(Array.from(backend.readF32(fresh, 0, 1000)).every((v) => v === 0)).toBe(true);
    });

    it(`upload copies the data and clears the alignment padding after it (${memoryKind} memory)`, () => {
      const backend = new WasmBackend({ threads });
      const dirty = backend.createBuffer(64 * 4);
      backend.write(dirty, new Float32Array(64).fill(-3));
      const was = backend.pointer(dirty);
      backend.disposeBuffer(dirty);
      const ints = Int32Array.from({ length: 37 }, (_, i) => i * i - 50);
      const uploaded = backend.upload(ints);
      expect(backend.pointer(uploaded)).toBe(was);
      expect(uploaded.bytes).toBe(37 * 4);
      expect(Array.from(backend.readI32(uploaded, 0, 37))).toEqual(Array.from(ints));
      // Bytes 148 … 192 belong to the block (64-byte aligned) and must not keep the old −3s.
      const ptr = backend.pointer(uploaded);
      const memory = new Float32Array((backend as unknown as { memory: LinearMemory }).memory.memory.buffer);
      expect(Array.from(memory.subarray((ptr >> 2) + 37, (ptr >> 2) + 48))).toEqual(new Array(11).fill(0));
      const floats = Float32Array.of(1.5, Number.NaN, -0);
      expect(Array.from(backend.readF32(backend.upload(floats), 0, 3))).toEqual([1.5, Number.NaN, -0]);
    });

    it(
      `uploadCounting copies the data and counts its NaN and ±Infinity values across its chunks (${memoryKind} ` +
        `memory)`,
      () => {
        const backend = new WasmBackend({ threads });
        // Past two chunks of 65,536 values, non-finite values at both sides of each chunk boundary.
        const n = 2 * 65_536 + 37;
        const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e30);
        const bad = [0, 65_535, 65_536, 131_071, 131_072, n - 1];
        for (const [j, i] of bad.entries()) data[i] = [Number.NaN, Infinity, -Infinity][j % 3];
        const { buffer, nonFinite } = backend.uploadCounting(data);
        expect(nonFinite).toBe(bad.length);
        expect(backend.readF32(buffer, 0, n)).toEqual(data);
        const clean = backend.uploadCounting(Float32Array.from({ length: 1000 }, (_, i) => 3.4e38 * Math.cos(i)));
        expect(clean.nonFinite).toBe(0);
      },
    );
  }
});

describe('LinearMemory zeroing', () => {
  it('clears fresh blocks with the given function, and skips it when asked', () => {
    const cleared: [number, number][] = [];
    const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 10 }), 0, (ptr, bytes) =>
      cleared.push([ptr, bytes]),
    );
    const a = mem.alloc(100);
    const b = mem.alloc(10, false);
    expect(cleared).toEqual([[a, 128]]);
    expect(b).toBe(128);
  });
});
