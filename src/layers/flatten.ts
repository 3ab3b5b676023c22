// Flatten: [batch, d1, d2, …] → [batch, d1·d2·…], a view (no copy).

import { reshape } from '../graph/ops/basic.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return reshape(x, [x.shape[0], x.size / x.shape[0]]);
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      ...(this.inputShape ? { batchInputShape: [null, ...this.inputShape] } : {}),
    };
  }
}

/**
 * Flattens each sample to one axis.
 *
 * @example
 * layers.flatten({ inputShape: [28, 28] });   // output [null, 784]
 */
export function flatten(args: LayerArgs = {}): Flatten {
  return new Flatten(args);
}
