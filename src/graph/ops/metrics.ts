// Metric ops: weighted hit counts, confusion counts and AUC histograms. They have no gradient.

import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

function weightsOf(inputs: readonly SymbolicTensor[], from: number): SymbolicTensor | null {
  return inputs.length > from ? inputs[from] : null;
}

export interface CategoricalHitsAttrs {
  readonly labels: 'sparse' | 'dense';
  /** 0: argmax match (accuracy); k ≥ 1: the label among the k highest scores. */
  readonly k: number;
}

export const categoricalHitsOp: OpDef<CategoricalHitsAttrs> = {
  name: 'categoricalHits',
  infer([scores, target, weights], attrs) {
    invariant(scores.shape.length === 2, 'scores must be [rows, classes]');
    if (attrs.labels === 'sparse')
      invariant(
        target.dtype === 'int32' && target.shape.length === 1 && target.shape[0] === scores.shape[0],
        'sparse labels must be int32 [rows]',
      );
    else invariant(sameShape(target.shape, scores.shape), 'dense targets must match the scores');
    invariant(
      !weights || (weights.shape.length === 1 && weights.shape[0] === scores.shape[0]),
      'sample weights must be [rows]',
    );
    return [{ shape: [2], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [scores, target] = node.inputs;
    const weights = weightsOf(node.inputs, 2);
    return [
      {
        kind: 'categoricalHits',
        labels: node.attrs.labels,
        k: node.attrs.k,
        scores: ctx.slice(scores),
        target: ctx.slice(target),
        rows: scores.shape[0],
        cols: scores.shape[1],
        weights: weights ? ctx.slice(weights) : null,
        out: ctx.slice(node.outputs[0]),
      },
    ];
  },
};

/** [Σ w·hit, Σ w] ([2] float32): argmax matches (k = 0) or top-k hits. */
export function categoricalHits(
  scores: SymbolicTensor,
  target: SymbolicTensor,
  labels: 'sparse' | 'dense',
  k: number,
  weights: SymbolicTensor | null,
): SymbolicTensor {
  return apply1(categoricalHitsOp, weights ? [scores, target, weights] : [scores, target], { labels, k });
}

export const binaryCountsOp: OpDef<{ readonly threshold: number }> = {
  name: 'binaryCounts',
  infer([scores, target, weights]) {
    invariant(
      scores.shape.length === 2 && sameShape(target.shape, scores.shape),
      'binary targets must match the predictions [rows, cols]',
    );
    invariant(
      !weights || (weights.shape.length === 1 && weights.shape[0] === scores.shape[0]),
      'sample weights must be [rows]',
    );
    return [{ shape: [6], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [scores, target] = node.inputs;
    const weights = weightsOf(node.inputs, 2);
    return [
      {
        kind: 'binaryCounts',
        threshold: node.attrs.threshold,
        scores: ctx.slice(scores),
        target: ctx.slice(target),
        rows: scores.shape[0],
        cols: scores.shape[1],
        weights: weights ? ctx.slice(weights) : null,
        out: ctx.slice(node.outputs[0]),
      },
    ];
  },
};

/** [TP, FP, FN, TN, exact-match hits, Σ w] ([6] float32) for predictions p > threshold against t ≠ 0. */
export function binaryCounts(
  scores: SymbolicTensor,
  target: SymbolicTensor,
  threshold: number,
  weights: SymbolicTensor | null,
): SymbolicTensor {
  return apply1(binaryCountsOp, weights ? [scores, target, weights] : [scores, target], { threshold });
}

export const aucHistogramOp: OpDef<{ readonly buckets: number }> = {
  name: 'aucHistogram',
  infer([scores, target, weights], attrs) {
    invariant(
      scores.shape.length === 2 && sameShape(target.shape, scores.shape),
      'binary targets must match the predictions [rows, cols]',
    );
    invariant(
      !weights || (weights.shape.length === 1 && weights.shape[0] === scores.shape[0]),
      'sample weights must be [rows]',
    );
    return [{ shape: [2 * attrs.buckets], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [scores, target] = node.inputs;
    const weights = weightsOf(node.inputs, 2);
    return [
      {
        kind: 'aucHistogram',
        buckets: node.attrs.buckets,
        scores: ctx.slice(scores),
        target: ctx.slice(target),
        rows: scores.shape[0],
        cols: scores.shape[1],
        weights: weights ? ctx.slice(weights) : null,
        out: ctx.slice(node.outputs[0]),
      },
    ];
  },
};

/** Weighted histograms of predictions for positive, then negative labels ([2·buckets] float32). */
export function aucHistogram(
  scores: SymbolicTensor,
  target: SymbolicTensor,
  buckets: number,
  weights: SymbolicTensor | null,
): SymbolicTensor {
  return apply1(aucHistogramOp, weights ? [scores, target, weights] : [scores, target], { buckets });
}

export const weightSumOp: OpDef<Record<string, never>> = {
  name: 'weightSum',
  infer([weights]) {
    invariant(weights.shape.length === 1, 'sample weights must be [rows]');
    return [{ shape: [1], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const w = node.inputs[0];
    return [{ kind: 'weightSum', weights: ctx.slice(w), n: w.shape[0], out: ctx.slice(node.outputs[0]) }];
  },
};

/** Σ w ([1] float32). */
export function weightSum(weights: SymbolicTensor): SymbolicTensor {
  return apply1(weightSumOp, [weights], {});
}
