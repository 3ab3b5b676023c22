// Batch normalization over the last axis of [rows, cols] (assembly/normalization.ts): statistics per
// column over the rows, the biased variance Σ(x − μ)²/N from the deviations (two passes, as the
// kernel), ŝ = 1/√(σ² + ε).

import type { Slice } from '../backend.js';
import type { NormalizationCall } from '../calls/normalization.js';
import { constant, full, row, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** 1/√(v + ε) over n values. */
function invStdOf(c: Composer, v: Slice, n: number, epsilon: number, out?: Slice): Slice {
  const s = c.map2('add', full(v), constant(epsilon), n, out);
  c.unary('sqrt', s, n, s);
  return c.unary('reciprocal', s, n, s);
}

/** γ·ŝ per column (ŝ itself when γ = 1). */
const scaleOf = (c: Composer, gamma: Slice | null, s: Slice, cols: number): Slice =>
  gamma ? c.map2('mul', full(gamma), full(s), cols) : s;

/** y = d·g_j + β_j for the deviations d = x − μ. */
function affine(c: Composer, d: Slice, g: Slice, beta: Slice | null, rows: number, cols: number, y: Slice): void {
  c.binary('mul', full(d), row(g), rows, cols, y);
  if (beta) c.binary('add', full(y), row(beta), rows, cols, y);
}

/** moving = moving·momentum + stat·(1 − momentum), in place. */
function movingAverage(c: Composer, moving: Slice, stat: Slice, momentum: number, cols: number): void {
  const t = c.map2('mul', full(stat), constant(1 - momentum), cols);
  c.map2('mul', full(moving), constant(momentum), cols, moving);
  c.map2('add', full(moving), full(t), cols, moving);
}

export const normalizationDefaults: Defaults<NormalizationCall> = {
  // μ = Σx/N, σ² = Σ(x − μ)²/N, y = γ·(x − μ)·ŝ + β;
  // moving ← moving·momentum + stat·(1 − momentum)
  batchNormTrain(call, c) {
    const { x, y, rows, cols, gamma, beta, epsilon, momentum } = call;
    const n = rows * cols;
    const mu = c.reduce('sum', 'rows', x, rows, cols, call.mean ?? undefined);
    c.map2('div', full(mu), constant(rows), cols, mu);
    const d = c.binary('sub', full(x), row(mu), rows, cols);
    const sq = c.unary('square', d, n);
    const variance = c.reduce('sum', 'rows', sq, rows, cols);
    c.map2('div', full(variance), constant(rows), cols, variance);
    const s = invStdOf(c, variance, cols, epsilon, call.invStd ?? undefined);
    movingAverage(c, call.movingMean, mu, momentum, cols);
    movingAverage(c, call.movingVariance, variance, momentum, cols);
    affine(c, d, scaleOf(c, gamma, s, cols), beta, rows, cols, y);
  },

  // y = γ·(x − moving mean)/√(moving variance + ε) + β
  batchNormInference(call, c) {
    const { x, y, rows, cols, gamma, beta, epsilon } = call;
    const g = scaleOf(c, gamma, invStdOf(c, call.movingVariance, cols, epsilon), cols);
    const d = c.binary('sub', full(x), row(call.movingMean), rows, cols);
    affine(c, d, g, beta, rows, cols, y);
  },

  // dβ = Σdy, dγ = ŝ·Σdy·(x − μ);
  // dx = γŝ·(dy − Σdy/N − (x − μ)·ŝ²·Σdy·(x − μ)/N) (train), γŝ·dy (inference)
  batchNormBackward(call, c) {
    const { x, dy, rows, cols, gamma, mean, dx, dgamma, dbeta } = call;
    const n = rows * cols;
    const train = call.mode === 'train';
    const s = train ? call.stat : invStdOf(c, call.stat, cols, call.epsilon);
    const g = dx ? scaleOf(c, gamma, s, cols) : null;
    if (dgamma || dbeta || (dx && train)) {
      const sdy = c.reduce('sum', 'rows', dy, rows, cols);
      const d = c.binary('sub', full(x), row(mean), rows, cols);
      const p = c.map2('mul', full(dy), full(d), n);
      const sdd = c.reduce('sum', 'rows', p, rows, cols);
      if (dx && g && train) {
        const m1 = c.map2('div', full(sdy), constant(rows), cols);
        const m2 = c.map2('mul', full(sdd), full(s), cols);
        c.map2('mul', full(m2), full(s), cols, m2);
        c.map2('div', full(m2), constant(rows), cols, m2);
        c.binary('mul', full(d), row(m2), rows, cols, d);
        // every input is read: now the outputs
        if (dbeta) c.copy(sdy, cols, dbeta);
        if (dgamma) c.map2('mul', full(sdd), full(s), cols, dgamma);
        c.binary('sub', full(dy), row(m1), rows, cols, dx);
        c.map2('sub', full(dx), full(d), n, dx);
        c.binary('mul', full(dx), row(g), rows, cols, dx);
        return;
      }
      if (dbeta) c.copy(sdy, cols, dbeta);
      if (dgamma) c.map2('mul', full(sdd), full(s), cols, dgamma);
    }
    if (dx && g) c.binary('mul', full(dy), row(g), rows, cols, dx);
  },
};
