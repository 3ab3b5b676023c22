// Calling kernels directly: a bump arena above heapBase on a fresh memory, every buffer followed by
// canary words so that a kernel writing past its operand is caught, plus a seeded uniform source and
// a tolerance check.

import { instantiateKernels } from '../../src/backend/wasm/module.js';

const GUARD = 8;
const CANARY = 0x7fa5a5a5; // a NaN payload no kernel produces

export type KernelHarness = ReturnType<typeof kernelHarness>;

export function kernelHarness(relaxedSimd: boolean, pages = 64) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const { exports, flavour } = instantiateKernels(memory, { relaxedSimd });
  const base = (Number(exports.heapBase.value) + 63) & ~63;
  let top = base;
  const guards: number[] = [];
  const alloc = (n: number) => {
    const ptr = top;
    const g = ptr + 4 * n;
    new Uint32Array(memory.buffer, g, GUARD).fill(CANARY);
    guards.push(g);
    top = (g + 4 * GUARD + 63) & ~63;
    return ptr;
  };
  return {
    k: exports as unknown as Record<string, (...a: number[]) => number>,
    flavour,
    memory,
    reset() {
      top = base;
      guards.length = 0;
    },
    f32(data: ArrayLike<number>) {
      const ptr = alloc(data.length);
      const a = new Float32Array(memory.buffer, ptr, data.length);
      a.set(data);
      return { ptr, a };
    },
    i32(data: ArrayLike<number>) {
      const ptr = alloc(data.length);
      const a = new Int32Array(memory.buffer, ptr, data.length);
      a.set(data);
      return { ptr, a };
    },
    guardsIntact() {
      return guards.every((g) => new Uint32Array(memory.buffer, g, GUARD).every((w) => w === CANARY));
    },
  };
}

/** A seeded uniform source in [0, 1) (mulberry32). */
export function uniformSource(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest violation ratio |a − r| / tol(i); ≤ 1 passes. A tolerance of 0 demands exact equality. */
export function worstViolation(a: ArrayLike<number>, r: ArrayLike<number>, tol: (i: number) => number): number {
  let w = 0;
  for (let i = 0; i < r.length; i++) {
    if (Object.is(a[i], r[i])) continue;
    const d = Math.abs(a[i] - r[i]);
    const t = tol(i);
    if (!(d <= t * 1e9) || t === 0) return Infinity;
    w = Math.max(w, d / t);
  }
  return w;
}
