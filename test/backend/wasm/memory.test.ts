import { describe, expect, it } from 'vitest';
import { LinearMemory } from '../../../src/backend/wasm/memory.js';

describe('LinearMemory', () => {
  it('hands out 64-byte aligned, zeroed, non-overlapping blocks and reuses freed ones', () => {
    const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 1000);
    const a = mem.alloc(100);
    const b = mem.alloc(10);
    const c = mem.alloc(5000);
    for (const p of [a, b, c]) expect(p % 64).toBe(0);
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(b).toBeGreaterThanOrEqual(a + 100);
    expect(c).toBeGreaterThanOrEqual(b + 10);
    mem.u8().fill(7, a, a + 100);
    mem.release(a);
    const d = mem.alloc(64);
    expect(d).toBe(a);
    expect(mem.u8()[d]).toBe(0);
    expect(mem.allocatedBytes).toBe(64 + 64 + 5056);
  });

  it('coalesces neighbours and gives the top back', () => {
    const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 0);
    const blocks = [mem.alloc(64), mem.alloc(64), mem.alloc(64)];
    mem.release(blocks[0]);
    mem.release(blocks[2]);
    mem.release(blocks[1]);
    expect(mem.alloc(192)).toBe(blocks[0]);
  });

  it('grows the memory and keeps views valid after growth', () => {
    const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 0);
    const p = mem.alloc(1000);
    mem.f32()[p >> 2] = 3.5;
    const big = mem.alloc(300_000);
    expect(mem.byteLength).toBeGreaterThanOrEqual(big + 300_000);
    expect(mem.f32()[p >> 2]).toBe(3.5);
    expect(mem.highWater).toBe(big + 300_032);
  });
});
