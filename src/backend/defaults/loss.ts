// Losses as compositions (assembly/losses.ts, losses-elementwise.ts). Each writes lossOut[0], the
// batch's sum of per-sample losses times their weights, and, when `grad` is given, the gradient of
// that sum times gradScale. grad may alias x: every read of x comes before the one final write of
// grad. `partials` is the WASM kernels' scratch for threads: unused here.

import type { HostScalar, Slice } from '../backend.js';
import type { LossCall, PointwiseLossKind } from '../calls/loss.js';
import { column, constant, full, scalarAt, type Composer } from './compose.js';
import type { Defaults } from './types.js';

type CrossEntropy = Extract<LossCall, { kind: 'crossEntropy' }>;
type PointwiseLoss = Extract<LossCall, { kind: 'pointwiseLoss' }>;

/** Keras's epsilon() and 1 − epsilon() as float32: the from-probabilities clip range. */
const EPSILON = Math.fround(1e-7);
const ONE_MINUS_EPSILON = Math.fround(1 - EPSILON);

/** t' = t·(1 − ε) + ε/k, label smoothing over k classes (t itself when ε = 0). */
function smoothed(c: Composer, t: Slice, epsilon: number, k: number, n: number): Slice {
  if (epsilon === 0) return t;
  const kept = c.map2('mul', full(t), constant(1 - epsilon), n);
  return c.map2('add', full(kept), constant(epsilon / k), n);
}

/** clip(x, ε, 1 − ε). */
function clipped(c: Composer, x: Slice, n: number): Slice {
  return c.map2('min', full(c.map2('max', full(x), constant(EPSILON), n)), constant(ONE_MINUS_EPSILON), n);
}

/** [ε ≤ x ≤ 1 − ε]: where the clip passes the gradient (TF's clip gradient). */
function inRange(c: Composer, x: Slice, n: number): Slice {
  const above = c.map2('greaterEqual', full(x), constant(EPSILON), n);
  return c.map2('mul', full(above), full(c.map2('lessEqual', full(x), constant(ONE_MINUS_EPSILON), n)), n);
}

/** Σ_j where(mask_ij, x_ij, 0) per row: a row's value at its label (0 for an invalid label). */
function atLabel(c: Composer, mask: Slice, x: Slice, rows: number, cols: number): Slice {
  return c.reduce('sum', 'cols', c.where(full(mask), full(x), constant(0), rows, cols), rows, cols);
}

/** lossOut = Σ_i w_i·loss_i / divisor (w_i = 1 without weights). */
function total(c: Composer, perRow: Slice, weights: Slice | null, rows: number, lossOut: Slice, divisor = 1): void {
  const weighted = weights ? c.map2('mul', full(perRow), full(weights), rows) : perRow;
  if (divisor === 1) {
    c.sum(weighted, rows, lossOut);
    return;
  }
  c.map2('div', full(c.sum(weighted, rows)), constant(divisor), 1, lossOut);
}

/** grad = d·w_i·k, each row times its sample weight (when given) and k: the one write of grad. */
function writeGrad(
  c: Composer,
  d: Slice,
  weights: Slice | null,
  k: number | HostScalar,
  rows: number,
  cols: number,
  grad: Slice,
): void {
  const weighted = weights ? c.binary('mul', full(d), column(weights), rows, cols) : d;
  c.binary('mul', full(weighted), constant(k), rows, cols, grad);
}

/** A sparse label's loss is NaN when the label is outside [0, cols) (its one-hot row is all 0). */
function nanUnlessValid(c: Composer, loss: Slice, oneHot: Slice, rows: number, cols: number): Slice {
  const valid = c.reduce('max', 'cols', oneHot, rows, cols);
  return c.where(full(valid), full(loss), constant(NaN), 1, rows);
}

// loss_i = log Σ_j exp(z_ij − m_i) − (z_il − m_i); grad = (softmax(z_i) − onehot(l_i))·w_i·gradScale
function softmaxSparse(call: CrossEntropy, c: Composer): void {
  const { x, rows, cols, grad } = call;
  const n = rows * cols;
  const shifted = c.binary('sub', full(x), column(c.reduce('max', 'cols', x, rows, cols)), rows, cols);
  const e = c.unary('exp', shifted, n);
  const s = c.reduce('sum', 'cols', e, rows, cols);
  const oneHot = c.oneHot(call.target, rows, cols);
  const loss = c.map2('sub', full(c.unary('log', s, rows)), full(atLabel(c, oneHot, shifted, rows, cols)), rows);
  total(c, nanUnlessValid(c, loss, oneHot, rows, cols), call.weights, rows, call.lossOut);
  if (!grad) return;
  const softmax = c.binary('div', full(e), column(s), rows, cols);
  writeGrad(c, c.map2('sub', full(softmax), full(oneHot), n), call.weights, call.gradScale, rows, cols, grad);
}

// t' smoothed over cols, T_i = Σ_j t'_ij: loss_i = T_i·log s_i − Σ_j t'_ij·(z_ij − m_i);
// grad = (softmax(z_i)·T_i − t'_i)·w_i·gradScale
function softmaxDense(call: CrossEntropy, c: Composer): void {
  const { x, rows, cols, grad } = call;
  const n = rows * cols;
  const t = smoothed(c, call.target, call.smoothing, cols, n);
  const shifted = c.binary('sub', full(x), column(c.reduce('max', 'cols', x, rows, cols)), rows, cols);
  const e = c.unary('exp', shifted, n);
  const s = c.reduce('sum', 'cols', e, rows, cols);
  const T = c.reduce('sum', 'cols', t, rows, cols);
  const tShifted = c.reduce('sum', 'cols', c.map2('mul', full(t), full(shifted), n), rows, cols);
  const loss = c.map2('sub', full(c.map2('mul', full(T), full(c.unary('log', s, rows)), rows)), full(tShifted), rows);
  total(c, loss, call.weights, rows, call.lossOut);
  if (!grad) return;
  const scaledSoftmax = c.binary('mul', full(e), column(c.map2('div', full(T), full(s), rows)), rows, cols);
  writeGrad(c, c.map2('sub', full(scaledSoftmax), full(t), n), call.weights, call.gradScale, rows, cols, grad);
}

// c = clip(p, ε, 1 − ε): loss_i = log Σ_j c_ij − log c_il (the clipped row renormalised);
// grad = [ε ≤ p ≤ 1 − ε]·(1/Σ_j c_ij − onehot(l_i)/c_il)·w_i·gradScale
function probsSparse(call: CrossEntropy, c: Composer): void {
  const { x, rows, cols, grad } = call;
  const n = rows * cols;
  const clip = clipped(c, x, n);
  const sum = c.reduce('sum', 'cols', clip, rows, cols);
  const oneHot = c.oneHot(call.target, rows, cols);
  const loss = c.map2(
    'sub',
    full(c.unary('log', sum, rows)),
    full(atLabel(c, oneHot, c.unary('log', clip, n), rows, cols)),
    rows,
  );
  total(c, nanUnlessValid(c, loss, oneHot, rows, cols), call.weights, rows, call.lossOut);
  if (!grad) return;
  const labelTerm = c.where(full(oneHot), full(c.unary('reciprocal', clip, n)), constant(0), rows, cols);
  const d = c.binary('sub', column(c.unary('reciprocal', sum, rows)), full(labelTerm), rows, cols);
  writeGrad(c, c.map2('mul', full(d), full(inRange(c, x, n)), n), call.weights, call.gradScale, rows, cols, grad);
}

// q = p/Σp, c = clip(q, ε, 1 − ε), mask = [ε ≤ q ≤ 1 − ε], t' smoothed over cols:
// loss_i = −Σ_j t'_ij·log c_ij; grad = (Σ_j mask·t' / Σp − mask·t'/p)·w_i·gradScale
function probsDense(call: CrossEntropy, c: Composer): void {
  const { x, rows, cols, grad } = call;
  const n = rows * cols;
  const t = smoothed(c, call.target, call.smoothing, cols, n);
  const sum = c.reduce('sum', 'cols', x, rows, cols);
  const q = c.binary('div', full(x), column(sum), rows, cols);
  const tLog = c.map2('mul', full(t), full(c.unary('log', clipped(c, q, n), n)), n);
  total(c, c.unary('neg', c.reduce('sum', 'cols', tLog, rows, cols), rows), call.weights, rows, call.lossOut);
  if (!grad) return;
  const mask = inRange(c, q, n);
  const tIn = c.reduce('sum', 'cols', c.map2('mul', full(mask), full(t), n), rows, cols);
  const term = c.where(full(mask), full(c.map2('div', full(t), full(x), n)), constant(0), rows, cols);
  const d = c.binary('sub', column(c.map2('div', full(tIn), full(sum), rows)), full(term), rows, cols);
  writeGrad(c, d, call.weights, call.gradScale, rows, cols, grad);
}

/** An elementwise loss l(x, t) and, when asked, its derivative l′ (over n values). */
type Pointwise = (
  x: Slice,
  t: Slice,
  n: number,
  call: PointwiseLoss,
  c: Composer,
) => { loss: Slice; derivative: () => Slice };

const POINTWISE: Record<PointwiseLossKind, Pointwise> = {
  // t' = t(1 − ε) + ε/2. Logits: l = softplus(x) − x·t', l′ = σ(x) − t'.
  // Probabilities: c = clip(x, ε, 1 − ε), l = −t'·log c − (1 − t')·log(1 − c),
  // l′ = [ε ≤ x ≤ 1 − ε]·(c − t')/(c(1 − c)).
  binaryCrossentropy(x, target, n, call, c) {
    const t = smoothed(c, target, call.param, 2, n);
    if (call.input === 'logits') {
      const loss = c.map2('sub', full(c.unary('softplus', x, n)), full(c.map2('mul', full(x), full(t), n)), n);
      return { loss, derivative: () => c.map2('sub', full(c.unary('sigmoid', x, n)), full(t), n) };
    }
    const clip = clipped(c, x, n);
    const rest = c.map2('sub', constant(1), full(clip), n);
    const tLog = c.map2('mul', full(t), full(c.unary('log', clip, n)), n);
    const restLog = c.map2('mul', full(c.map2('sub', constant(1), full(t), n)), full(c.unary('log', rest, n)), n);
    const loss = c.unary('neg', c.map2('add', full(tLog), full(restLog), n), n);
    return {
      loss,
      derivative: () => {
        const ratio = c.map2(
          'div',
          full(c.map2('sub', full(clip), full(t), n)),
          full(c.map2('mul', full(clip), full(rest), n)),
          n,
        );
        return c.map2('mul', full(ratio), full(inRange(c, x, n)), n);
      },
    };
  },
  // l = (x − t)², l′ = 2(x − t)
  meanSquaredError(x, t, n, _call, c) {
    const d = c.map2('sub', full(x), full(t), n);
    return { loss: c.unary('square', d, n), derivative: () => c.map2('mul', full(d), constant(2), n) };
  },
  // l = |x − t|, l′ = sign(x − t) (0 at 0)
  meanAbsoluteError(x, t, n, _call, c) {
    const d = c.map2('sub', full(x), full(t), n);
    return { loss: c.unary('abs', d, n), derivative: () => c.unary('sign', d, n) };
  },
  // q = min(|x − t|, δ): l = ½q² + δ(|x − t| − q), l′ = clip(x − t, −δ, δ)
  huber(x, t, n, call, c) {
    const delta = call.param;
    const d = c.map2('sub', full(x), full(t), n);
    const a = c.unary('abs', d, n);
    const q = c.map2('min', full(a), constant(delta), n);
    const linear = c.map2('mul', full(c.map2('sub', full(a), full(q), n)), constant(delta), n);
    const loss = c.map2('add', full(c.map2('mul', full(c.unary('square', q, n)), constant(0.5), n)), full(linear), n);
    return {
      loss,
      derivative: () => c.map2('max', full(c.map2('min', full(d), constant(delta), n)), constant(-delta), n),
    };
  },
  // t' = 2t − 1 when every target of the batch is 0 or 1, else t:
  // l = max(1 − t'x, 0), l′ = −t'·[1 − t'x > 0]
  hinge(x, target, n, _call, c) {
    const isBinary = c.map2(
      'add',
      full(c.map2('equal', full(target), constant(0), n)),
      full(c.map2('equal', full(target), constant(1), n)),
      n,
    );
    const allBinary = c.reduce('min', 'cols', isBinary, 1, n);
    const signed = c.map2('sub', full(c.map2('mul', full(target), constant(2), n)), constant(1), n);
    const t = c.where(scalarAt(allBinary), full(signed), full(target), 1, n);
    const margin = c.map2('sub', constant(1), full(c.map2('mul', full(t), full(x), n)), n);
    return {
      loss: c.unary('relu', margin, n),
      derivative: () => c.map2('mul', full(c.unary('neg', t, n)), full(c.unary('step', margin, n)), n),
    };
  },
};

export const lossDefaults: Defaults<LossCall> = {
  crossEntropy(call, c) {
    if (call.input === 'logits') (call.labels === 'sparse' ? softmaxSparse : softmaxDense)(call, c);
    else (call.labels === 'sparse' ? probsSparse : probsDense)(call, c);
  },

  // lossOut = Σ_i w_i·(Σ_j l_ij)/cols; grad = l′·w_i·gradScale/cols
  pointwiseLoss(call, c) {
    const { x, rows, cols, grad } = call;
    const n = rows * cols;
    const { loss, derivative } = POINTWISE[call.loss](x, call.target, n, call, c);
    total(c, c.reduce('sum', 'cols', loss, rows, cols), call.weights, rows, call.lossOut, cols);
    if (grad) writeGrad(c, derivative(), call.weights, call.gradScale / cols, rows, cols, grad);
  },
};
