// Numerical gradient checks of every loss op (both kernel builds): the gradient output of the fused
// loss kernel against central differences of a float64 reference of Keras's definition, with and
// without sample weights, label smoothing, fromLogits and probability inputs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { crossEntropy, pointwiseLoss, type PointwiseLossKind } from '../../src/graph/ops/losses.js';
import { gradCheck, randomData, type CheckInput } from '../helpers/gradcheck.js';
import { categoricalRef, pointwiseRef, weightedSum, type PointwiseKind } from '../helpers/loss-reference.js';

const TOL = 2e-3;
const rows = 6;

function softmaxRows(x: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / cols; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    const e = Array.from(row, (v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (const [j, v] of e.entries()) out[r * cols + j] = v / s;
  }
  return out;
}

const weights = Float64Array.from([0.5, 2, 0, 1.25, 1, 3]);
const w = (data: Float64Array): CheckInput => ({ shape: [rows], data });

for (const relaxedSimd of [false, true]) {
  describe(`loss ops (${relaxedSimd ? 'relaxed' : 'plain'} SIMD)`, () => {
    beforeAll(() => configureBackend({ relaxedSimd }));
    afterAll(() => configureBackend({ relaxedSimd: true }));

    describe('categorical cross-entropy', () => {
      const cols = 7;
      const labels: CheckInput = { shape: [rows], data: Float64Array.from([3, 0, 6, 6, 1, 5]), dtype: 'int32' };
      const oneHot: CheckInput = {
        shape: [rows, cols],
        data: Float64Array.from({ length: rows * cols }, (_, i) =>
          labels.data[Math.floor(i / cols)] === i % cols ? 1 : 0,
        ),
      };
      const logits: CheckInput = { shape: [rows, cols], data: randomData(rows * cols, 9, -4, 4) };
      const probs: CheckInput = { shape: [rows, cols], data: softmaxRows(randomData(rows * cols, 9, -1.5, 1.5), cols) };

      for (const input of ['logits', 'probs'] as const) {
        for (const sparse of [true, false]) {
          for (const smoothing of sparse ? [0] : [0, 0.2]) {
            for (const weighted of [false, true]) {
              it(
                `${input}, ` +
                  `${sparse ? 'sparse' : 'one-hot'}${smoothing ? `, labelSmoothing ${smoothing}` : ''}` +
                  `${weighted ? ', sample weights' : ''}`,
                () => {
                  const inputs = [
                    input === 'logits' ? logits : probs,
                    sparse ? labels : oneHot,
                    ...(weighted ? [w(weights)] : []),
                  ];
                  const r = gradCheck(
                    ([x, t, sw]) =>
                      crossEntropy(
                        x,
                        t,
                        { input, labels: sparse ? 'sparse' : 'dense', gradScale: 1 / rows, smoothing },
                        sw ?? null,
                      ),
                    ([x, t, sw]) =>
                      Float64Array.of(
                        weightedSum(
                          categoricalRef(x, t, cols, { sparse, logits: input === 'logits', smoothing }),
                          sw ?? null,
                        ),
                      ),
                    inputs,
                    { objective: { scale: 1 / rows }, h: input === 'probs' ? 1e-5 : 1e-4 },
                  );
                  expect(r.forwardError).toBeLessThan(1e-5);
                  expect(r.gradientErrors[0]).toBeLessThan(TOL);
                },
              );
            }
          }
        }
      }
    });

    describe('elementwise losses', () => {
      const cases: {
        kind: PointwiseLossKind;
        ref: PointwiseKind;
        input: 'logits' | 'probs';
        param: number;
        x: (n: number, seed: number) => Float64Array;
        t: (n: number, seed: number) => Float64Array;
      }[] = [
        {
          kind: 'binaryCrossentropy',
          ref: 'bceLogits',
          input: 'logits',
          param: 0,
          x: (n, s) => randomData(n, s, -4, 4),
          t: bits,
        },
        {
          kind: 'binaryCrossentropy',
          ref: 'bceLogits',
          input: 'logits',
          param: 0.1,
          x: (n, s) => randomData(n, s, -4, 4),
          t: bits,
        },
        {
          kind: 'binaryCrossentropy',
          ref: 'bceLogits',
          input: 'logits',
          param: 0,
          x: (n, s) => randomData(n, s, -4, 4),
          t: (n, s) => randomData(n, s + 1, 0, 1),
        },
        {
          kind: 'binaryCrossentropy',
          ref: 'bceProbs',
          input: 'probs',
          param: 0,
          x: (n, s) => randomData(n, s, 0.05, 0.95),
          t: bits,
        },
        {
          kind: 'binaryCrossentropy',
          ref: 'bceProbs',
          input: 'probs',
          param: 0.2,
          x: (n, s) => randomData(n, s, 0.05, 0.95),
          t: bits,
        },
        {
          kind: 'meanSquaredError',
          ref: 'mse',
          input: 'probs',
          param: 0,
          x: (n, s) => randomData(n, s, -2, 2),
          t: (n, s) => randomData(n, s + 1, -2, 2),
        },
        {
          kind: 'meanAbsoluteError',
          ref: 'mae',
          input: 'probs',
          param: 0,
          x: (n, s) => randomData(n, s, -2, 2),
          t: (n, s) => randomData(n, s, -2, 2).map((v, i) => v + (i % 2 ? 0.3 : -0.3)),
        },
        {
          kind: 'huber',
          ref: 'huber',
          input: 'probs',
          param: 1,
          x: (n, s) => randomData(n, s, -3, 3),
          t: (n, s) => randomData(n, s + 1, -3, 3),
        },
        {
          kind: 'huber',
          ref: 'huber',
          input: 'probs',
          param: 0.5,
          x: (n, s) => randomData(n, s, -3, 3),
          t: (n, s) => randomData(n, s + 1, -3, 3),
        },
        {
          kind: 'hinge',
          ref: 'hinge',
          input: 'probs',
          param: 0,
          x: (n, s) => randomData(n, s, -2.5, 2.5),
          t: (n, s) => bits(n, s).map((v) => 2 * v - 1),
        },
        { kind: 'hinge', ref: 'hinge', input: 'probs', param: 0, x: (n, s) => randomData(n, s, -2.5, 2.5), t: bits },
      ];
      function bits(n: number, seed: number): Float64Array {
        return randomData(n, seed + 7, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
      }
      // cols 1 (weights per element in the kernel), 3 (scalar remainder), 9 (vectors + remainder)
      for (const c of cases) {
        for (const cols of [1, 3, 9]) {
          for (const weighted of [false, true]) {
            it(
              `${c.kind} (${c.input}${c.param ? `, param ${c.param}` : ''}), ${cols} ` +
                `col${cols > 1 ? 's' : ''}${weighted ? ', sample weights' : ''}`,
              () => {
                const n = rows * cols;
                let x = c.x(n, 3 + cols);
                const t = c.t(n, 5 + cols);
                // keep away from kinks: |d| from 0 (mae), from δ (huber), margins from 0 (hinge)
                if (c.ref === 'huber')
                  x = x.map((v, i) => (Math.abs(Math.abs(v - t[i]) - c.param) < 0.05 ? v + 0.1 : v));
                if (c.ref === 'hinge') {
                  const conv = Array.from(t).every((v) => v === 0 || v === 1);
                  x = x.map((v, i) => {
                    const tv = conv ? 2 * t[i] - 1 : t[i];
                    return Math.abs(1 - tv * v) < 0.05 ? v + 0.1 * tv : v;
                  });
                }
                const inputs: CheckInput[] = [
                  { shape: [rows, cols], data: x },
                  { shape: [rows, cols], data: t },
                  ...(weighted ? [w(weights)] : []),
                ];
                const r = gradCheck(
                  ([xs, ts, sw]) =>
                    pointwiseLoss(
                      xs,
                      ts,
                      { loss: c.kind, input: c.input, gradScale: 1 / rows, param: c.param },
                      sw ?? null,
                    ),
                  ([xs, ts, sw]) =>
                    Float64Array.of(weightedSum(pointwiseRef(c.ref, xs, ts, cols, c.param), sw ?? null)),
                  inputs,
                  { objective: { scale: 1 / rows }, h: 1e-4 },
                );
                expect(r.forwardError).toBeLessThan(1e-5);
                expect(r.gradientErrors[0]).toBeLessThan(TOL);
              },
            );
          }
        }
      }
    });
  });
}
