// The formula calls' defaults. An update formula sees ĝ, the gradient after the transform, in Keras
// 3's order (base_optimizer.py: the regularizers' gradient is part of the loss's, then clipping, then
// the decoupled weight decay w ← w·(1 − η·wd) before the rule's step), as every update default does.

import type { FormulaCall } from '../calls/formula.js';
import { constant, derived, full } from './compose.js';
import { transformedGradient } from './update.js';
import type { Defaults } from './types.js';

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
