// Weight penalties for the reported loss. Forward only: the penalty's gradient (l1·sign(w) + 2·l2·w)
// is added inside the optimizer's update pass, where w is read anyway.

import { apply1, type SymbolicTensor } from '../tensor.js';
import type { OpDef } from '../op.js';

export interface PenaltyAttrs {
  readonly l1: number;
  readonly l2: number;
}

export const penaltyOp: OpDef<PenaltyAttrs> = {
  name: 'penalty',
  infer() {
    return [{ shape: [1], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const w = node.inputs[0];
    return [{ kind: 'regularizerPenalty', x: ctx.slice(w), n: w.size, l1: node.attrs.l1, l2: node.attrs.l2, out: ctx.slice(node.outputs[0]) }];
  },
};

/** l1·Σ|w| + l2·Σw² as a [1] tensor. */
export function penalty(w: SymbolicTensor, l1: number, l2: number): SymbolicTensor {
  return apply1(penaltyOp, [w], { l1, l2 });
}
