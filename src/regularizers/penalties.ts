// The regularizer factories, with Keras's definitions and tfjs's spelling.

import { ValueError, describe } from '../errors.js';
import { regularizer, type Regularizer } from './regularizer.js';

export interface L1Args {
  /** Factor of Σ|x| (default 0.01). */
  l1?: number;
}

export interface L2Args {
  /** Factor of Σx² (default 0.01). */
  l2?: number;
}

export interface L1L2Args {
  /** Factor of Σ|x| (default 0.01). */
  l1?: number;
  /** Factor of Σx² (default 0.01). */
  l2?: number;
}

function options<T>(args: T | undefined, name: string, example: string): Partial<T> {
  if (args === undefined) return {};
  if (typeof args !== 'object' || args === null)
    throw new ValueError(
      `regularizers.${name}: expected an options object such as ${example}, received ${describe(args)}.`,
    );
  return args;
}

/**
 * L1 penalty: l1·Σ|x|.
 *
 * @example
 * layers.dense({ units: 10, kernelRegularizer: regularizers.l1({ l1: 1e-4 }) });
 */
export function l1(args?: L1Args): Regularizer {
  const a = options(args, 'l1', '{ l1: 0.01 }');
  return regularizer('L1', a.l1 ?? 0.01, 0, 'regularizers.l1');
}

/**
 * L2 penalty (weight decay): l2·Σx²; its gradient is 2·l2·x.
 *
 * @example
 * layers.dense({ units: 10, kernelRegularizer: regularizers.l2({ l2: 1e-4 }) });
 */
export function l2(args?: L2Args): Regularizer {
  const a = options(args, 'l2', '{ l2: 0.01 }');
  return regularizer('L2', 0, a.l2 ?? 0.01, 'regularizers.l2');
}

/**
 * Both penalties: l1·Σ|x| + l2·Σx² (defaults 0.01 each, as tfjs's `l1l2` and tf.keras's `l1_l2`).
 *
 * @example
 * layers.dense({ units: 10, kernelRegularizer: regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }) });
 */
export function l1l2(args?: L1L2Args): Regularizer {
  const a = options(args, 'l1l2', '{ l1: 0.01, l2: 0.01 }');
  return regularizer('L1L2', a.l1 ?? 0.01, a.l2 ?? 0.01, 'regularizers.l1l2');
}
