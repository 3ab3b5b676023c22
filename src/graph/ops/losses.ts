// Losses as ops with two outputs: the batch's summed (sample-weighted) loss, and its gradient with
// respect to the input (scaled by gradScale, 1/batch for Keras's mean over the batch), both computed
// by one fused kernel pass. The gradient pass uses the second output directly, so backprop costs no
// extra kernel. An optional third input holds per-sample weights [rows].

import type { Backend } from '../../backend/backend.js';
import type { PointwiseLossKind } from '../../backend/calls/loss.js';
import { apply, type SymbolicTensor } from '../tensor.js';
import { OBJECTIVE, invariant, sameShape, type OpDef } from '../op.js';

export type { PointwiseLossKind };

export interface CrossEntropyAttrs {
  /** logits: softmax is fused into the loss; probs: the input is already a probability row. */
  readonly input: 'logits' | 'probs';
  /** sparse: int32 class indices [rows]; dense: float32 targets of the input's shape. */
  readonly labels: 'sparse' | 'dense';
  /** Factor of the gradient: the objective is gradScale × (summed loss). */
  readonly gradScale: number;
  /** Label smoothing ε of dense targets (t' = t(1 − ε) + ε/classes); default 0. */
  readonly smoothing?: number;
}

function checkWeights(weights: { shape: readonly number[]; dtype: string } | undefined, rows: number): void {
  if (weights)
    invariant(
      weights.dtype === 'float32' && weights.shape.length === 1 && weights.shape[0] === rows,
      'sample weights must be float32 [rows]',
    );
}

/** Room for one f64 partial sum per row, for a backend that splits the loss over threads. */
function partialBytes(node: { inputs: readonly SymbolicTensor[] }, backend: Backend): number {
  return backend.threads > 1 ? node.inputs[0].shape[0] * 8 : 0;
}

/** The loss output's gradient rule: only the training objective may flow into it. */
function objectiveOnly(
  node: { outputs: readonly SymbolicTensor[]; inputs: readonly SymbolicTensor[] },
  dLoss: unknown,
): (SymbolicTensor | null)[] {
  invariant(dLoss === OBJECTIVE, 'a loss is differentiated only as the training objective');
  return [node.outputs[1], ...node.inputs.slice(1).map(() => null)];
}

export const crossEntropyOp: OpDef<CrossEntropyAttrs> = {
  name: 'crossEntropy',
  infer([x, target, weights], attrs) {
    invariant(x.shape.length === 2, 'cross-entropy input must be [rows, classes]');
    if (attrs.labels === 'sparse')
      invariant(
        target.dtype === 'int32' && target.shape.length === 1 && target.shape[0] === x.shape[0],
        'sparse labels must be int32 [rows]',
      );
    else invariant(sameShape(target.shape, x.shape), 'dense targets must match the input');
    invariant(attrs.labels === 'dense' || !attrs.smoothing, 'label smoothing needs dense targets');
    checkWeights(weights, x.shape[0]);
    return [
      { shape: [1], dtype: 'float32' },
      { shape: x.shape, dtype: 'float32' },
    ];
  },
  scratchBytes: partialBytes,
  emit(ctx, node) {
    const [x, target, weights] = node.inputs;
    const [loss, grad] = node.outputs;
    return [
      {
        kind: 'crossEntropy',
        input: node.attrs.input,
        labels: node.attrs.labels,
        x: ctx.slice(x),
        target: ctx.slice(target),
        rows: x.shape[0],
        cols: x.shape[1],
        grad: ctx.isUsed(grad) ? ctx.slice(grad) : null,
        gradScale: node.attrs.gradScale,
        lossOut: ctx.slice(loss),
        weights: weights ? ctx.slice(weights) : null,
        smoothing: node.attrs.smoothing ?? 0,
        partials: ctx.scratch(),
      },
    ];
  },
  gradient(node, [dLoss]) {
    return objectiveOnly(node, dLoss);
  },
};

/** Returns the summed loss; differentiate it with `gradients(loss, …)`. */
export function crossEntropy(
  x: SymbolicTensor,
  target: SymbolicTensor,
  attrs: CrossEntropyAttrs,
  weights: SymbolicTensor | null = null,
): SymbolicTensor {
  return apply(crossEntropyOp, weights ? [x, target, weights] : [x, target], attrs)[0];
}

export interface PointwiseLossAttrs {
  readonly loss: PointwiseLossKind;
  /** Binary cross-entropy only: logits (sigmoid fused in) or probabilities. */
  readonly input: 'logits' | 'probs';
  readonly gradScale: number;
  /** Label smoothing ε (binary cross-entropy) or Huber's δ; 0 otherwise. */
  readonly param: number;
}

export const pointwiseLossOp: OpDef<PointwiseLossAttrs> = {
  name: 'pointwiseLoss',
  infer([x, target, weights]) {
    invariant(x.shape.length === 2, 'loss input must be [rows, cols]');
    invariant(target.dtype === 'float32' && sameShape(target.shape, x.shape), 'targets must match the input');
    checkWeights(weights, x.shape[0]);
    return [
      { shape: [1], dtype: 'float32' },
      { shape: x.shape, dtype: 'float32' },
    ];
  },
  scratchBytes: partialBytes,
  emit(ctx, node) {
    const [x, target, weights] = node.inputs;
    const [loss, grad] = node.outputs;
    const { loss: kind, input, gradScale, param } = node.attrs;
    return [
      {
        kind: 'pointwiseLoss',
        loss: kind,
        input,
        x: ctx.slice(x),
        target: ctx.slice(target),
        rows: x.shape[0],
        cols: x.shape[1],
        grad: ctx.isUsed(grad) ? ctx.slice(grad) : null,
        gradScale,
        lossOut: ctx.slice(loss),
        weights: weights ? ctx.slice(weights) : null,
        param,
        partials: ctx.scratch(),
      },
    ];
  },
  gradient(node, [dLoss]) {
    return objectiveOnly(node, dLoss);
  },
};

/**
 * Σ_i w_i·mean_j l(x_ij, t_ij) for an elementwise loss l; differentiate it with `gradients(loss, …)`.
 */
export function pointwiseLoss(
  x: SymbolicTensor,
  target: SymbolicTensor,
  attrs: PointwiseLossAttrs,
  weights: SymbolicTensor | null = null,
): SymbolicTensor {
  return apply(pointwiseLossOp, weights ? [x, target, weights] : [x, target], attrs)[0];
}
