// fit's validationSplit, as Keras 3 does it (keras/src/trainers/data_adapters/data_adapter_utils.py,
// train_validation_split): the validation samples are the LAST ⌊n·split⌋ ones (train keeps the first
// ⌈n·(1 − split)⌉), taken before any shuffling, so the same samples validate every epoch.

import { ValueError, describe } from '../errors.js';
import { Tensor } from '../tensor.js';

/** The first `count` rows of t, or the rows from `count` on, as views (no copy). */
function rows(t: Tensor, from: number, to: number): Tensor {
  const per = t.shape[0] === 0 ? 0 : t.size / t.shape[0];
  return new Tensor(t.data.subarray(from * per, to * per), [to - from, ...t.shape.slice(1)]);
}

/** Checks `validationSplit` and returns the sample index where validation starts. */
export function validationStart(split: unknown, samples: number): number {
  if (typeof split !== 'number' || !Number.isFinite(split) || split <= 0 || split >= 1) {
    throw new ValueError(
      `validationSplit: expected a fraction strictly between 0 and 1 (e.g. 0.1 keeps the last 10% of the samples for ` +
        `validation), received ${describe(split)}.`,
    );
  }
  const start = Math.ceil(samples * (1 - split));
  if (start === 0 || start === samples) {
    throw new ValueError(
      `validationSplit: ${split} of ${samples} samples leaves ${start === 0 ? 'no training' : 'no validation'} ` +
        `samples; use a ${start === 0 ? 'smaller' : 'larger'} fraction or more data.`,
    );
  }
  return start;
}

/** [train, validation] halves of x and y at `start`. */
export function splitAt(x: Tensor, y: Tensor, start: number): { x: Tensor; y: Tensor; xValid: Tensor; yValid: Tensor } {
  return {
    x: rows(x, 0, start),
    y: rows(y, 0, start),
    xValid: rows(x, start, x.shape[0]),
    yValid: rows(y, start, y.shape[0]),
  };
}
