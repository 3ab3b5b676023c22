// columnSums / the row argmax / countNonFinite against float64 references, both builds.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';

const setup = kernelHarness;
const rng = uniformSource;
const worst = worstViolation;
// --------------------------------------------------------------------------------------------------

const ROWS = [1, 7, 32];
const COLS = [1, 3, 10, 13];

function refArgmax(x: ArrayLike<number>, off: number, cols: number) {
  let b = 0;
  for (let j = 1; j < cols; j++) if (x[off + j] > x[off + b]) b = j;
  return b;
}

for (const relaxed of [true, false]) {
  describe(`reductions (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = setup(relaxed);
    const { k } = m;

    it('columnSums over rows 1, 7, 32 × cols 1..300, ldx = cols and padded, overwrite and accumulate', () => {
      for (const rows of ROWS)
        for (const cols of [...COLS, 16, 17, 36, 300])
          for (const pad of [0, 5]) {
            const r = rng(rows * 1000 + cols + pad);
            const ldx = cols + pad;
            m.reset();
            // the padding columns hold huge values: reading them would show
            const x0 = Float32Array.from({ length: rows * ldx }, (_, i) => (i % ldx < cols ? (r() - 0.5) * 10 : 1e30));
            const x = m.f32(x0);
            const prev = Float32Array.from({ length: cols }, () => r() - 0.5);
            const ref: number[] = [],
              abs: number[] = [];
            for (let j = 0; j < cols; j++) {
              let s = 0,
                a = 0;
              for (let i = 0; i < rows; i++) {
                s += x0[i * ldx + j];
                a += Math.abs(x0[i * ldx + j]);
              }
              ref.push(s);
              abs.push(a);
            }
            const out = m.f32(prev);
            k.columnSums(rows, cols, x.ptr, ldx, out.ptr, 0);
            expect(
              worst(out.a, ref, (j) => 1e-6 * abs[j] + 1e-30),
              `${rows}x${cols} ldx ${ldx}`,
            ).toBeLessThanOrEqual(1);
            const acc = m.f32(prev);
            k.columnSums(rows, cols, x.ptr, ldx, acc.ptr, 1);
            expect(
              worst(
                acc.a,
                ref.map((v, j) => v + prev[j]),
                (j) => 1e-6 * (abs[j] + Math.abs(prev[j])) + 1e-30,
              ),
            ).toBeLessThanOrEqual(1);
            expect(m.guardsIntact()).toBe(true);
          }
    });

    it('columnSums with rows = 0 writes zeros (or leaves out when accumulating)', () => {
      m.reset();
      const x = m.f32([1, 2, 3, 4, 5]);
      const out = m.f32([9, 9, 9, 9, 9]);
      k.columnSums(0, 5, x.ptr, 5, out.ptr, 1);
      expect(Array.from(out.a)).toEqual([9, 9, 9, 9, 9]);
      k.columnSums(0, 5, x.ptr, 5, out.ptr, 0);
      expect(Array.from(out.a)).toEqual([0, 0, 0, 0, 0]);
      expect(m.guardsIntact()).toBe(true);
    });

    it('argmax of each row (reduceEachRow, op 3, the index as a float): exact, ties go to the first index', () => {
      for (const rows of ROWS)
        for (const cols of [...COLS, 4, 5, 8, 17])
          for (const ties of [false, true]) {
            const r = rng(rows * 100 + cols + (ties ? 1 : 0));
            m.reset();
            // with ties, values are small integers so equal maxima are frequent, in any lane
            const s0 = Float32Array.from({ length: rows * cols }, () =>
              ties ? Math.floor(r() * 3) : (r() - 0.5) * 100,
            );
            const s = m.f32(s0);
            const ref = Array.from({ length: rows }, (_, i) => refArgmax(s0, i * cols, cols));
            const out = m.f32(new Float32Array(rows).fill(-5));
            k.reduceEachRow(3, s.ptr, out.ptr, rows, cols);
            expect(Array.from(out.a), `${rows}x${cols}`).toEqual(ref);
            expect(m.guardsIntact()).toBe(true);
          }
    });

    it('argmax with the maximum in every position and with ±Inf', () => {
      m.reset();
      const cols = 13;
      const x0 = new Float32Array(cols * cols).fill(-1);
      for (let i = 0; i < cols; i++) x0[i * cols + i] = 2;
      const x = m.f32(x0);
      const out = m.f32(new Float32Array(cols));
      k.reduceEachRow(3, x.ptr, out.ptr, cols, cols);
      expect(Array.from(out.a)).toEqual(Array.from({ length: cols }, (_, i) => i));
      const y = m.f32([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 1, Infinity, 3, Infinity, 0]);
      const o2 = m.f32([0, 0]);
      k.reduceEachRow(3, y.ptr, o2.ptr, 2, 5);
      expect(Array.from(o2.a)).toEqual([0, 1]);
      expect(m.guardsIntact()).toBe(true);
    });

    it('countNonFinite counts NaN and ±Inf only, at n = 1, 3, 4, 5, 16, 17, 21, 36, 1000', () => {
      for (const n of [1, 3, 4, 5, 16, 17, 21, 36, 1000]) {
        const r = rng(n);
        const specials = [NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -0, 0];
        const x0 = Float32Array.from({ length: n }, () =>
          r() < 0.3 ? specials[Math.floor(r() * specials.length)] : r() * 1e6,
        );
        m.reset();
        const x = m.f32(x0);
        const ref = Array.from(x0).filter((v) => !Number.isFinite(v)).length;
        expect(k.countNonFinite(x.ptr, n), `n=${n}`).toBe(ref);
        // a NaN only in the last (remainder) slot, and one just past n that must not count
        x.a.fill(1);
        x.a[n - 1] = NaN;
        expect(k.countNonFinite(x.ptr, n)).toBe(1);
        expect(k.countNonFinite(x.ptr, n - 1)).toBe(0);
      }
      expect(k.countNonFinite(0, 0)).toBe(0);
    });
  });
}
