// Losses by name, and how each becomes graph ops. Cross-entropy after a softmax is computed from the
// logits in one fused kernel (stable, and its gradient is p − y); otherwise from probabilities with
// Keras's clipping.

import { ShapeError, ValueError, describe } from '../errors.js';
import { softmaxOp } from '../graph/ops/activation.js';
import { crossEntropy } from '../graph/ops/losses.js';
import { formatShape } from '../graph/op.js';
import { placeholder, type SymbolicTensor } from '../graph/tensor.js';
import type { Tensor } from '../tensor.js';

/** Losses accepted by name. */
export type LossName = 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy';

const ALIASES: Record<string, LossName> = {
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  categoricalCrossentropy: 'categoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
};

export interface LossGraph {
  /** The batch's summed loss ([1]); the objective is its mean. */
  readonly lossSum: SymbolicTensor;
  /** Scores whose argmax is the prediction (logits when fused). */
  readonly scores: SymbolicTensor;
}

export interface Loss {
  readonly name: LossName;
  /** How targets are given: class indices or rows of the output's width. */
  readonly labels: 'sparse' | 'dense';
  /** A placeholder for a batch of targets for an output of this shape (with the batch axis). */
  targetPlaceholder(outputShape: readonly number[]): SymbolicTensor;
  /** Adds the loss of `output` against `target` to the graph. */
  build(output: SymbolicTensor, target: SymbolicTensor): LossGraph;
  /** Checks a whole target tensor against the model's output width; throws with the fix. */
  validateTargets(y: Tensor, outputShape: readonly number[], argName: string): void;
}

function crossEntropyLoss(name: LossName): Loss {
  const labels = name === 'sparseCategoricalCrossentropy' ? 'sparse' : 'dense';
  return {
    name,
    labels,
    targetPlaceholder(outputShape) {
      return labels === 'sparse' ? placeholder([outputShape[0]], 'int32', 'labels') : placeholder(outputShape, 'float32', 'labels');
    },
    build(output, target) {
      const node = output.node;
      const fused = node !== null && node.op === softmaxOp;
      const x = fused ? node.inputs[0] : output;
      const lossSum = crossEntropy(x, target, { input: fused ? 'logits' : 'probs', labels, gradScale: 1 / x.shape[0] });
      return { lossSum, scores: x };
    },
    validateTargets(y, outputShape, argName) {
      const classes = outputShape[outputShape.length - 1];
      if (outputShape.length !== 1) {
        throw new ShapeError(`loss ${name}: the model's output must be [batch, classes], it is ${formatShape([null, ...outputShape])}.`);
      }
      if (labels === 'sparse') validateSparse(y, classes, argName);
      else validateDense(y, classes, argName);
    },
  };
}

function validateSparse(y: Tensor, classes: number, argName: string): void {
  const shape = y.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    const hint = shape.length === 2 && shape[1] === classes ? ` They look one-hot: use loss 'categoricalCrossentropy', or pass class indices.` : '';
    throw new ShapeError(`${argName}: sparseCategoricalCrossentropy expects class indices of shape [samples], received ${formatShape(shape)}.${hint}`);
  }
  const data = y.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) {
      throw new ValueError(`${argName}: sparseCategoricalCrossentropy expects integer class indices, received ${describe(v)} at index ${i}.`);
    }
    if (v < 0 || v >= classes) {
      throw new ValueError(
        `${argName}: label ${v} at index ${i} is out of range for ${classes} classes (expected 0 to ${classes - 1}); check the labels or give the last layer more units.`,
      );
    }
  }
}

function validateDense(y: Tensor, classes: number, argName: string): void {
  if (y.shape.length !== 2 || y.shape[1] !== classes) {
    const hint = y.shape.length === 1 ? ` They look like class indices: use loss 'sparseCategoricalCrossentropy', or one-hot encode them.` : '';
    throw new ShapeError(`${argName}: categoricalCrossentropy expects one-hot targets of shape [samples, ${classes}], received ${formatShape(y.shape)}.${hint}`);
  }
  const data = y.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new ValueError(`${argName}: targets must be finite, received ${describe(data[i])} at row ${Math.floor(i / classes)}.`);
    }
  }
}

/** Resolves a loss name (camelCase or Keras's snake_case), listing the known ones on error. */
export function resolveLoss(value: unknown): Loss {
  const name = typeof value === 'string' ? ALIASES[value] : undefined;
  if (!name) {
    throw new ValueError(`loss: unknown loss ${describe(value)}; known: ${[...new Set(Object.values(ALIASES))].join(', ')}.`);
  }
  return crossEntropyLoss(name);
}
