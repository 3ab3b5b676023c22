// Batch normalization ops against a float64 reference of Keras's formulas: training mode (batch mean
// and biased variance; x, γ, β gradients by central differences; the moving statistics' update),
// inference mode (moving statistics; x, γ, β gradients), without γ or β, shapes that exercise the
// scalar column tail and odd row counts, and constant columns (σ² = 0: y = β, finite gradients).
// Both kernel builds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend, getBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gradients } from '../../src/graph/gradients.js';
import { batchNorm } from '../../src/graph/ops/normalization.js';
import { placeholder, type SymbolicTensor } from '../../src/graph/tensor.js';
import { Variable } from '../../src/graph/variable.js';
import { gradCheck, randomData } from '../helpers/gradcheck.js';

const EPS = 1e-3;
const MOMENTUM = 0.9;

/** y per Keras: γ·(x − μ)/√(σ² + ε) + β, with μ, σ² the batch's (training) or the given ones. */
function reference(
  x: Float64Array,
  rows: number,
  cols: number,
  gamma: Float64Array | null,
  beta: Float64Array | null,
  stats: { mean: ArrayLike<number>; variance: ArrayLike<number> } | null,
) {
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  if (stats) {
    for (let c = 0; c < cols; c++) [mean[c], variance[c]] = [stats.mean[c], stats.variance[c]];
  } else {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c] / rows;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) variance[c] += (x[r * cols + c] - mean[c]) ** 2 / rows;
  }
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      y[i] = ((gamma ? gamma[c] : 1) * (x[i] - mean[c])) / Math.sqrt(variance[c] + EPS) + (beta ? beta[c] : 0);
    }
  }
  return { y, mean, variance };
}

function movingStats(cols: number, seed: number): { mm: Variable; mv: Variable } {
  const mm = new Variable('mm', [cols], Float32Array.from(randomData(cols, seed, -0.5, 0.5)), false);
  const mv = new Variable('mv', [cols], Float32Array.from(randomData(cols, seed + 1, 0.2, 2)), false);
  return { mm, mv };
}

const SHAPES: [number, number][] = [
  [7, 11], // 2 column blocks + 3 scalar columns, rows not a multiple of 4
  [8, 8],
  [2, 3], // the smallest training batch, scalar columns only
  [13, 21],
];

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('batch normalization ops, $build kernels', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  for (const training of [true, false]) {
    for (const [scale, center] of [
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ]) {
      it(
        `${training ? 'training' : 'inference'} mode, scale ${scale}, center ${center}: forward and the x, γ, β ` +
          `gradients`,
        () => {
          for (const [rows, cols] of SHAPES) {
            const { mm, mv } = movingStats(cols, rows);
            const stats = training ? null : { mean: mm.read().data, variance: mv.read().data };
            const inputs = [{ shape: [rows, cols], data: randomData(rows * cols, rows * 31 + cols, -2, 3) }];
            if (scale) inputs.push({ shape: [cols], data: randomData(cols, 5, 0.5, 1.5) });
            if (center) inputs.push({ shape: [cols], data: randomData(cols, 6) });
            const split = (t: readonly (SymbolicTensor | Float64Array)[]) => ({
              x: t[0],
              gamma: scale ? t[1] : null,
              beta: center ? t[scale ? 2 : 1] : null,
            });
            const result = gradCheck(
              (t) => {
                const { x, gamma, beta } = split(t) as {
                  x: SymbolicTensor;
                  gamma: SymbolicTensor | null;
                  beta: SymbolicTensor | null;
                };
                return batchNorm(
                  x,
                  { movingMean: mm.symbolic, movingVariance: mv.symbolic, gamma, beta },
                  { training, momentum: MOMENTUM, epsilon: EPS },
                );
              },
              (t) => {
                const { x, gamma, beta } = split(t) as {
                  x: Float64Array;
                  gamma: Float64Array | null;
                  beta: Float64Array | null;
                };
                return reference(x, rows, cols, gamma, beta, stats).y;
              },
              inputs,
            );
            expect(result.forwardError, `forward ${rows}×${cols}`).toBeLessThan(2e-5);
            expect(result.gradientErrors).toHaveLength(inputs.length);
            for (const [i, e] of result.gradientErrors.entries())
              expect(e, `gradient ${i} at ${rows}×${cols}`).toBeLessThan(1e-4);
            mm.dispose();
            mv.dispose();
          }
        },
      );
    }
  }

  it(
    'training mode updates the moving statistics in the same kernel: moving·momentum + batch stat·(1 − ' +
      'momentum), biased variance',
    () => {
      for (const [rows, cols] of SHAPES) {
        const { mm, mv } = movingStats(cols, 40);
        const before = { mean: mm.read().data, variance: mv.read().data };
        const data = randomData(rows * cols, 9, -1, 4);
        const x = placeholder([rows, cols], 'float32', 'x');
        const y = batchNorm(
          x,
          { movingMean: mm.symbolic, movingVariance: mv.symbolic, gamma: null, beta: null },
          { training: true, momentum: MOMENTUM, epsilon: EPS },
        );
        const graph = new CompiledGraph(getBackend(), { feeds: [x], fetches: [y] });
        graph.write(x, Float32Array.from(data));
        graph.run();
        const { mean, variance } = reference(data, rows, cols, null, null, null);
        const after = { mean: mm.read().data, variance: mv.read().data };
        for (let c = 0; c < cols; c++) {
          expect(after.mean[c]).toBeCloseTo(before.mean[c] * MOMENTUM + mean[c] * (1 - MOMENTUM), 5);
          expect(after.variance[c]).toBeCloseTo(before.variance[c] * MOMENTUM + variance[c] * (1 - MOMENTUM), 5);
        }
        graph.dispose();
        mm.dispose();
        mv.dispose();
      }
    },
  );

  it('a constant column (σ² = 0) gives y = β and finite gradients, never NaN', () => {
    const [rows, cols] = [6, 9];
    const { mm, mv } = movingStats(cols, 50);
    const data = Float32Array.from(randomData(rows * cols, 10));
    for (let r = 0; r < rows; r++) {
      data[r * cols + 2] = 0.75; // in a SIMD block
      data[r * cols + 8] = -3; // in the scalar tail
    }
    const beta = new Variable('beta', [cols], Float32Array.from(randomData(cols, 11)));
    const gamma = new Variable('gamma', [cols], new Float32Array(cols).fill(2));
    const x = placeholder([rows, cols], 'float32', 'x');
    const seed = placeholder([rows, cols], 'float32', 'seed');
    const y = batchNorm(
      x,
      { movingMean: mm.symbolic, movingVariance: mv.symbolic, gamma: gamma.symbolic, beta: beta.symbolic },
      { training: true, momentum: MOMENTUM, epsilon: EPS },
    );
    const grads = gradients(y, [x, gamma.symbolic, beta.symbolic], seed) as SymbolicTensor[];
    const graph = new CompiledGraph(getBackend(), { feeds: [x, seed], fetches: [y, ...grads] });
    graph.write(x, data);
    graph.write(seed, Float32Array.from(randomData(rows * cols, 12)));
    graph.run();
    const out = graph.read(y);
    const b = beta.read().data;
    for (let r = 0; r < rows; r++) {
      expect(out[r * cols + 2]).toBe(b[2]);
      expect(out[r * cols + 8]).toBe(b[8]);
    }
    for (const g of grads) expect(Array.from(graph.read(g)).every(Number.isFinite)).toBe(true);
    graph.dispose();
    for (const v of [mm, mv, beta, gamma]) v.dispose();
  });
});
