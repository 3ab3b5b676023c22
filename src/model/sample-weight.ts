// Per-sample weights given to fit / evaluate: checked once, as float32 [samples].

import { ShapeError, ValueError, describe } from '../errors.js';
import { formatShape } from '../graph/op.js';
import { toTensor, type TensorLike } from '../tensor.js';

/**
 * Checks `sampleWeight` (undefined: none) against the number of samples: one finite, non-negative
 * weight per sample.
 */
export function sampleWeightsOf(
  value: TensorLike | undefined,
  samples: number,
  argName = 'sampleWeight',
): Float32Array | null {
  if (value === undefined || value === null) return null;
  const t = toTensor(value, argName, undefined, 'float32');
  const flat = t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
  if (!flat || t.shape[0] !== samples) {
    throw new ShapeError(
      `${argName}: expected one weight per sample, shape [${samples}], received ${formatShape(t.shape)}; pass a ` +
        `[samples] array of non-negative numbers.`,
    );
  }
  const w = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i]) || w[i] < 0) {
      throw new ValueError(
        `${argName}: weights must be finite and non-negative, received ${describe(w[i])} at sample ${i}; use 0 to ` +
          `leave a sample out.`,
      );
    }
  }
  return w;
}
