// Optimizer updates as compositions (assembly/optimizers.ts), in place on w and the state slots.
// Every rule sees ĝ, the gradient after the transform (transformedGradient), and steps from
// w·(1 − η·wd) (decoupled weight decay) rather than w. Each slot and w are written by calls whose
// `full` operand is the slot itself, after everything that reads their old value; w last.
// (The kernels also flush subnormal state values to 0, a speed measure below any step they make.)

import type { Slice } from '../backend.js';
import type { GradientTransform, UpdateCall } from '../calls/update.js';
import { constant, derived, full, scalarAt, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** What the gradient transform reads of an update call (every update and formulaUpdate call has it). */
export interface TransformedCall {
  readonly w: Slice;
  readonly g: Slice;
  readonly n: number;
  readonly transform: GradientTransform;
}

/**
 * ĝ = clip(s·(g + l1·sign(w) + 2·l2·w), −clipValue, clipValue), s = c/max(√normSq, c): the gradient
 * every rule sees, in the kernels' (Keras 3's) order. A part that is off (0, or clipValue ∞;
 * clipNorm, clipValue and weightDecay count only when > 0) is left out: ĝ = g when all are.
 */
export function transformedGradient(call: TransformedCall, c: Composer): Slice {
  const { w, n, transform: t } = call;
  let g = call.g;
  if (t.l1 !== 0) g = c.map2('add', full(g), full(c.map2('mul', full(c.unary('sign', w, n)), constant(t.l1), n)), n);
  if (t.l2 !== 0) g = c.map2('add', full(g), full(c.map2('mul', full(w), constant(2 * t.l2), n)), n);
  if (t.normSq && t.clipNorm > 0) {
    const norm = c.map2('max', full(c.unary('sqrt', t.normSq, 1)), constant(t.clipNorm), 1);
    g = c.map2('mul', full(g), scalarAt(c.map2('div', constant(t.clipNorm), full(norm), 1)), n);
  }
  if (t.clipValue > 0 && t.clipValue < Infinity) {
    g = c.map2('min', full(c.map2('max', full(g), constant(-t.clipValue), n)), constant(t.clipValue), n);
  }
  return g;
}

/** w ← w·(1 − η·wd) ± step: the decoupled weight decay (when on) and the rule's step, w's one write. */
function stepWeights(call: UpdateCall, c: Composer, op: 'add' | 'sub', step: Slice): void {
  const { w, n, learningRate: lr } = call;
  const wd = call.transform.weightDecay;
  const kept = wd > 0 ? c.map2('mul', full(w), constant(derived(() => 1 - lr.value * wd)), n) : w;
  c.map2(op, full(kept), full(step), n, w);
}

/** s ← ρ·s + (1 − ρ)·x, in place. */
function average(c: Composer, s: Slice, rho: number, x: Slice, n: number): void {
  const fresh = c.map2('mul', full(x), constant(1 - rho), n);
  c.map2('mul', full(s), constant(rho), n, s);
  c.map2('add', full(s), full(fresh), n, s);
}

/** x / (√v + ε) */
function overRoot(c: Composer, x: Slice, v: Slice, epsilon: number, n: number): Slice {
  return c.map2('div', full(x), full(c.map2('add', full(c.unary('sqrt', v, n)), constant(epsilon), n)), n);
}

/** x / √(v + ε) */
function overRootOf(c: Composer, x: Slice, v: Slice, epsilon: number, n: number): Slice {
  return c.map2('div', full(x), full(c.unary('sqrt', c.map2('add', full(v), constant(epsilon), n), n)), n);
}

export const updateDefaults: Defaults<UpdateCall> = {
  // w ← w − η·ĝ
  sgdUpdate(call, c) {
    const g = transformedGradient(call, c);
    stepWeights(call, c, 'sub', c.map2('mul', full(g), constant(call.learningRate), call.n));
  },

  // m ← μ·m − η·ĝ; w ← w + m (Nesterov: w ← w + μ·m − η·ĝ)
  momentumUpdate(call, c) {
    const { m, momentum: mu, n } = call;
    const g = transformedGradient(call, c);
    const lrG = c.map2('mul', full(g), constant(call.learningRate), n);
    c.map2('mul', full(m), constant(mu), n, m);
    c.map2('sub', full(m), full(lrG), n, m);
    const delta = call.nesterov ? c.map2('sub', full(c.map2('mul', full(m), constant(mu), n)), full(lrG), n) : m;
    stepWeights(call, c, 'add', delta);
  },

  // a ← a + ĝ²; w ← w − η·ĝ/√(a + ε)
  adagradUpdate(call, c) {
    const { accumulator: a, n } = call;
    const g = transformedGradient(call, c);
    c.map2('add', full(a), full(c.unary('square', g, n)), n, a);
    const lrG = c.map2('mul', full(g), constant(call.learningRate), n);
    stepWeights(call, c, 'sub', overRootOf(c, lrG, a, call.epsilon, n));
  },

  // v ← ρv + (1 − ρ)ĝ²; centered: ḡ ← ρḡ + (1 − ρ)ĝ, d = max(v − ḡ², 0), else d = v;
  // inc = η·ĝ/√(d + ε); momentum: b ← μ·b + inc, w ← w − b; else w ← w − inc
  rmspropUpdate(call, c) {
    const { velocity: v, averageGrad: gBar, momentumBuffer: b, rho, n } = call;
    const g = transformedGradient(call, c);
    average(c, v, rho, c.unary('square', g, n), n);
    let d = v;
    if (gBar) {
      average(c, gBar, rho, g, n);
      d = c.map2('max', full(c.map2('sub', full(v), full(c.unary('square', gBar, n)), n)), constant(0), n);
    }
    const inc = overRootOf(c, c.map2('mul', full(g), constant(call.learningRate), n), d, call.epsilon, n);
    if (!b) {
      stepWeights(call, c, 'sub', inc);
      return;
    }
    c.map2('mul', full(b), constant(call.momentum), n, b);
    c.map2('add', full(b), full(inc), n, b);
    stepWeights(call, c, 'sub', b);
  },

  // m ← β1·m + (1 − β1)ĝ; v ← β2·v + (1 − β2)ĝ²; amsgrad: v̂ ← max(v̂, v), used for v;
  // w ← w − α·m/(√v + ε), α = η·√(1 − β2^t)/(1 − β1^t)
  adamUpdate(call, c) {
    const { m, v, vHat, n, learningRate: lr, correction1: c1, correction2: c2 } = call;
    const g = transformedGradient(call, c);
    average(c, m, call.beta1, g, n);
    average(c, v, call.beta2, c.unary('square', g, n), n);
    if (vHat) c.map2('max', full(vHat), full(v), n, vHat);
    const alpha = derived(() => (lr.value * Math.sqrt(c2.value)) / c1.value);
    stepWeights(call, c, 'sub', c.map2('mul', full(overRoot(c, m, vHat ?? v, call.epsilon, n)), constant(alpha), n));
  },

  // m ← β1·m + (1 − β1)ĝ; u ← max(β2·u, |ĝ|); w ← w − η/(1 − β1^t)·m/(u + ε)
  adamaxUpdate(call, c) {
    const { m, u, n, learningRate: lr, correction1: c1 } = call;
    const g = transformedGradient(call, c);
    average(c, m, call.beta1, g, n);
    c.map2('mul', full(u), constant(call.beta2), n, u);
    c.map2('max', full(u), full(c.unary('abs', g, n)), n, u);
    const ratio = c.map2('div', full(m), full(c.map2('add', full(u), constant(call.epsilon), n)), n);
    stepWeights(call, c, 'sub', c.map2('mul', full(ratio), constant(derived(() => lr.value / c1.value)), n));
  },

  // m ← β1·m + (1 − β1)ĝ; v ← β2·v + (1 − β2)ĝ²; m̂ = mCoef·m + gCoef·ĝ; v̂ = v/(1 − β2^t);
  // w ← w − η·m̂/(√v̂ + ε)
  nadamUpdate(call, c) {
    const { m, v, n } = call;
    const g = transformedGradient(call, c);
    average(c, m, call.beta1, g, n);
    average(c, v, call.beta2, c.unary('square', g, n), n);
    const mHat = c.map2(
      'add',
      full(c.map2('mul', full(m), constant(call.mCoef), n)),
      full(c.map2('mul', full(g), constant(call.gCoef), n)),
      n,
    );
    const vHat = c.map2('div', full(v), constant(call.correction2), n);
    stepWeights(
      call,
      c,
      'sub',
      c.map2('mul', full(overRoot(c, mHat, vHat, call.epsilon, n)), constant(call.learningRate), n),
    );
  },

  // a ← ρa + (1 − ρ)ĝ²; δ = −√(d + ε)·ĝ/√(a + ε) (d before its update);
  // d ← ρd + (1 − ρ)δ²; w ← w + η·δ
  adadeltaUpdate(call, c) {
    const { accumulatedGrad: a, accumulatedDelta: d, rho, epsilon, n } = call;
    const g = transformedGradient(call, c);
    average(c, a, rho, c.unary('square', g, n), n);
    const rootD = c.unary('sqrt', c.map2('add', full(d), constant(epsilon), n), n);
    const delta = c.unary('neg', overRootOf(c, c.map2('mul', full(rootD), full(g), n), a, epsilon, n), n);
    average(c, d, rho, c.unary('square', delta, n), n);
    stepWeights(call, c, 'add', c.map2('mul', full(delta), constant(call.learningRate), n));
  },
};
