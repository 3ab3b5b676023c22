// The formula calls' defaults. An update formula sees ĝ, the gradient after the transform, in Keras
// 3's order (base_optimizer.py: the regularizers' gradient is part of the loss's, then clipping, then
// the decoupled weight decay w ← w·(1 − η·wd) before the rule's step), as every update default does.

import type { Slice } from '../backend.js';
import type { FormulaCall } from '../calls/formula.js';
import { constant, derived, full, scalarAt, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/**
 * ĝ = clip(s·(g + l1·sign(w) + 2·l2·w), −clipValue, clipValue), s = c/max(√normSq, c), each part
 * left out when off. The same composition as update.ts's transformedGradient, which is private to
 * that file: when update.ts exports it (typed on the fields both calls share), this copy goes.
 */
function transformedGradient(call: FormulaCall, c: Composer): Slice {
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

export const formulaDefaults: Defaults<FormulaCall> = {
  // ĝ = transform(g); w ← w·(1 − η·wd); then the rule's formula on (w, ĝ, slots)
  formulaUpdate(call, c) {
    const { w, n, cols, slots, learningRate: lr } = call;
    const g = transformedGradient(call, c);
    const wd = call.transform.weightDecay;
    if (wd > 0) c.map2('mul', full(w), constant(derived(() => 1 - lr.value * wd)), n, w);
    call.formula(c, { w, g, slots, n, cols, learningRate: lr });
  },
};
