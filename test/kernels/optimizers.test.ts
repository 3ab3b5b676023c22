// Every optimizer update kernel against the float64 rules of test/helpers/optimizer-reference.ts
// (Keras 3's formulas), both builds, at sizes that exercise the vector body and every remainder,
// with and without the fused gradient transform (regularizer, norm scale read from memory, value
// clip, decoupled weight decay). Guards after every operand catch stray writes.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';
import { applyRule, regularized, slotsFor, type RuleSpec } from '../helpers/optimizer-reference.js';

const SIZES = [1, 3, 4, 5, 17, 64];
const T = 3; // the step the step-dependent factors are computed for

const RULES: RuleSpec[] = [
  { kind: 'sgd' },
  { kind: 'momentum', momentum: 0.9, nesterov: false },
  { kind: 'momentum', momentum: 0.8, nesterov: true },
  { kind: 'adagrad', epsilon: 1e-7, initial: 0.1 },
  { kind: 'rmsprop', rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  { kind: 'rmsprop', rho: 0.8, momentum: 0, epsilon: 1e-7, centered: true },
  { kind: 'rmsprop', rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: false },
  { kind: 'rmsprop', rho: 0.85, momentum: 0.7, epsilon: 1e-6, centered: true },
  { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false },
  { kind: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-7, amsgrad: true },
  { kind: 'adamax', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { kind: 'nadam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { kind: 'adadelta', rho: 0.95, epsilon: 1e-6 },
];

interface Transform {
  l1: number;
  l2: number;
  clipValue: number;
  normSq: number;
  clipNorm: number;
  wd: number;
}
const PLAIN: Transform = { l1: 0, l2: 0, clipValue: 0, normSq: 0, clipNorm: 0, wd: 0 };
const FUSED: Transform[] = [
  { l1: 0.01, l2: 0.02, clipValue: 0, normSq: 9, clipNorm: 1.5, wd: 0 }, // scale 0.5 from memory
  { l1: 0, l2: 0.05, clipValue: 0.3, normSq: 0, clipNorm: 0, wd: 0.1 },
  { l1: 0.02, l2: 0, clipValue: 0, normSq: 0.25, clipNorm: 1, wd: 0.004 }, // ‖g‖ < c: scale 1
];

/** Slots with the ranges their rule keeps (second moments ≥ the squared first, accumulators > 0). */
function startSlots(spec: RuleSpec, n: number, r: () => number): Float64Array[] {
  const slots = slotsFor(spec, n);
  const u = (lo: number, hi: number) => Math.fround(lo + (hi - lo) * r());
  slots.forEach((s, k) => {
    for (let i = 0; i < n; i++) {
      const secondMoment =
        (spec.kind === 'rmsprop' && k === 0) ||
        (spec.kind === 'adam' && k >= 1) ||
        spec.kind === 'adagrad' ||
        spec.kind === 'adadelta' ||
        (spec.kind === 'adamax' && k === 1) ||
        (spec.kind === 'nadam' && k === 1);
      const centeredMean = spec.kind === 'rmsprop' && spec.centered && k === 1;
      s[i] = secondMoment ? u(0.1, 1) : centeredMean ? u(-0.3, 0.3) : u(-1, 1);
    }
  });
  return slots;
}

function nadamFactors(b1: number, b2: number, t: number) {
  const mu = (s: number) => b1 * (1 - 0.5 * 0.96 ** s);
  let product = 1;
  for (let s = 1; s <= t; s++) product *= mu(s);
  return { cm: mu(t + 1) / (1 - product * mu(t + 1)), cg: (1 - mu(t)) / (1 - product), c2: 1 - b2 ** t };
}

function label(spec: RuleSpec): string {
  return Object.entries(spec)
    .map(([k, v]) => (k === 'kind' ? v : `${k}=${v}`))
    .join(' ');
}

for (const relaxed of [true, false]) {
  describe(`optimizer kernels (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const h = kernelHarness(relaxed);
    const { k } = h;

    /** Runs the update kernel of `spec` (slots at `slots`, normSq at `normPtr`). */
    function update(
      spec: RuleSpec,
      tr: Transform,
      w: number,
      g: number,
      slots: readonly number[],
      normPtr: number,
      n: number,
      lr: number,
      rows = 1,
      ld = 0,
    ) {
      const tail = [tr.l1, tr.l2, tr.clipValue, tr.clipNorm > 0 ? normPtr : 0, tr.clipNorm, tr.wd, rows, ld];
      const p = (i: number) => slots[i] ?? 0;
      switch (spec.kind) {
        case 'sgd':
          k.sgdUpdate(w, g, n, lr, ...tail);
          break;
        case 'momentum':
          k.momentumUpdate(w, g, p(0), n, lr, spec.momentum, spec.nesterov ? 1 : 0, ...tail);
          break;
        case 'adagrad':
          k.adagradUpdate(w, g, p(0), n, lr, spec.epsilon, ...tail);
          break;
        case 'rmsprop': {
          const mg = spec.centered ? p(1) : 0;
          const mom = spec.momentum > 0 ? p(spec.centered ? 2 : 1) : 0;
          k.rmspropUpdate(
            w,
            g,
            p(0),
            mg,
            mom,
            n,
            (spec.centered ? 1 : 0) | (spec.momentum > 0 ? 2 : 0),
            lr,
            spec.rho,
            spec.momentum,
            spec.epsilon,
            ...tail,
          );
          break;
        }
        case 'adam':
          k.adamUpdate(
            w,
            g,
            p(0),
            p(1),
            p(2),
            n,
            spec.amsgrad ? 1 : 0,
            lr,
            spec.beta1,
            spec.beta2,
            spec.epsilon,
            1 - spec.beta1 ** T,
            1 - spec.beta2 ** T,
            ...tail,
          );
          break;
        case 'adamax':
          k.adamaxUpdate(w, g, p(0), p(1), n, lr, spec.beta1, spec.beta2, spec.epsilon, 1 - spec.beta1 ** T, ...tail);
          break;
        case 'nadam': {
          const f = nadamFactors(spec.beta1, spec.beta2, T);
          k.nadamUpdate(w, g, p(0), p(1), n, lr, spec.beta1, spec.beta2, spec.epsilon, f.cm, f.cg, f.c2, ...tail);
          break;
        }
        case 'adadelta':
          k.adadeltaUpdate(w, g, p(0), p(1), n, lr, spec.rho, spec.epsilon, ...tail);
          break;
      }
    }

    function run(spec: RuleSpec, tr: Transform, n: number, seed: number) {
      const r = uniformSource(seed);
      const w0 = Float64Array.from({ length: n }, () => Math.fround((r() - 0.5) * 2));
      // every fifth weight exactly 0 (sign(0) = 0 for l1)
      for (let i = 2; i < n; i += 5) w0[i] = 0;
      const g0 = Float64Array.from({ length: n }, () => Math.fround((r() - 0.5) * 2));
      const s0 = startSlots(spec, n, r);
      const lr = Math.fround(0.05);
      h.reset();
      const w = h.f32(w0);
      const g = h.f32(g0);
      const s = s0.map((x) => h.f32(x));
      const norm = h.f32([tr.normSq]);
      update(
        spec,
        tr,
        w.ptr,
        g.ptr,
        s.map((x) => x.ptr),
        norm.ptr,
        n,
        lr,
      );
      // Reference: ĝ = clip(scale·(g + l1·sign(w) + 2·l2·w)), w ← w(1 − η·wd), then the rule.
      const scale = tr.clipNorm > 0 ? tr.clipNorm / Math.max(Math.sqrt(tr.normSq), tr.clipNorm) : 1;
      const c = tr.clipValue > 0 ? tr.clipValue : Infinity;
      const gh = regularized(w0, g0, tr.l1, tr.l2).map((v) => Math.min(Math.max(v * scale, -c), c));
      const wr = Float64Array.from(w0, (v) => v - v * tr.wd * lr);
      const sr = s0.map((x) => Float64Array.from(x));
      applyRule(spec, wr, gh, sr, T, lr);
      // float32 arithmetic on O(1) operands: a few ulps of the operands' scale
      const tol = (ref: Float64Array, start: Float64Array) => (i: number) =>
        2e-6 * (Math.abs(start[i]) + Math.abs(ref[i] - start[i]) + 1e-3);
      expect(worstViolation(w.a, wr, tol(wr, w0)), `w n=${n}`).toBeLessThanOrEqual(1);
      for (const [i, x] of sr.entries())
        expect(worstViolation(s[i].a, x, tol(x, s0[i])), `slot ${i} n=${n}`).toBeLessThanOrEqual(1);
      expect(Array.from(g.a)).toEqual(Array.from(g0));
      expect(h.guardsIntact()).toBe(true);
    }

    for (const spec of RULES) {
      it(`${label(spec)}: plain gradient and each fused transform at n = ${SIZES.join(', ')}`, () => {
        for (const n of SIZES) {
          run(spec, PLAIN, n, n * 13 + 1);
          for (const [j, tr] of FUSED.entries()) run(spec, tr, n, n * 31 + j);
        }
      });
    }

    it(
      'a matrix updated by column ranges (rows × part, ld apart: the split over threads) is bitwise the whole ' +
        'update (every rule)',
      () => {
        // 7 rows of 21: the parts [0, 8), [8, 16), [16, 21) as 8-column ranges split them, the last
        // with a remainder of 1 per row; the whole tensor, 147 values, has a remainder of 3.
        const [rows, cols] = [7, 21];
        const n = rows * cols;
        const lr = Math.fround(0.05);
        for (const spec of RULES) {
          for (const tr of [PLAIN, FUSED[0], FUSED[1]]) {
            const r = uniformSource(n + RULES.indexOf(spec));
            const w0 = Float64Array.from({ length: n }, () => Math.fround((r() - 0.5) * 2));
            const g0 = Float64Array.from({ length: n }, () => Math.fround((r() - 0.5) * 2));
            const s0 = startSlots(spec, n, r);
            h.reset();
            const norm = h.f32([tr.normSq]);
            const [wA, gA, wB, gB] = [h.f32(w0), h.f32(g0), h.f32(w0), h.f32(g0)];
            const [sA, sB] = [s0.map((x) => h.f32(x)), s0.map((x) => h.f32(x))];
            update(
              spec,
              tr,
              wA.ptr,
              gA.ptr,
              sA.map((x) => x.ptr),
              norm.ptr,
              n,
              lr,
            );
            for (const [c0, c1] of [
              [0, 8],
              [8, 16],
              [16, 21],
            ]) {
              const at = (ptr: number) => ptr + 4 * c0;
              update(
                spec,
                tr,
                at(wB.ptr),
                at(gB.ptr),
                sB.map((x) => at(x.ptr)),
                norm.ptr,
                c1 - c0,
                lr,
                rows,
                cols,
              );
            }
            const what = `${label(spec)}, l1 ${tr.l1} wd ${tr.wd}`;
            expect(Array.from(wB.a), what).toEqual(Array.from(wA.a));
            for (const [i, x] of sA.entries())
              expect(Array.from(sB[i].a), `${what} slot ${i}`).toEqual(Array.from(x.a));
            expect(Array.from(wA.a), `${what}: the update ran`).not.toEqual(Array.from(w0));
            expect(h.guardsIntact()).toBe(true);
          }
        }
      },
    );

    it('a NaN gradient reaches the weights, plain or clipped; an infinite one is clipped (every rule)', () => {
      const NO_CLIP = { ...PLAIN, clipValue: Infinity }; // what the lowering passes when clipping is off
      const CLIP = { ...PLAIN, clipValue: 0.3 };
      for (const spec of RULES) {
        for (const tr of [PLAIN, NO_CLIP, CLIP]) {
          h.reset();
          const n = 6;
          const w = h.f32([0.5, -0.5, 0.25, 1, -1, 0.75]);
          const g = h.f32([NaN, 0.5, NaN, Infinity, -0.25, NaN]);
          const s = startSlots(spec, n, uniformSource(5)).map((x) => h.f32(x));
          update(
            spec,
            tr,
            w.ptr,
            g.ptr,
            s.map((x) => x.ptr),
            0,
            n,
            0.05,
          );
          const where = `${label(spec)} clipValue=${tr.clipValue}`;
          // w[3]'s gradient is +∞: clipped to 0.3 it gives a finite step; unclipped, ∞ or NaN by rule.
          expect(
            [0, 1, 2, 4, 5].map((i) => Number.isNaN(w.a[i])),
            where,
          ).toEqual([true, false, true, false, true]);
          if (tr === CLIP) expect(Number.isFinite(w.a[3]), where).toBe(true);
        }
      }
    });

    it('a legacy 6-argument sgdUpdate call (no clip, no decay) is plain regularized SGD', () => {
      h.reset();
      const w = h.f32([1, -2, 0, 4, 5]);
      const g = h.f32([1, 1, 1, 1, 1]);
      k.sgdUpdate(w.ptr, g.ptr, 5, 0.5, 0, 0);
      expect(Array.from(w.a)).toEqual([0.5, -2.5, -0.5, 3.5, 4.5]);
    });

    it('n = 0 touches nothing', () => {
      h.reset();
      const w = h.f32([1, 2]);
      const g = h.f32([1, 1]);
      const m = h.f32([3, 4]);
      k.sgdUpdate(w.ptr, g.ptr, 0, 1, 0, 0, 0, 0, 0, 0);
      k.momentumUpdate(w.ptr, g.ptr, m.ptr, 0, 1, 0.9, 0, 0, 0, 0, 0, 0, 0);
      expect(Array.from(w.a)).toEqual([1, 2]);
      expect(Array.from(m.a)).toEqual([3, 4]);
      expect(h.guardsIntact()).toBe(true);
    });

    it('finite input gives finite output: centered RMSprop with v − ḡ² rounding below 0, a zero accumulator', () => {
      h.reset();
      const w = h.f32([1, 1, 1, 1, 1]);
      const g = h.f32([0, 0, 0, 0, 0]);
      const v = h.f32([0.09, 0.09, 0.09, 0.09, 0.09]);
      const mg = h.f32([0.30000001, 0.30000001, 0.30000001, 0.30000001, 0.30000001]);
      k.rmspropUpdate(w.ptr, g.ptr, v.ptr, mg.ptr, 0, 5, 1, 0.1, 0.9, 0, 1e-7, 0, 0, 0, 0, 0, 0);
      expect(Array.from(w.a).every(Number.isFinite)).toBe(true);
      const a = h.f32([0, 0, 0, 0, 0]);
      k.adagradUpdate(w.ptr, g.ptr, a.ptr, 5, 0.1, 1e-7, 0, 0, 0, 0, 0, 0);
      expect(Array.from(w.a).every(Number.isFinite)).toBe(true);
    });
  });
}
