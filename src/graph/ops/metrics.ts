// Metric ops: correct-prediction counts and row argmax. They have no gradient.

import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, type OpDef } from '../op.js';

export interface AccuracyAttrs {
  readonly labels: 'sparse' | 'dense';
}

export const accuracyOp: OpDef<AccuracyAttrs> = {
  name: 'accuracy',
  infer([scores]) {
    invariant(scores.shape.length === 2, 'accuracy scores must be [rows, classes]');
    return [{ shape: [1], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [scores, target] = node.inputs;
    return [
      {
        kind: 'accuracy', labels: node.attrs.labels, scores: ctx.slice(scores), target: ctx.slice(target),
        rows: scores.shape[0], cols: scores.shape[1], out: ctx.slice(node.outputs[0]),
      },
    ];
  },
};

/** Number of rows whose highest score is the labelled class (a [1] float32 count). */
export function correctCount(scores: SymbolicTensor, target: SymbolicTensor, labels: 'sparse' | 'dense'): SymbolicTensor {
  return apply1(accuracyOp, [scores, target], { labels });
}

export const argmaxOp: OpDef<Record<string, never>> = {
  name: 'argmax',
  infer([x]) {
    invariant(x.shape.length === 2, 'argmax input must be [rows, cols]');
    return [{ shape: [x.shape[0]], dtype: 'int32' }];
  },
  emit(ctx, node) {
    const x = node.inputs[0];
    return [{ kind: 'argmax', x: ctx.slice(x), rows: x.shape[0], cols: x.shape[1], out: ctx.slice(node.outputs[0]) }];
  },
};

export function argmax(x: SymbolicTensor): SymbolicTensor {
  return apply1(argmaxOp, [x], {});
}
