// sgdUpdate against a float64 reference, both builds.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';

const setup = kernelHarness;
const rng = uniformSource;
const worst = worstViolation;
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
        k.sgdUpdate(w.ptr, g.ptr, n, lr, 0, 0);
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
      k.sgdUpdate(w.ptr, g.ptr, 0, 1, 0, 0);
      expect(Array.from(w.a)).toEqual([1, 2]);
      expect(m.guardsIntact()).toBe(true);
    });
  });
}
