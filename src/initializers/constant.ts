// Constant initializers: zeros, ones, and any value.

import { ValueError, describe } from '../errors.js';
import { sizeOf } from './fans.js';
import type { Initializer } from './initializer.js';

/**
 * All zeros. The default for biases.
 *
 * @example
 * layers.dense({ units: 10, biasInitializer: initializers.zeros() });
 */
export function zeros(): Initializer {
  return { className: 'Zeros', init: (shape) => new Float32Array(sizeOf(shape)), getConfig: () => ({}) };
}

/**
 * All ones.
 *
 * @example
 * layers.dense({ units: 10, biasInitializer: initializers.ones() });
 */
export function ones(): Initializer {
  return { className: 'Ones', init: (shape) => new Float32Array(sizeOf(shape)).fill(1), getConfig: () => ({}) };
}

export interface ConstantArgs {
  /** The value of every element (default 0, as Keras). */
  value?: number;
}

/**
 * Every element set to `value`.
 *
 * @example
 * layers.dense({ units: 10, biasInitializer: initializers.constant({ value: 0.1 }) });
 */
export function constant(args: ConstantArgs = {}): Initializer {
  if (typeof args !== 'object' || args === null)
    throw new ValueError(
      `initializers.constant: expected an options object such as { value: 0.1 }, received ${describe(args)}.`,
    );
  const value = args.value ?? 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`initializers.constant: value: expected a finite number, received ${describe(value)}.`);
  }
  return {
    className: 'Constant',
    init: (shape) => new Float32Array(sizeOf(shape)).fill(value),
    getConfig: () => ({ value }),
  };
}
