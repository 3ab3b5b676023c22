// Keras's to_categorical: class indices to one-hot rows.

import { ValueError, describe } from '../errors.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';

/**
 * One-hot encodes class indices: labels of shape [...s] (a trailing axis of 1 is dropped, as Keras
 * does) become float32 rows of shape [...s, numClasses]. Without `numClasses`, it is the largest
 * label + 1.
 *
 * @example
 * toCategorical([0, 2, 1], 3);   // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 */
export function toCategorical(labels: TensorLike, numClasses?: number): Tensor {
  if (labels === undefined || labels === null)
    throw new ValueError(
      `toCategorical: labels: expected class indices (an array of integers), received ${describe(labels)}.`,
    );
  const t = toTensor(labels, 'toCategorical: labels');
  const data = t.data;
  let max = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(
        `toCategorical: labels must be non-negative integer class indices, received ${describe(v)} at index ${i}.`,
      );
    }
    if (v > max) max = v;
  }
  let classes = max + 1;
  if (numClasses !== undefined) {
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
      throw new ValueError(`toCategorical: numClasses: expected a positive integer, received ${describe(numClasses)}.`);
    }
    if (max >= numClasses) {
      throw new ValueError(
        `toCategorical: label ${max} is out of range for numClasses ${numClasses} (expected 0 to ${numClasses - 1}); ` +
          `raise numClasses or check the labels.`,
      );
    }
    classes = numClasses;
  }
  if (classes < 1)
    throw new ValueError('toCategorical: labels are empty and numClasses is not given; pass numClasses.');
  const shape = t.shape.length > 1 && t.shape[t.shape.length - 1] === 1 ? t.shape.slice(0, -1) : [...t.shape];
  const out = new Float32Array(data.length * classes);
  for (let i = 0; i < data.length; i++) out[i * classes + data[i]] = 1;
  return new Tensor(out, [...shape, classes]);
}
