// What a loss is to the model: how its targets look, how it checks them, and how it becomes graph ops.

import type { SymbolicTensor } from '../graph/tensor.js';
import type { Tensor } from '../tensor.js';

/** Losses accepted by name (camelCase; Keras's snake_case spellings are accepted too). */
export type LossName =
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'huber'
  | 'hinge';

/** Keras's spellings of the same losses. */
export type LossAlias =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'binary_crossentropy'
  | 'mean_squared_error'
  | 'mse'
  | 'mean_absolute_error'
  | 'mae'
  | 'huber_loss';

export interface LossGraph {
  /** The batch's summed (sample-weighted) loss ([1]); the objective is its mean over the batch. */
  readonly lossSum: SymbolicTensor;
  /** Scores whose argmax is the prediction (logits when the softmax was fused into the loss). */
  readonly scores: SymbolicTensor;
  /**
   * The predictions metrics read: probabilities for the cross-entropies (the sigmoid of the logits
   * when the loss works on logits), the model's output otherwise.
   */
  readonly output: SymbolicTensor;
}

/** What the targets are, for metrics that depend on it. */
export type LossFamily = 'categorical' | 'binary' | 'regression' | 'hinge';

export interface Loss {
  readonly name: LossName;
  readonly family: LossFamily;
  /** How targets are given: class indices or rows of the output's width. */
  readonly labels: 'sparse' | 'dense';
  /** The model's output is logits (no softmax/sigmoid applied). */
  readonly fromLogits: boolean;
  /** A placeholder for a batch of targets for an output of this shape (with the batch axis). */
  targetPlaceholder(outputShape: readonly number[]): SymbolicTensor;
  /** Adds the loss of `output` against `target` (each sample's loss times its weight) to the graph. */
  build(output: SymbolicTensor, target: SymbolicTensor, sampleWeight?: SymbolicTensor | null): LossGraph;
  /** Checks a whole target tensor against the model's output shape; throws with the fix. */
  validateTargets(y: Tensor, outputShape: readonly number[], argName: string): void;
  /** The loss's options, as Keras's get_config names them (camelCase). */
  getConfig(): Record<string, number | boolean | string>;
}
