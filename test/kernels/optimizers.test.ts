// sgdUpdate against a float64 reference, both builds.
import { describe, it, expect } from 'vitest';
import { instantiateKernels } from '../../src/backend/wasm/module.js';

// ---- harness: a bump arena above heapBase; every buffer is followed by canary words -------------
const GUARD = 8;
const CANARY = 0x7fa5a5a5; // a NaN payload no kernel produces
function setup(relaxedSimd: boolean) {
  const memory = new WebAssembly.Memory({ initial: 64 });
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
    reset() { top = base; guards.length = 0; },
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
    guardsIntact() { return guards.every((g) => new Uint32Array(memory.buffer, g, GUARD).every((w) => w === CANARY)); },
  };
}
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Largest violation ratio |a − r| / tol(i); ≤ 1 passes. */
function worst(a: ArrayLike<number>, r: ArrayLike<number>, tol: (i: number) => number) {
  let w = 0;
  for (let i = 0; i < r.length; i++) {
    const d = Math.abs(a[i] - r[i]);
    const t = tol(i);
    if (Object.is(a[i], r[i])) continue;
    if (!(d <= t * 1e9) || t === 0) return Infinity; // NaN, mismatch where exactness is required, absurd
    w = Math.max(w, d / t);
  }
  return w;
}
// --------------------------------------------------------------------------------------------------

const SIZES = [1, 3, 4, 5, 17, 1000];

for (const relaxed of [true, false]) {
  describe(`optimizers (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = setup(relaxed);
    const { k } = m;

    it(`sgdUpdate w −= lr·g at n = ${SIZES.join(', ')}`, () => {
      for (const n of SIZES) for (const lr of [0.01, 0.5, 0]) {
        const r = rng(n * 7 + lr * 100);
        const w0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 2);
        const g0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 20);
        m.reset();
        const w = m.f32(w0);
        const g = m.f32(g0);
        const lr32 = Math.fround(lr);
        const ref = Array.from(w0, (v, i) => v - lr32 * g0[i]);
        k.sgdUpdate(w.ptr, g.ptr, n, lr);
        // one or two roundings (fused or not): within 1 ulp of the operands' scale
        expect(worst(w.a, ref, (i) => 1.2e-7 * (Math.abs(w0[i]) + Math.abs(lr32 * g0[i])) + 1e-30), `n=${n} lr=${lr}`).toBeLessThanOrEqual(1);
        if (lr === 0) expect(Array.from(w.a)).toEqual(Array.from(w0));
        expect(Array.from(g.a)).toEqual(Array.from(g0));
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('sgdUpdate with n = 0 touches nothing', () => {
      m.reset();
      const w = m.f32([1, 2]);
      const g = m.f32([1, 1]);
      k.sgdUpdate(w.ptr, g.ptr, 0, 1);
      expect(Array.from(w.a)).toEqual([1, 2]);
      expect(m.guardsIntact()).toBe(true);
    });
  });
}
