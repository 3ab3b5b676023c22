// activationForward / activationBackward / softmaxRows against float64 references, both builds.
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
// exp flushes results below the smallest normal float to exactly 0, so that is the absolute floor
const FLT_MIN = 1.1754943508222875e-38;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const REF: Record<number, (x: number) => number> = {
  0: (x) => x,
  1: (x) => (x > 0 ? x : 0),
  2: sigmoid,
  3: Math.tanh,
};
const DERIV: Record<number, (y: number, dy: number) => number> = {
  0: (_y, dy) => dy,
  1: (y, dy) => (y > 0 ? dy : 0),
  2: (y, dy) => dy * y * (1 - y),
  3: (y, dy) => dy * (1 - y * y),
};
const NAMES = ['linear', 'relu', 'sigmoid', 'tanh'];

function inputs(n: number, seed: number, scale = 8) {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    // mostly moderate values, some tiny (tanh polynomial range), some large
    x[i] = u < 0.15 ? (r() - 0.5) * 1e-3 : u < 0.9 ? (r() - 0.5) * scale : (r() - 0.5) * 200;
  }
  return x;
}

for (const relaxed of [true, false]) {
  describe(`activations (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = setup(relaxed);
    const { k } = m;

    it('loads the requested flavour', () => {
      expect(m.flavour).toBe(relaxed ? 'relaxed-simd' : 'simd');
    });

    for (const act of [0, 1, 2, 3]) {
      it(`${NAMES[act]} forward at n = ${SIZES.join(', ')} (out of place and in place)`, () => {
        for (const n of SIZES) {
          const x0 = inputs(n, 17 + n + act);
          const ref = Array.from(x0, REF[act]);
          const tol = act <= 1 ? () => 0 : (i: number) => 1e-6 * Math.abs(ref[i]) + FLT_MIN;
          m.reset();
          const x = m.f32(x0);
          const y = m.f32(new Float32Array(n).fill(-7));
          k.activationForward(act, x.ptr, y.ptr, n);
          expect(worst(y.a, ref, tol), `n=${n}`).toBeLessThanOrEqual(act <= 1 ? 0 : 1);
          expect(Array.from(x.a)).toEqual(Array.from(x0)); // input untouched
          // in place
          k.activationForward(act, x.ptr, x.ptr, n);
          expect(Array.from(x.a)).toEqual(Array.from(y.a));
          expect(m.guardsIntact()).toBe(true);
        }
      });

      it(`${NAMES[act]} backward in terms of the output (out of place and dx == dy)`, () => {
        for (const n of SIZES) {
          const r = rng(99 + n + act);
          const x0 = inputs(n, 5 + n);
          const y0 = Float32Array.from(x0, REF[act]);
          const dy0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 4);
          const ref = Array.from(y0, (y, i) => DERIV[act](y, dy0[i]));
          const tol = act <= 1 ? () => 0 : (i: number) => 1e-6 * Math.abs(ref[i]) + FLT_MIN;
          m.reset();
          const y = m.f32(y0);
          const dy = m.f32(dy0);
          const dx = m.f32(new Float32Array(n).fill(3));
          k.activationBackward(act, y.ptr, dy.ptr, dx.ptr, n);
          expect(worst(dx.a, ref, tol), `n=${n}`).toBeLessThanOrEqual(act <= 1 ? 0 : 1);
          k.activationBackward(act, y.ptr, dy.ptr, dy.ptr, n);
          expect(Array.from(dy.a)).toEqual(Array.from(dx.a));
          expect(m.guardsIntact()).toBe(true);
        }
      });
    }

    it('sigmoid and tanh saturate exactly at ±1e4 and ±Inf, keep NaN, and are odd/symmetric', () => {
      const special = [1e4, -1e4, 100, -100, 89, -89, Infinity, -Infinity, NaN, 0, -0, 1e-30, -1e-30];
      m.reset();
      const x = m.f32(special);
      const s = m.f32(new Float32Array(special.length));
      const t = m.f32(new Float32Array(special.length));
      k.activationForward(2, x.ptr, s.ptr, special.length);
      k.activationForward(3, x.ptr, t.ptr, special.length);
      expect(Array.from(s.a.slice(0, 8))).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
      expect(Array.from(t.a.slice(0, 8))).toEqual([1, -1, 1, -1, 1, -1, 1, -1]);
      expect(Number.isNaN(s.a[8]) && Number.isNaN(t.a[8])).toBe(true);
      expect(s.a[9]).toBe(0.5);
      expect(Object.is(t.a[9], 0) && Object.is(t.a[10], -0)).toBe(true);
      expect(t.a[11]).toBe(Math.fround(1e-30));
      expect(t.a[12]).toBe(Math.fround(-1e-30));
      // relu keeps NaN (so divergence checks see it) and maps -0 to 0
      const r = m.f32(new Float32Array(special.length));
      k.activationForward(1, x.ptr, r.ptr, special.length);
      expect(Number.isNaN(r.a[8])).toBe(true);
      expect(Object.is(r.a[10], 0)).toBe(true);
      // symmetry over a dense grid: sigmoid(−x) = 1 − sigmoid(x) to 1 ulp-ish, tanh odd exactly
      const grid = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 100);
      const gx = m.f32(grid);
      const gs = m.f32(new Float32Array(grid.length));
      const gt = m.f32(new Float32Array(grid.length));
      k.activationForward(2, gx.ptr, gs.ptr, grid.length);
      k.activationForward(3, gx.ptr, gt.ptr, grid.length);
      for (let i = 0; i < 2000; i++) {
        expect(gt.a[i]).toBe(-gt.a[4000 - i]);
        expect(Math.abs(gs.a[i] + gs.a[4000 - i] - 1)).toBeLessThan(2e-7);
      }
      expect(worst(gt.a, Array.from(grid, Math.tanh), (i) => 1e-6 * Math.abs(Math.tanh(grid[i])) + FLT_MIN)).toBeLessThanOrEqual(1);
      expect(m.guardsIntact()).toBe(true);
    });

    it('sigmoid and tanh stay within 3e-7 relative error over a 100k-point sweep (exp ≈ 1.2e-7)', () => {
      m.reset();
      const n = 100_000;
      const grid = Float32Array.from({ length: n }, (_, i) => -87 + (117 * i) / (n - 1)); // [−87, 30]
      const x = m.f32(grid);
      const y = m.f32(new Float32Array(n));
      k.activationForward(2, x.ptr, y.ptr, n);
      expect(worst(y.a, Array.from(grid, sigmoid), (i) => 3e-7 * sigmoid(grid[i]))).toBeLessThanOrEqual(1);
      for (let i = 0; i < n; i++) x.a[i] = -10 + (20 * i) / (n - 1);
      k.activationForward(3, x.ptr, y.ptr, n);
      expect(worst(y.a, Array.from(x.a, Math.tanh), (i) => 3e-7 * Math.abs(Math.tanh(x.a[i])) + FLT_MIN)).toBeLessThanOrEqual(1);
      expect(m.guardsIntact()).toBe(true);
    });

    it('linear forward with x == y is a no-op, backward with dx == dy too', () => {
      m.reset();
      const x = m.f32([1, 2, 3, 4, 5]);
      k.activationForward(0, x.ptr, x.ptr, 5);
      k.activationBackward(0, x.ptr, x.ptr, x.ptr, 5);
      expect(Array.from(x.a)).toEqual([1, 2, 3, 4, 5]);
      expect(m.guardsIntact()).toBe(true);
    });

    it('softmaxRows matches float64 at rows 1, 7, 32 × cols 1, 3, 10, 13 (and in place)', () => {
      for (const rows of [1, 7, 32]) {
        for (const cols of [1, 3, 4, 10, 13, 17]) {
          for (const scale of [6, 200]) {
            const r = rng(rows * 100 + cols + scale);
            const x0 = Float32Array.from({ length: rows * cols }, () => (r() - 0.5) * scale);
            const ref: number[] = [];
            const shift: number[] = [];
            for (let i = 0; i < rows; i++) {
              const row = Array.from(x0.subarray(i * cols, (i + 1) * cols));
              const mx = Math.max(...row);
              const s = row.reduce((a, v) => a + Math.exp(v - mx), 0);
              for (const v of row) { ref.push(Math.exp(v - mx) / s); shift.push(mx - v); }
            }
            // float32 rounding of (x − max) costs ~6e-8·|x − max| relative
            const tol = (i: number) => 1e-6 * Math.abs(ref[i]) * (1 + shift[i] / 10) + FLT_MIN;
            m.reset();
            const x = m.f32(x0);
            const y = m.f32(new Float32Array(rows * cols));
            k.softmaxRows(x.ptr, y.ptr, rows, cols);
            expect(worst(y.a, ref, tol), `${rows}x${cols} scale ${scale}`).toBeLessThanOrEqual(1);
            k.softmaxRows(x.ptr, x.ptr, rows, cols);
            expect(Array.from(x.a)).toEqual(Array.from(y.a));
            expect(m.guardsIntact()).toBe(true);
          }
        }
      }
    });

    it('softmaxRows is stable for ±100 and ±1e4 logits (no NaN, rows sum to 1)', () => {
      m.reset();
      const x0 = [100, -100, 100, 0, 1e4, -1e4, 0, 1e4, 5, -1e4, -1e4, -1e4];
      const x = m.f32(x0);
      const y = m.f32(new Float32Array(12));
      k.softmaxRows(x.ptr, y.ptr, 3, 4);
      expect(Array.from(y.a.slice(0, 4))).toEqual([0.5, 0, 0.5, 0]);
      expect(Array.from(y.a.slice(4, 8))).toEqual([0.5, 0, 0, 0.5]);
      expect(Array.from(y.a.slice(8, 12))).toEqual([1, 0, 0, 0]);
      expect(m.guardsIntact()).toBe(true);
    });
  });
}
