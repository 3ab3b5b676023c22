// Losses: each writes the batch's summed (weighted) loss and, when asked, its gradient.

import type { Slice } from '../backend.js';

/** Losses computed elementwise and averaged over the last axis (Keras's per-sample reduction). */
export type PointwiseLossKind = 'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'huber' | 'hinge';

export type LossCall =
  | {
      /** Categorical cross-entropy: writes the batch's summed loss and, if `grad`, its gradient × gradScale. */
      readonly kind: 'crossEntropy';
      /** logits: softmax fused in; probs: Keras's clipped from-probabilities path. */
      readonly input: 'logits' | 'probs';
      /** sparse: labels are int32 class indices; dense: float32 target rows (one-hot). */
      readonly labels: 'sparse' | 'dense';
      readonly x: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly grad: Slice | null;
      readonly gradScale: number;
      readonly lossOut: Slice;
      /** Per-sample weights [rows] multiplying each sample's loss (null: all ones). */
      readonly weights: Slice | null;
      /** Label smoothing ε of dense targets: t' = t(1 − ε) + ε/cols. */
      readonly smoothing: number;
      /** Scratch for f64 partial sums, one per row at most (null: the loss runs whole). */
      readonly partials: Slice | null;
    }
  | {
      /** An elementwise loss, per sample the mean over the last axis, summed over the batch. */
      readonly kind: 'pointwiseLoss';
      readonly loss: PointwiseLossKind;
      /** For binary cross-entropy: logits (sigmoid fused in) or probabilities (Keras's clip). */
      readonly input: 'logits' | 'probs';
      readonly x: Slice;
      readonly target: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly grad: Slice | null;
      readonly gradScale: number;
      readonly lossOut: Slice;
      readonly weights: Slice | null;
      /** Label smoothing ε (binary cross-entropy: t' = t(1 − ε) + ε/2) or Huber's δ; 0 otherwise. */
      readonly param: number;
      /** Scratch for f64 partial sums, one per row at most (null: the loss runs whole). */
      readonly partials: Slice | null;
    };
