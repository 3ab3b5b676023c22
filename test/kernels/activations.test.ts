// activationForward / activationBackward / softmaxRows against float64 references, both builds:
// every activation, odd sizes (vector body and 1–3 float remainders), in place, canaries after every
// buffer, extreme inputs (±1e4, ±3e38: finite out, never NaN), NaN propagation, and the derivative
// read from y only (x passed as 0) or from x only (y passed as 0) as the ABI promises.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';
import { ACTIVATION_CODES, ACTIVATIONS } from '../../src/backend/wasm/codes.js';
import {
  DERIVATIVE,
  FORWARD,
  SELU_ALPHA,
  SELU_SCALE,
  normalCdf,
  normalPdf,
  sigmoid,
} from '../helpers/activation-reference.js';

// Every activation by the code TypeScript passes for it (the codes the kernels' constants are generated from).
const NAMES: readonly string[] = ACTIVATIONS;
const CODE = ACTIVATION_CODES as Record<string, number>;
const FROM_X = new Set(['swish', 'gelu']);
const SIZES = [1, 3, 4, 5, 17, 1000];
// exp flushes results below the smallest normal float to exactly 0 (from x < −87.33, where e^x is
// just above it), so twice that is the absolute floor
const FLT_MIN = 1.1754943508222875e-38;
const FLOOR = 2 * FLT_MIN;
const f32 = Math.fround;

/** Float64 derivative from the float32 output y (the kernels' formula, evaluated exactly). */
const DERIV_FROM_Y: Record<string, (y: number, a: number) => number> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  leakyRelu: (y, a) => (y > 0 ? 1 : a),
  elu: (y, a) => (y > 0 ? 1 : y + a),
  selu: (y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  hardSigmoid: (y) => (y > 0 && y < 1 ? 0.2 : 0),
  softplus: (y) => -Math.expm1(-y),
  softsign: (y) => (1 - Math.abs(y)) ** 2,
};

/** Forward tolerance: relative to the value, with the extra error each formula is known to carry. */
function forwardTol(name: string, x: number, ref: number): number {
  switch (name) {
    case 'linear':
    case 'relu':
      return 0;
    case 'leakyRelu':
      return 6e-8 * Math.abs(ref) + FLOOR; // one rounded product
    case 'hardSigmoid':
      return 1e-7 * Math.abs(ref) + 1.5e-7; // 0.2·x + 0.5 rounded in float32 (cancels near x = −2.5)
    case 'swish':
    case 'gelu':
      return 1e-6 * Math.abs(ref) + FLOOR * (1 + Math.abs(x)); // x times a flushed sigmoid / Φ
    default:
      return 1e-6 * Math.abs(ref) + FLOOR;
  }
}

/** Backward tolerance: relative to the size of the derivative's terms (both sides of a cancellation). */
function backwardTol(name: string, x: number, _y: number, dy: number, ref: number, alpha: number): number {
  const g = Math.abs(dy);
  switch (name) {
    case 'linear':
    case 'relu':
      return 0;
    case 'leakyRelu':
    case 'hardSigmoid':
      return 1e-7 * Math.abs(ref) + FLOOR; // one rounded product (0.2 in float32 for hardSigmoid)
    case 'elu':
      return 1e-6 * Math.abs(ref) + 6e-8 * g * alpha + FLOOR; // y + α rounded
    case 'selu':
      return 1e-6 * Math.abs(ref) + 1.2e-7 * g * SELU_SCALE * SELU_ALPHA; // y + scale·α, the constant in float32
    case 'swish': {
      const s = sigmoid(x);
      return 1e-6 * g * s * (1 + Math.abs(x) * (1 - s)) + FLOOR * (1 + Math.abs(x));
    }
    case 'gelu':
      return 1e-6 * g * (normalCdf(x) + Math.abs(x) * normalPdf(x)) + FLOOR * (1 + Math.abs(x));
    default:
      return 1e-6 * Math.abs(ref) + FLOOR;
  }
}

function inputs(n: number, seed: number, scale = 8) {
  const r = uniformSource(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    // mostly moderate values, some tiny (polynomial ranges), some large
    x[i] = u < 0.15 ? (r() - 0.5) * 1e-3 : u < 0.9 ? (r() - 0.5) * scale : (r() - 0.5) * 200;
  }
  return x;
}

const ALPHAS: Record<string, number[]> = { leakyRelu: [0.2, 0, 0.3, 2.5], elu: [1, 0, 0.3, 2.5] };
const EXTREMES = [
  1e4, -1e4, 3e38, -3e38, 100, -100, 89, -89, 20, -20, 0, -0, 1e-30, -1e-30, 1e-45, -1e-45, 0.5, -0.5, 2.5, -2.5,
];

for (const relaxed of [true, false]) {
  describe(`activations (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = kernelHarness(relaxed);
    const { k } = m;

    it('loads the requested flavour', () => {
      expect(m.flavour).toBe(relaxed ? 'relaxed-simd' : 'simd');
    });

    for (const name of NAMES) {
      const act = CODE[name];
      for (const alpha of ALPHAS[name] ?? [0]) {
        const label = `${name}${ALPHAS[name] ? ` (alpha ${alpha})` : ''}`;
        const a = f32(alpha);

        it(`${label} forward at n = ${SIZES.join(', ')} (out of place and in place)`, () => {
          for (const n of SIZES) {
            const x0 = inputs(n, 17 + n + act);
            const ref = Array.from(x0, (v) => FORWARD[name](v, a));
            m.reset();
            const x = m.f32(x0);
            const y = m.f32(new Float32Array(n).fill(-7));
            k.activationForward(act, x.ptr, y.ptr, n, alpha);
            expect(
              worstViolation(y.a, ref, (i) => forwardTol(name, x0[i], ref[i])),
              `n=${n}`,
            ).toBeLessThanOrEqual(1);
            expect(Array.from(x.a)).toEqual(Array.from(x0)); // input untouched
            k.activationForward(act, x.ptr, x.ptr, n, alpha);
            expect(Array.from(x.a)).toEqual(Array.from(y.a));
            expect(m.guardsIntact()).toBe(true);
          }
        });

        it(`${label} backward from ${FROM_X.has(name) ? 'x (y = 0)' : 'y (x = 0)'}, out of place and dx == dy`, () => {
          for (const n of SIZES) {
            const r = uniformSource(99 + n + act);
            const x0 = inputs(n, 5 + n);
            const y0 = Float32Array.from(x0, (v) => FORWARD[name](v, a));
            const dy0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 4);
            const ref = FROM_X.has(name)
              ? Array.from(x0, (v, i) => dy0[i] * DERIVATIVE[name](v, a) + 0) // + 0: masked lanes are +0
              : Array.from(y0, (v, i) => dy0[i] * DERIV_FROM_Y[name](v, a) + 0);
            const tol = (i: number) => backwardTol(name, x0[i], y0[i], dy0[i], ref[i], a);
            m.reset();
            const x = m.f32(x0);
            const y = m.f32(y0);
            const dy = m.f32(dy0);
            const dx = m.f32(new Float32Array(n).fill(3));
            const [xp, yp] = FROM_X.has(name) ? [x.ptr, 0] : [0, y.ptr];
            k.activationBackward(act, xp, yp, dy.ptr, dx.ptr, n, alpha);
            expect(worstViolation(dx.a, ref, tol), `n=${n}`).toBeLessThanOrEqual(1);
            k.activationBackward(act, xp, yp, dy.ptr, dy.ptr, n, alpha);
            expect(Array.from(dy.a)).toEqual(Array.from(dx.a));
            if (FROM_X.has(name)) {
              dy.a.set(dy0);
              k.activationBackward(act, x.ptr, 0, dy.ptr, x.ptr, n, alpha); // dx == x
              expect(Array.from(x.a)).toEqual(Array.from(dx.a));
            }
            expect(m.guardsIntact()).toBe(true);
          }
        });
      }

      it(`${name}: extreme inputs give finite values and derivatives matching float64; NaN stays NaN`, () => {
        const alpha = ALPHAS[name]?.[0] ?? 0;
        const a = f32(alpha);
        const n = EXTREMES.length;
        m.reset();
        const x = m.f32([...EXTREMES, NaN]);
        const y = m.f32(new Float32Array(n + 1));
        const dy = m.f32(new Float32Array(n + 1).fill(1));
        const dx = m.f32(new Float32Array(n + 1));
        k.activationForward(act, x.ptr, y.ptr, n + 1, alpha);
        k.activationBackward(act, x.ptr, y.ptr, dy.ptr, dx.ptr, n + 1, alpha);
        for (let i = 0; i < n; i++) {
          const v = x.a[i];
          expect(Number.isFinite(y.a[i]), `${name}(${v}) = ${y.a[i]}`).toBe(true);
          expect(Number.isFinite(dx.a[i]), `${name}′(${v}) = ${dx.a[i]}`).toBe(true);
          const ref = FORWARD[name](v, a);
          expect(Math.abs(y.a[i] - ref), `${name}(${v})`).toBeLessThanOrEqual(
            Math.max(forwardTol(name, v, ref), 4e-7 * Math.abs(ref)) + FLOOR,
          );
          // derivatives at the kinks (0, ±2.5 for hardSigmoid) are one-sided: skip them
          if (v === 0 || (name === 'hardSigmoid' && Math.abs(v) === 2.5)) continue;
          const d = FROM_X.has(name) ? DERIVATIVE[name](v, a) : DERIV_FROM_Y[name](y.a[i], a);
          expect(Math.abs(dx.a[i] - d), `${name}′(${v})`).toBeLessThanOrEqual(1e-6 * Math.abs(d) + 2e-7 + FLOOR);
        }
        // the forward keeps NaN (divergence checks see it); masked derivatives may turn it into 0
        expect(Number.isNaN(y.a[n]), `${name}(NaN)`).toBe(true);
        expect(m.guardsIntact()).toBe(true);
      });
    }

    it('the derivative from y agrees with the true derivative f′(x) (the ABI is not just self-consistent)', () => {
      const grid = Float32Array.from({ length: 2001 }, (_, i) => -12 + (24 * i) / 2000 + 1e-3);
      for (const name of Object.keys(DERIV_FROM_Y)) {
        const alpha = ALPHAS[name]?.[0] ?? 0;
        m.reset();
        const x = m.f32(grid);
        const y = m.f32(new Float32Array(grid.length));
        const dy = m.f32(new Float32Array(grid.length).fill(1));
        const dx = m.f32(new Float32Array(grid.length));
        k.activationForward(CODE[name], x.ptr, y.ptr, grid.length, alpha);
        k.activationBackward(CODE[name], 0, y.ptr, dy.ptr, dx.ptr, grid.length, alpha);
        const ref = Array.from(grid, (v) => DERIVATIVE[name](v, f32(alpha)));
        // derivatives recovered from a rounded y carry y's rounding: 2e-7 absolute covers it here
        expect(
          worstViolation(dx.a, ref, (i) => 2e-6 * Math.abs(ref[i]) + 2e-7),
          name,
        ).toBeLessThanOrEqual(1);
      }
      expect(m.guardsIntact()).toBe(true);
    });

    it('sigmoid and tanh saturate exactly at ±1e4 and ±Inf, keep NaN, and are odd/symmetric', () => {
      const special = [1e4, -1e4, 100, -100, 89, -89, Infinity, -Infinity, NaN, 0, -0, 1e-30, -1e-30];
      m.reset();
      const x = m.f32(special);
      const s = m.f32(new Float32Array(special.length));
      const t = m.f32(new Float32Array(special.length));
      k.activationForward(2, x.ptr, s.ptr, special.length, 0);
      k.activationForward(3, x.ptr, t.ptr, special.length, 0);
      expect(Array.from(s.a.slice(0, 8))).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
      expect(Array.from(t.a.slice(0, 8))).toEqual([1, -1, 1, -1, 1, -1, 1, -1]);
      expect(Number.isNaN(s.a[8]) && Number.isNaN(t.a[8])).toBe(true);
      expect(s.a[9]).toBe(0.5);
      expect(Object.is(t.a[9], 0) && Object.is(t.a[10], -0)).toBe(true);
      expect(t.a[11]).toBe(f32(1e-30));
      expect(t.a[12]).toBe(f32(-1e-30));
      // relu keeps NaN (so divergence checks see it) and maps -0 to 0
      const r = m.f32(new Float32Array(special.length));
      k.activationForward(1, x.ptr, r.ptr, special.length, 0);
      expect(Number.isNaN(r.a[8])).toBe(true);
      expect(Object.is(r.a[10], 0)).toBe(true);
      // symmetry over a dense grid: sigmoid(−x) = 1 − sigmoid(x) to 1 ulp-ish, tanh odd exactly
      const grid = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 100);
      const gx = m.f32(grid);
      const gs = m.f32(new Float32Array(grid.length));
      const gt = m.f32(new Float32Array(grid.length));
      k.activationForward(2, gx.ptr, gs.ptr, grid.length, 0);
      k.activationForward(3, gx.ptr, gt.ptr, grid.length, 0);
      for (let i = 0; i < 2000; i++) {
        expect(gt.a[i]).toBe(-gt.a[4000 - i]);
        expect(Math.abs(gs.a[i] + gs.a[4000 - i] - 1)).toBeLessThan(2e-7);
      }
      expect(m.guardsIntact()).toBe(true);
    });

    it('every activation stays within its tolerance over a 100k-point sweep of [−90, 30]', () => {
      const n = 100_000;
      const grid = Float32Array.from({ length: n }, (_, i) => -90 + (120 * i) / (n - 1));
      m.reset();
      const x = m.f32(grid);
      const y = m.f32(new Float32Array(n));
      for (const name of NAMES) {
        const a = f32(ALPHAS[name]?.[0] ?? 0);
        k.activationForward(CODE[name], x.ptr, y.ptr, n, a);
        const ref = Array.from(grid, (v) => FORWARD[name](v, a));
        expect(
          worstViolation(y.a, ref, (i) => forwardTol(name, grid[i], ref[i])),
          name,
        ).toBeLessThanOrEqual(1);
      }
      expect(m.guardsIntact()).toBe(true);
    });

    it('linear forward with x == y is a no-op, backward with dx == dy too', () => {
      m.reset();
      const x = m.f32([1, 2, 3, 4, 5]);
      k.activationForward(0, x.ptr, x.ptr, 5, 0);
      k.activationBackward(0, 0, x.ptr, x.ptr, x.ptr, 5, 0);
      expect(Array.from(x.a)).toEqual([1, 2, 3, 4, 5]);
      expect(m.guardsIntact()).toBe(true);
    });

    it('softmaxRows matches float64 at rows 1, 7, 32 × cols 1, 3, 10, 13 (and in place)', () => {
      for (const rows of [1, 7, 32]) {
        for (const cols of [1, 3, 4, 10, 13, 17]) {
          for (const scale of [6, 200]) {
            const r = uniformSource(rows * 100 + cols + scale);
            const x0 = Float32Array.from({ length: rows * cols }, () => (r() - 0.5) * scale);
            const ref: number[] = [];
            const shift: number[] = [];
            for (let i = 0; i < rows; i++) {
              const row = Array.from(x0.subarray(i * cols, (i + 1) * cols));
              const mx = Math.max(...row);
              const s = row.reduce((acc, v) => acc + Math.exp(v - mx), 0);
              for (const v of row) {
                ref.push(Math.exp(v - mx) / s);
                shift.push(mx - v);
              }
            }
            // float32 rounding of (x − max) costs ~6e-8·|x − max| relative
            const tol = (i: number) => 1e-6 * Math.abs(ref[i]) * (1 + shift[i] / 10) + FLT_MIN;
            m.reset();
            const x = m.f32(x0);
            const y = m.f32(new Float32Array(rows * cols));
            k.softmaxRows(x.ptr, y.ptr, rows, cols);
            expect(worstViolation(y.a, ref, tol), `${rows}x${cols} scale ${scale}`).toBeLessThanOrEqual(1);
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
