// AdamW: Adam with decoupled weight decay. Keras 3, keras/src/optimizers/adamw.py is Adam with
// weight_decay = 0.004 by default; the base optimizer (_apply_weight_decay) applies
// w ← w − η·wd·w before Adam's step, the update kernel fuses both.

import { Adam, type AdamArgs } from './adam.js';

export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(args: AdamArgs = {}) {
    super(args, 'adamw', 0.004);
  }
}

/**
 * AdamW (Keras defaults: learningRate 0.001, weightDecay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * @example
 * model.compile({
 *   optimizer: optimizers.adamw({ learningRate: 0.001, weightDecay: 0.01 }),
 *   loss: 'sparseCategoricalCrossentropy',
 * });
 */
export function adamw(args: AdamArgs = {}): AdamW {
  return new AdamW(args);
}
