// Softmax as a layer: e^x / Σ e^x over the last axis (numerically stable; fuses into cross-entropy
// when the loss follows it).

import { ValueError, describe } from '../errors.js';
import { softmax as softmaxOp } from '../graph/ops/activation.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The normalised axis: only the last one is supported (−1, the default, or its index counting the batch axis). */
  axis?: number;
}

export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`softmax: expected an options object such as {}, received ${describe(args)}.`);
    super(args, 'Softmax');
    if (args.axis !== undefined && !(Number.isInteger(args.axis) && (args.axis === -1 || args.axis >= 1))) {
      throw new ValueError(`${this.name}: axis: expected -1 (the last axis), received ${describe(args.axis)}.`);
    }
    this.axis = args.axis ?? -1;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (this.axis !== -1 && this.axis !== inputShape.length) {
      throw new ValueError(
        `${this.name}: axis ${this.axis} is not the last axis of input [null, ${inputShape.join(', ')}]; only the ` +
          `last axis is supported: use axis -1 (${inputShape.length}).`,
      );
    }
    return [...inputShape];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return softmaxOp(x);
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, axis: this.axis };
  }
}

/**
 * Softmax over the last axis: `e^x / Σ e^x`.
 *
 * @example
 * layers.softmax();
 */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}
