// Weight penalties for the reported loss. Forward only: the penalty's gradient (l1·sign(w) + 2·l2·w)
// is added inside the optimizer's update pass, where w is read anyway.
// Activity penalties (on a layer's output) are objective terms instead: one op with two outputs, the
// penalty and its gradient, computed in one kernel pass (as the cross-entropy op).

import { apply, apply1, type SymbolicTensor } from '../tensor.js';
import { OBJECTIVE, invariant, type OpDef } from '../op.js';

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
    return [
      {
        kind: 'regularizerPenalty',
        x: ctx.slice(w),
        n: w.size,
        l1: node.attrs.l1,
        l2: node.attrs.l2,
        out: ctx.slice(node.outputs[0]),
      },
    ];
  },
};

/** l1·Σ|w| + l2·Σw² as a [1] tensor. */
export function penalty(w: SymbolicTensor, l1: number, l2: number): SymbolicTensor {
  return apply1(penaltyOp, [w], { l1, l2 });
}

export interface ActivityPenaltyAttrs {
  readonly l1: number;
  readonly l2: number;
  /** Factor of penalty and gradient (1: Keras 3 adds the activity penalty as it is, not per sample). */
  readonly scale: number;
}

export const activityPenaltyOp: OpDef<ActivityPenaltyAttrs> = {
  name: 'activityPenalty',
  infer([y]) {
    return [
      { shape: [1], dtype: 'float32' },
      { shape: y.shape, dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const y = node.inputs[0];
    const [out, grad] = node.outputs;
    const { l1, l2, scale } = node.attrs;
    return [
      {
        kind: 'activityRegularizer',
        x: ctx.slice(y),
        n: y.size,
        l1,
        l2,
        scale,
        out: ctx.slice(out),
        grad: ctx.isUsed(grad) ? ctx.slice(grad) : null,
      },
    ];
  },
  gradient(node, [dPenalty]) {
    invariant(dPenalty === OBJECTIVE, 'an activity penalty is differentiated only as a training-objective term');
    return [node.outputs[1]];
  },
};

/**
 * l1·Σ|y| + l2·Σy² over the batch's outputs as a [1] objective term. Keras 3 adds it to the loss as
 * it is (tf.keras 2 divided it by the batch size); pass it to `ctx.addLoss`, which differentiates it
 * as part of the objective.
 */
export function activityPenalty(y: SymbolicTensor, l1: number, l2: number): SymbolicTensor {
  return apply(activityPenaltyOp, [y], { l1, l2, scale: 1 })[0];
}
