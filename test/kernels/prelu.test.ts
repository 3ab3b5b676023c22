// preluForward / preluBackward against float64, both builds: column counts around the vector width,
// dx and dalpha each skipped (null pointer), dx == dy in place, canaries after every buffer.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';

function data(n: number, seed: number, scale = 4): Float32Array {
  const r = uniformSource(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * scale);
}

for (const relaxed of [true, false]) {
  describe(`prelu kernels (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = kernelHarness(relaxed);
    const { k } = m;
    const shapes = [
      [1, 1],
      [3, 3],
      [5, 4],
      [7, 9],
      [32, 17],
      [2, 300],
    ];

    it('forward matches x > 0 ? x : alpha_j·x (out of place and in place)', () => {
      for (const [rows, cols] of shapes) {
        const x0 = data(rows * cols, rows * 31 + cols);
        const a0 = data(cols, cols + 7, 1);
        const ref = Array.from(x0, (v, i) => (v > 0 ? v : a0[i % cols] * v));
        m.reset();
        const x = m.f32(x0);
        const alpha = m.f32(a0);
        const y = m.f32(new Float32Array(rows * cols).fill(9));
        k.preluForward(x.ptr, alpha.ptr, y.ptr, rows, cols);
        expect(
          worstViolation(y.a, ref, (i) => 6e-8 * Math.abs(ref[i])),
          `${rows}x${cols}`,
        ).toBeLessThanOrEqual(1);
        k.preluForward(x.ptr, alpha.ptr, x.ptr, rows, cols);
        expect(Array.from(x.a)).toEqual(Array.from(y.a));
        expect(Array.from(alpha.a)).toEqual(Array.from(a0));
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('backward: dx = dy·(x > 0 ? 1 : alpha_j), dalpha_j = Σ_rows dy·x over x ≤ 0; either may be skipped', () => {
      for (const [rows, cols] of shapes) {
        const x0 = data(rows * cols, rows * 13 + cols);
        const a0 = data(cols, cols + 3, 1);
        const dy0 = data(rows * cols, rows + cols * 5, 2);
        const dxRef = Array.from(x0, (v, i) => dy0[i] * (v > 0 ? 1 : a0[i % cols]));
        const daRef = new Array<number>(cols).fill(0);
        const daScale = new Array<number>(cols).fill(0);
        x0.forEach((v, i) => {
          if (v <= 0) daRef[i % cols] += dy0[i] * v;
          daScale[i % cols] += Math.abs(dy0[i] * v);
        });
        m.reset();
        const x = m.f32(x0);
        const alpha = m.f32(a0);
        const dy = m.f32(dy0);
        const dx = m.f32(new Float32Array(rows * cols).fill(5));
        const da = m.f32(new Float32Array(cols).fill(5)); // overwritten, not accumulated into
        k.preluBackward(x.ptr, alpha.ptr, dy.ptr, dx.ptr, da.ptr, rows, cols);
        expect(
          worstViolation(dx.a, dxRef, (i) => 6e-8 * Math.abs(dxRef[i])),
          `dx ${rows}x${cols}`,
        ).toBeLessThanOrEqual(1);
        expect(
          worstViolation(da.a, daRef, (j) => 1e-6 * daScale[j] + 1e-30),
          `dalpha ${rows}x${cols}`,
        ).toBeLessThanOrEqual(1);
        const dx1 = Array.from(dx.a);
        const da1 = Array.from(da.a);
        // dx only, then dalpha only: the same numbers, the skipped output untouched
        dx.a.fill(5);
        da.a.fill(5);
        k.preluBackward(x.ptr, alpha.ptr, dy.ptr, dx.ptr, 0, rows, cols);
        expect(Array.from(dx.a)).toEqual(dx1);
        expect(Array.from(da.a).every((v) => v === 5)).toBe(true);
        dx.a.fill(5);
        k.preluBackward(x.ptr, alpha.ptr, dy.ptr, 0, da.ptr, rows, cols);
        expect(Array.from(da.a)).toEqual(da1);
        expect(Array.from(dx.a).every((v) => v === 5)).toBe(true);
        // dx == dy
        k.preluBackward(x.ptr, alpha.ptr, dy.ptr, dy.ptr, da.ptr, rows, cols);
        expect(Array.from(dy.a)).toEqual(dx1);
        expect(Array.from(da.a)).toEqual(da1);
        expect(m.guardsIntact()).toBe(true);
      }
    });

    it('extremes stay finite and NaN propagates', () => {
      m.reset();
      const x = m.f32([1e4, -1e4, 3e38, -3e38, 0, -0, NaN, -1]);
      const alpha = m.f32([0.25, 0.25, 0.5, 0.5, 2, 2, 1, 1]);
      const y = m.f32(new Float32Array(8));
      k.preluForward(x.ptr, alpha.ptr, y.ptr, 1, 8);
      expect(Array.from(y.a.slice(0, 6))).toEqual([1e4, -2500, Math.fround(3e38), Math.fround(-1.5e38), 0, -0]);
      expect(Number.isNaN(y.a[6])).toBe(true);
      expect(y.a[7]).toBe(-1);
      expect(m.guardsIntact()).toBe(true);
    });
  });
}
