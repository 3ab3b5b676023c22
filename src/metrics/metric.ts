// What a metric is: tensors computed per batch and summed over the epoch (counts, sums, histograms),
// and the figure computed from those sums. Summing raw counts keeps epoch figures exact where a mean
// of batch figures would be wrong (precision, AUC).

import type { SymbolicTensor } from '../graph/tensor.js';

export interface MetricInputs {
  /** The predictions: probabilities after a softmax or sigmoid (the sigmoid of logits for a fromLogits binary loss). */
  readonly output: SymbolicTensor;
  /** What the loss compared with the target: the logits when the loss fused the softmax in. */
  readonly scores: SymbolicTensor;
  readonly target: SymbolicTensor;
  /** Per-sample weights [batch], for a weighted metric when fit or evaluate was given some. */
  readonly sampleWeight: SymbolicTensor | null;
}

export interface Metric {
  /** The key in logs and history (`accuracy`, `precision`…). */
  readonly key: string;
  /** Whether the metric takes sample weights (compile's weightedMetrics). */
  readonly weighted: boolean;
  /** Tensors computed per batch and summed over the epoch. */
  build(inputs: MetricInputs): SymbolicTensor[];
  /** The epoch's figure from the summed tensors (float64) and the number of samples. */
  result(sums: readonly Float64Array[], samples: number): number;
}
