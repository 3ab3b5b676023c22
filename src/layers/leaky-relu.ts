// LeakyReLU: y = x > 0 ? x : α·x with a fixed slope α ≥ 0.

import { ValueError, describe } from '../errors.js';
import { activation } from '../graph/ops/activation.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { nonNegativeAlpha } from './activations.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope α for x ≤ 0, finite and ≥ 0 (default 0.3, as tfjs and Keras 2's LeakyReLU). */
  alpha?: number;
}

export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`leakyReLU: expected an options object such as { alpha: 0.3 }, received ${describe(args)}.`);
    super(args, 'LeakyReLU');
    this.alpha = nonNegativeAlpha(args.alpha, 0.3, `${this.name}: alpha`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return activation(x, 'leakyRelu', this.alpha);
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, alpha: this.alpha };
  }
}

/**
 * Leaky rectified linear unit: `x > 0 ? x : alpha·x`.
 *
 * @example
 * layers.leakyReLU({ alpha: 0.1 });
 */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}
