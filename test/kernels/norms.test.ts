// gradientNormSq against a float64 reference, both builds.
import { describe, expect, it } from 'vitest';
import { kernelHarness, uniformSource } from '../helpers/kernel-harness.js';

// Around the 8-float turn, the 1024-float block and several blocks.
const SIZES = [0, 1, 3, 7, 8, 9, 15, 1023, 1024, 1025, 5003];

function reference(g: Float32Array, w: Float32Array, l1: number, l2: number): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const v = g[i] + l1 * Math.sign(w[i]) + 2 * l2 * w[i];
    s += v * v;
  }
  return s;
}

for (const relaxedSimd of [true, false]) {
  describe(`gradientNormSq (${relaxedSimd ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = kernelHarness(relaxedSimd);
    const { k } = m;

    it(`Σ(g + l1·sign(w) + 2·l2·w)² at n = ${SIZES.join(', ')}, with and without regularizer`, () => {
      for (const n of SIZES) {
        for (const [l1, l2] of [
          [0, 0],
          [0.01, 0],
          [0, 0.05],
          [0.02, 0.1],
        ]) {
          const r = uniformSource(n * 13 + l1 * 1000 + l2 * 100);
          const g0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 4);
          // Some exact zeros in w: sign(0) = 0.
          const w0 = Float32Array.from({ length: n }, (_, i) => (i % 5 === 2 ? 0 : (r() - 0.5) * 2));
          m.reset();
          const g = m.f32(g0);
          const w = m.f32(w0);
          const out = m.f32([123]);
          k.gradientNormSq(g.ptr, w.ptr, n, l1, l2, 0, out.ptr);
          const ref = reference(g0, w0, Math.fround(l1), Math.fround(l2));
          expect(Math.abs(out.a[0] - ref), `n=${n} l1=${l1} l2=${l2}`).toBeLessThanOrEqual(2e-6 * ref + 1e-30);
          expect(Array.from(g.a)).toEqual(Array.from(g0));
          expect(Array.from(w.a)).toEqual(Array.from(w0));
          expect(m.guardsIntact()).toBe(true);
        }
      }
    });

    it('accumulate = 1 adds to out[0] (one call per gradient tensor); 0 overwrites it', () => {
      m.reset();
      const a = m.f32([3, 4]);
      const b = m.f32([1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
      const zero = m.f32(new Float32Array(11));
      const out = m.f32([Number.NaN]);
      k.gradientNormSq(a.ptr, zero.ptr, 2, 0, 0, 0, out.ptr);
      expect(out.a[0]).toBe(25);
      k.gradientNormSq(b.ptr, zero.ptr, 11, 0, 0, 1, out.ptr);
      expect(out.a[0]).toBe(34);
      expect(m.guardsIntact()).toBe(true);
    });

    it('stays finite for large finite gradients up to the float32 range of the sum', () => {
      m.reset();
      const g = m.f32(new Float32Array(4096).fill(1e17));
      const out = m.f32([0]);
      k.gradientNormSq(g.ptr, g.ptr, 4096, 0, 0, 0, out.ptr);
      // 4096 · 1e34 = 4.096e37 < 3.4e38: exact enough, no overflow in the f32 block sums.
      expect(out.a[0] / 4.096e37).toBeCloseTo(1, 5);
    });
  });
}
