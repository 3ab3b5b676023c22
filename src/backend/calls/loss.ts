// Losses: each writes the batch's summed (weighted) loss and, when asked, its gradient.

import type { Slice } from '../backend.js';

export type LossCall = {
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
};
