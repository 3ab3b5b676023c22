// Categorical cross-entropy as one op with two outputs: the batch's summed loss, and its gradient with
// respect to the input (scaled by gradScale, 1/batch for a mean), both computed by one fused kernel
// pass. The gradient pass uses the second output directly, so backprop costs no extra kernel.

import { apply, type SymbolicTensor } from '../tensor.js';
import { OBJECTIVE, invariant, type OpDef } from '../op.js';

export interface CrossEntropyAttrs {
  /** logits: softmax is fused into the loss; probs: the input is already a probability row. */
  readonly input: 'logits' | 'probs';
  /** sparse: int32 class indices [rows]; dense: float32 targets of the input's shape. */
  readonly labels: 'sparse' | 'dense';
  /** Factor of the gradient: the objective is gradScale × (summed loss). */
  readonly gradScale: number;
}

export const crossEntropyOp: OpDef<CrossEntropyAttrs> = {
  name: 'crossEntropy',
  infer([x, target], attrs) {
    invariant(x.shape.length === 2, 'cross-entropy input must be [rows, classes]');
    if (attrs.labels === 'sparse') invariant(target.dtype === 'int32' && target.shape.length === 1 && target.shape[0] === x.shape[0], 'sparse labels must be int32 [rows]');
    else invariant(target.shape.length === 2 && target.shape[0] === x.shape[0] && target.shape[1] === x.shape[1], 'dense targets must match the input');
    return [
      { shape: [1], dtype: 'float32' },
      { shape: x.shape, dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const [x, target] = node.inputs;
    const [loss, grad] = node.outputs;
    return [
      {
        kind: 'crossEntropy', input: node.attrs.input, labels: node.attrs.labels,
        x: ctx.slice(x), target: ctx.slice(target), rows: x.shape[0], cols: x.shape[1],
        grad: ctx.isUsed(grad) ? ctx.slice(grad) : null, gradScale: node.attrs.gradScale, lossOut: ctx.slice(loss),
      },
    ];
  },
  gradient(node, [dLoss]) {
    invariant(dLoss === OBJECTIVE, 'cross-entropy is differentiated only as the training objective');
    return [node.outputs[1], null];
  },
};

/** Returns [summed loss, gradient output]; differentiate the first with `gradients(loss, …)`. */
export function crossEntropy(x: SymbolicTensor, target: SymbolicTensor, attrs: CrossEntropyAttrs): SymbolicTensor {
  return apply(crossEntropyOp, [x, target], attrs)[0];
}
