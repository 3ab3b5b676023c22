// Activation: applies a named activation as its own layer.

import { ValueError, describe } from '../errors.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { applyActivation, resolveActivation, type ActivationName } from './activations.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationName;

  constructor(args: ActivationArgs) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(
        `activation: expected an options object such as { activation: 'relu' }, received ${describe(args)}.`,
      );
    super(args, 'Activation');
    this.activation = resolveActivation(args.activation, `${this.name}: activation`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return applyActivation(x, this.activation);
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, activation: this.activation };
  }
}

/**
 * Applies an activation function.
 *
 * @example
 * layers.activation({ activation: 'relu' });
 */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}
