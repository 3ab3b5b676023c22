// copyF32 / fillF32 / scaleF32 / addF32: exact (one float32 rounding), both builds.
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

const SIZES = [0, 1, 3, 4, 5, 17, 1000];

for (const relaxed of [true, false]) {
  describe(`elementwise (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = setup(relaxed);
    const { k } = m;
    const data = (n: number, seed: number) => {
      const r = rng(seed);
      return Float32Array.from({ length: n }, () => (r() - 0.5) * 1e3);
    };

    it('copyF32 copies exactly (and x == x is a no-op)', () => {
      for (const n of SIZES) {
        m.reset();
        const a0 = data(n, n);
        const a = m.f32(a0);
        const b = m.f32(new Float32Array(n).fill(5));
        k.copyF32(a.ptr, b.ptr, n);
        expect(Array.from(b.a)).toEqual(Array.from(a0));
        k.copyF32(a.ptr, a.ptr, n);
        expect(Array.from(a.a)).toEqual(Array.from(a0));
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('fillF32 fills exactly n values', () => {
      for (const n of SIZES) {
        m.reset();
        const a = m.f32(new Float32Array(n));
        k.fillF32(a.ptr, n, -2.5);
        expect(Array.from(a.a)).toEqual(new Array(n).fill(-2.5));
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('scaleF32 y = s·x, out of place and in place', () => {
      for (const n of SIZES) {
        m.reset();
        const x0 = data(n, n + 1);
        const s = 0.1;
        const ref = Array.from(x0, (v) => Math.fround(Math.fround(s) * v));
        const x = m.f32(x0);
        const y = m.f32(new Float32Array(n));
        k.scaleF32(x.ptr, y.ptr, n, s);
        expect(Array.from(y.a)).toEqual(ref);
        k.scaleF32(x.ptr, x.ptr, n, s);
        expect(Array.from(x.a)).toEqual(ref);
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('addF32 y = a + b, out of place and in place on either operand', () => {
      for (const n of SIZES) {
        m.reset();
        const a0 = data(n, n + 2);
        const b0 = data(n, n + 3);
        const ref = Array.from(a0, (v, i) => Math.fround(v + b0[i]));
        const a = m.f32(a0);
        const b = m.f32(b0);
        const y = m.f32(new Float32Array(n));
        k.addF32(a.ptr, b.ptr, y.ptr, n);
        expect(Array.from(y.a)).toEqual(ref);
        k.addF32(a.ptr, b.ptr, a.ptr, n);
        expect(Array.from(a.a)).toEqual(ref);
        a.a.set(a0);
        k.addF32(a.ptr, b.ptr, b.ptr, n);
        expect(Array.from(b.a)).toEqual(ref);
        expect(m.guardsIntact()).toBe(true);
      }
    });
  });
}
