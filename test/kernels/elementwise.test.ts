// copyF32 / fillF32 / addF32: exact (one float32 rounding), both builds.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource } from '../helpers/kernel-harness.js';

const setup = kernelHarness;
const rng = uniformSource;
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
