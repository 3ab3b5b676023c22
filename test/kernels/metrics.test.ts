// Elementwise loss kernels and metric kernels called directly (both builds): sizes that exercise the
// vector body and the scalar remainder, canaries after every buffer (no stray writes), extreme but
// finite inputs give finite results, grad may alias the input, and the metric counts are exact.

import { describe, expect, it } from 'vitest';
import { kernelHarness, uniformSource } from '../helpers/kernel-harness.js';
import { pointwiseRef, weightedSum, type PointwiseKind } from '../helpers/loss-reference.js';

const KERNELS: [string, PointwiseKind, number][] = [
  ['sigmoidCrossEntropy', 'bceLogits', 0.1],
  ['binaryCrossEntropyFromProbs', 'bceProbs', 0],
  ['meanSquaredErrorLoss', 'mse', 0],
  ['meanAbsoluteErrorLoss', 'mae', 0],
  ['huberLoss', 'huber', 0.7],
  ['hingeLoss', 'hinge', 0],
];

for (const relaxed of [false, true]) {
  describe(`elementwise loss and metric kernels (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = kernelHarness(relaxed);
    const { k } = m;
    const r = uniformSource(3);

    it('elementwise losses: every shape, weighted or not, in place, no stray writes', () => {
      for (const [name, ref, param] of KERNELS) {
        for (const rows of [1, 3, 8]) {
          for (const cols of [1, 2, 4, 5, 11]) {
            for (const weighted of [false, true]) {
              m.reset();
              const n = rows * cols;
              const x0 = Float32Array.from({ length: n }, () => (ref === 'bceProbs' ? r() : (r() - 0.5) * 6));
              const t0 = Float32Array.from({ length: n }, () =>
                ref === 'mse' || ref === 'mae' || ref === 'huber' ? r() * 2 - 1 : r() < 0.5 ? 0 : 1,
              );
              const w0 = Float32Array.from({ length: rows }, () => r() * 2);
              const x = m.f32(x0);
              const t = m.f32(t0);
              const w = weighted ? m.f32(w0) : { ptr: 0 };
              const g = m.f32(new Float32Array(n).fill(9));
              const out = m.f32([123]);
              k[name](x.ptr, t.ptr, rows, cols, g.ptr, 0.5, out.ptr, w.ptr, param);
              const expected = weightedSum(pointwiseRef(ref, x0, t0, cols, param), weighted ? w0 : null);
              expect(Math.abs(out.a[0] - expected), `${name} ${rows}x${cols}`).toBeLessThan(
                1e-5 * Math.max(1, Math.abs(expected)),
              );
              expect(g.a.every(Number.isFinite), `${name} grad finite`).toBe(true);
              const inPlace = m.f32([7]);
              k[name](x.ptr, t.ptr, rows, cols, x.ptr, 0.5, inPlace.ptr, w.ptr, param);
              expect(inPlace.a[0]).toBe(out.a[0]);
              expect(Array.from(x.a)).toEqual(Array.from(g.a));
              expect(m.guardsIntact(), `${name} ${rows}x${cols} canaries`).toBe(true);
            }
          }
        }
      }
    });

    it('extreme inputs stay finite (logits ±1e4, probabilities 0 and 1), empty batches write 0', () => {
      m.reset();
      const x = m.f32([-1e4, 1e4, 0, -88, 90, 1e-30, -1e4]);
      const t = m.f32([1, 0, 1, 1, 0, 0.5, 0]);
      const g = m.f32(new Float32Array(7));
      const out = m.f32([0]);
      k.sigmoidCrossEntropy(x.ptr, t.ptr, 7, 1, g.ptr, 1, out.ptr, 0, 0);
      expect(out.a[0]).toBeCloseTo(2e4 + 88 + 90 + Math.log(2) + Math.LN2 * 1, -1);
      expect(g.a.every(Number.isFinite)).toBe(true);
      const p = m.f32([0, 1, 0, 1]);
      const t2 = m.f32([1, 0, 0, 1]);
      const g2 = m.f32(new Float32Array(4));
      k.binaryCrossEntropyFromProbs(p.ptr, t2.ptr, 4, 1, g2.ptr, 1, out.ptr, 0, 0);
      // clip range [1e-7, 1 − 1e-7] in float32
      expect(out.a[0]).toBeCloseTo(-Math.log(1e-7) - Math.log(1 - Math.fround(1 - 1e-7)), 3);
      expect(Array.from(g2.a)).toEqual([0, 0, 0, 0]); // clipped: no gradient, as TF's clip
      k.meanSquaredErrorLoss(p.ptr, t2.ptr, 0, 4, 0, 1, out.ptr, 0, 0);
      expect(out.a[0]).toBe(0);
      expect(m.guardsIntact()).toBe(true);
    });

    it('categoricalHits: argmax (ties first) and in-top-k (ties in), sparse and dense, weighted', () => {
      m.reset();
      const scores = m.f32([0.1, 0.5, 0.5, 0.2, 0.3, 0.9, 0.1, 0.1, 0.25, 0.25, 0.25, 0.25, 0.7, 0.1, 0.1, 0.1, 0.05]);
      // 4 rows of 4 (the 17th value is never read)
      const labels = m.i32([2, 1, 3, 0]);
      const dense = m.f32([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
      const w = m.f32([1, 2, 3, 4]);
      const out = m.f32([9, 9]);
      k.categoricalHits(scores.ptr, labels.ptr, 1, 4, 4, 0, 0, out.ptr);
      // row0 argmax = 1 (tie with 2 → first), row1 argmax = 1 ✓, row2 all tie → 0 ≠ 3, row3 argmax 0 ✓
      expect(Array.from(out.a)).toEqual([2, 4]);
      k.categoricalHits(scores.ptr, dense.ptr, 0, 4, 4, 0, w.ptr, out.ptr);
      expect(Array.from(out.a)).toEqual([6, 10]);
      k.categoricalHits(scores.ptr, labels.ptr, 1, 4, 4, 1, 0, out.ptr);
      // k = 1 with ties counted in: row0 label 2 ties the max → hit; row2 all tie → hit
      expect(Array.from(out.a)).toEqual([4, 4]);
      const bad = m.i32([7, -1, 0, 0]);
      k.categoricalHits(scores.ptr, bad.ptr, 1, 4, 4, 2, 0, out.ptr);
      expect(out.a[0]).toBe(2);
      expect(m.guardsIntact()).toBe(true);
    });

    it('binaryCounts and aucHistogram: exact weighted counts, NaN-safe buckets', () => {
      for (const [rows, cols] of [
        [9, 1],
        [5, 3],
        [2, 6],
      ]) {
        m.reset();
        const n = rows * cols;
        const s0 = Float32Array.from({ length: n }, () => r());
        s0[0] = 0.5; // exactly at the threshold: negative (strict >)
        const t0 = Float32Array.from({ length: n }, () => (r() < 0.5 ? 0 : 1));
        const w0 = Float32Array.from({ length: rows }, (_, i) => i + 1);
        const s = m.f32(s0),
          t = m.f32(t0),
          w = m.f32(w0);
        const out = m.f32(new Float32Array(6).fill(5));
        k.binaryCounts(s.ptr, t.ptr, rows, cols, 0.5, w.ptr, out.ptr);
        const ref = [0, 0, 0, 0, 0, 0];
        for (let e = 0; e < n; e++) {
          const wi = w0[Math.floor(e / cols)];
          const pp = s0[e] > 0.5,
            lp = t0[e] !== 0;
          ref[pp && lp ? 0 : pp ? 1 : lp ? 2 : 3] += wi;
          if ((pp ? 1 : 0) === t0[e]) ref[4] += wi;
        }
        ref[5] = w0.reduce((a, b) => a + b, 0);
        expect(Array.from(out.a)).toEqual(ref);
        const h = m.f32(new Float32Array(20).fill(3));
        s.a[1] = NaN;
        s.a[n - 1] = 7;
        k.aucHistogram(s.ptr, t.ptr, rows, cols, 10, 0, h.ptr);
        expect(h.a.reduce((a, b) => a + b, 0)).toBe(n);
        // 7 clips to 1, which exceeds every threshold but the last (1 + ε): bucket N − 2
        expect(h.a[t0[n - 1] !== 0 ? 8 : 18]).toBeGreaterThan(0);
        expect(h.a[9] + h.a[19]).toBe(0);
        expect(m.guardsIntact()).toBe(true);
      }
    });
  });
}
