// fit's classWeight (Keras's class_weight): a weight per class turned into a weight per sample from
// the labels, so that it rides on the sample-weight path (the loss of each sample times its weight,
// before the batch mean).

import { ValueError, describe } from '../errors.js';
import type { Loss } from '../losses/losses.js';
import type { Tensor } from '../tensor.js';

/** A weight per class index, `{ 0: 1, 1: 5 }`; classes left out weigh 1 (as Keras). */
export type ClassWeight = Readonly<Record<number, number>>;

/**
 * Per-sample weights from `classWeight` (undefined: none) and the checked targets `y`: the class of a
 * sample is its label (sparse labels), the argmax of its row (one-hot or soft targets), or its label
 * rounded to 0/1 (binary cross-entropy and hinge with one output unit). Multiplied into
 * `sampleWeight` when both are given (as tf.keras 2 and tfjs-layers do; Keras 3 refuses the pair).
 */
export function classWeightsOf(
  classWeight: unknown,
  loss: Loss,
  outputShape: readonly number[],
  y: Tensor,
  sampleWeight: Float32Array | null,
): Float32Array | null {
  if (classWeight === undefined || classWeight === null) return sampleWeight;
  if (typeof classWeight !== 'object' || Array.isArray(classWeight) || classWeight instanceof Map) {
    throw new ValueError(
      `classWeight: expected an object mapping class indices to weights, such as { 0: 1, 1: 5 }, received ` +
        `${describe(classWeight)}.`,
    );
  }
  const classes = classCount(loss, outputShape);
  const table = new Float32Array(classes).fill(1);
  for (const [key, weight] of Object.entries(classWeight as Record<string, unknown>)) {
    const index = Number(key);
    if (!/^\d+$/.test(key) || index >= classes) {
      throw new ValueError(
        `classWeight: ${JSON.stringify(key)} is not a class of the model, whose ${describeClasses(loss, classes)}; ` +
          `use class indices 0 to ${classes - 1} as keys.`,
      );
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ValueError(
        `classWeight: the weight of class ${index} must be a finite number >= 0, received ${describe(weight)}; use 0 ` +
          `to leave a class out.`,
      );
    }
    table[index] = weight;
  }
  const samples = y.shape[0];
  const weights = sampleWeight ? Float32Array.from(sampleWeight) : new Float32Array(samples).fill(1);
  const labels = y.data;
  if (loss.labels === 'sparse') {
    for (let i = 0; i < samples; i++) weights[i] *= table[labels[i]];
  } else if (loss.family === 'categorical') {
    for (let i = 0; i < samples; i++) weights[i] *= table[argmaxRow(labels, i * classes, classes)];
  } else {
    // One unit: Keras rounds the label (np.round: 0.5 → 0), which also sends hinge's −1 to class 0.
    for (let i = 0; i < samples; i++) weights[i] *= table[labels[i] > 0.5 ? 1 : 0];
  }
  return weights;
}

/** Classes a loss tells apart for this output; throws for losses without classes. */
function classCount(loss: Loss, outputShape: readonly number[]): number {
  const units = outputShape.reduce((a, b) => a * b, 1);
  if (loss.family === 'regression') {
    throw new ValueError(
      `classWeight: loss ${loss.name} is a regression loss, whose targets have no classes; pass sampleWeight (one ` +
        `weight per sample) instead.`,
    );
  }
  if (loss.family === 'categorical') return outputShape[outputShape.length - 1];
  if (units !== 1) {
    throw new ValueError(
      `classWeight: loss ${loss.name} with ${units} output units has several labels per sample, so a sample has no ` +
        `single class; give the model one output unit, or pass sampleWeight instead.`,
    );
  }
  return 2;
}

function describeClasses(loss: Loss, classes: number): string {
  return loss.family === 'categorical'
    ? `output has ${classes} classes`
    : `${loss.name} output has the classes 0 and 1`;
}

/** Index of the first largest value of a row. */
function argmaxRow(data: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (data[offset + j] > data[offset + best]) best = j;
  return best;
}
