// ELU: y = x > 0 ? x : α·(e^x − 1) with a fixed α ≥ 0.

import { ValueError, describe } from '../errors.js';
import { activation } from '../graph/ops/activation.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { nonNegativeAlpha } from './activations.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface ELUArgs extends LayerArgs {
  /** The scale α of the negative part, finite and ≥ 0 (default 1). */
  alpha?: number;
}

export class ELU extends Layer {
  readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`elu: expected an options object such as { alpha: 1 }, received ${describe(args)}.`);
    super(args, 'ELU');
    this.alpha = nonNegativeAlpha(args.alpha, 1, `${this.name}: alpha`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return activation(x, 'elu', this.alpha);
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, alpha: this.alpha };
  }
}

/**
 * Exponential linear unit: `x > 0 ? x : alpha·(e^x − 1)` (tfjs's ELU layer supports only alpha 1;
 * any alpha ≥ 0 works here).
 *
 * @example
 * layers.elu({ alpha: 0.5 });
 */
export function elu(args: ELUArgs = {}): ELU {
  return new ELU(args);
}
